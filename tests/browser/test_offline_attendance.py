"""Attendance without a signal (issue 18), in Chromium with the network cut by
`context.set_offline`: a trainer marks 40 learners offline, reloads the page offline (the
service worker serves it, the marks taken are shown "chưa gửi"), reconnects, and every mark
reaches the server exactly once; two trainers offline mark the same learner differently and
the coordinator sees it listed; signing out with marks not sent warns and keeps them for the
same account only; over plain HTTP (no service worker) the page says not to close it.

127.0.0.1 is a secure context for Chromium, so the service worker runs as on HTTPS; the plain
HTTP case is a hall's LAN name mapped to 127.0.0.1 (`--host-resolver-rules`). Under the CSP,
`wait_for_function` is given a function, never an expression string."""

import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark, AttendanceOp
from app.extensions import db
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.screen import loaded, sign_in, sign_out_button

FAMILY = ["Đinh", "Phạm", "Hồ", "Lê", "Trần"]
GIVEN = ["An", "Bình", "Cúc", "Dũng", "Hoa", "Khánh", "Lan", "Minh"]


def _seed(app, learners=40):
    from app.auth.models import User
    from app.classes import service
    from app.classes.models import Application
    from app.demo.people import DEMO_PASSWORD, ensure_accounts
    from app.people.models import Cadre, Position
    from app.people.reference import ensure_positions, ensure_son_ha_units
    from app.timeutil import local_today

    with app.app_context():
        ensure_positions()
        communes = ensure_son_ha_units()
        users = ensure_accounts()
        second = User(username="trainer2", full_name="Giảng viên Hai")
        second.set_password(DEMO_PASSWORD)
        second.set_roles(("trainer",))
        db.session.add(second)
        db.session.flush()
        son_ky = communes["new:son-ky"]
        position = db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))
        start = local_today() - timedelta(days=1)
        klass = service.create_class(users["coordinator"], service.ClassData(
            code="TH-MN", title="Lớp điểm danh không có mạng", place="Nhà văn hóa thôn Gò Da",
            start_date=start, end_date=start + timedelta(days=2), capacity=learners,
            trainer_ids=[users["trainer"].id, second.id], unit_ids=[son_ky.id]))
        for i in range(learners):
            cadre = Cadre(gender="F" if i % 2 else "M", birth_year=1970 + i,
                          commune_id=son_ky.id, ethnicity_code="18", position_id=position)
            cadre.set_name(f"{FAMILY[i % 5]} {'Thị' if i % 2 else 'Văn'} {GIVEN[i % 8]} {i + 1}")
            cadre.refresh_identity()
            db.session.add(cadre)
            db.session.flush()
            db.session.add(Application(class_id=klass.id, cadre_id=cadre.id, status="admitted",
                                       source="nominated"))
        klass.admitted_count = learners
        klass.status = "running"
        db.session.commit()
        return klass.id, klass.sessions[0].id


def _phone(browser, app, base_url=None):
    context = browser.new_context(base_url=base_url or app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _open_offline_ready(page, url):
    """Open the marking page online and wait until the service worker keeps it."""
    page.goto(url)
    loaded(page)
    page.wait_for_selector("html[data-offline-ready]", state="attached")


def _db_marks(app, session_id):
    with app.app_context():
        marks = {m.application_id: m.status for m in db.session.scalars(
            select(AttendanceMark).where(AttendanceMark.session_id == session_id))}
        ops = db.session.scalar(select(func.count()).select_from(AttendanceOp))
        ids = db.session.scalar(select(func.count(func.distinct(AttendanceOp.op_id))))
        db.session.remove()
        return marks, ops, ids


def _row(page, name):
    return page.locator("li.mark-row", has_text=name)


def _all_saved(page):
    page.wait_for_function("() => !document.querySelector('.mark-row[data-state=warning], "
                           ".mark-row[data-state=unsent]') && document.getElementById('sync-bar')"
                           ".hidden", timeout=20_000)


def test_forty_learners_marked_offline_reloaded_offline_reach_the_server_once(browser,
                                                                               live_app):
    class_id, session_id = _seed(live_app)
    url = f"/classes/{class_id}/sessions/{session_id}/attendance"
    context, page = _phone(browser, live_app)
    try:
        sign_in(page, "trainer")
        _open_offline_ready(page, url)
        context.set_offline(True)
        began = time.monotonic()
        page.get_by_role("link", name="Tất cả có mặt").click()
        _row(page, "Đinh Văn An 1").get_by_text("Muộn", exact=True).click()
        _row(page, "Phạm Thị Bình 2").get_by_text("Vắng", exact=True).click()
        _row(page, "Hồ Văn Cúc 3").get_by_text("Có phép", exact=True).click()
        marked_in = time.monotonic() - began
        expect(page.locator(".sync-state", has_text="chưa gửi")).to_have_count(40)
        expect(page.locator("#sync-bar")).to_contain_text("Còn 40 điểm danh chưa gửi")
        assert _db_marks(live_app, session_id)[0] == {}
        # reloaded without a signal: the page kept by the service worker, the marks on it
        page.reload()
        loaded(page)
        expect(page.locator(".sync-state", has_text="chưa gửi")).to_have_count(40)
        assert _row(page, "Phạm Thị Bình 2").locator("input[type=radio][value=absent]").is_checked()
        expect(page.locator("#sync-bar")).to_contain_text("Còn 40 điểm danh chưa gửi")
        # the signal returns
        back = time.monotonic()
        context.set_offline(False)
        _all_saved(page)
        synced_in = time.monotonic() - back
        expect(page.locator(".sync-state", has_text="đã lưu")).to_have_count(40)
        marks, ops, ids = _db_marks(live_app, session_id)
        assert len(marks) == 40 and ops == ids == 43  # 40 "all present" + 3 exceptions, once
        assert sorted(marks.values()).count("present") == 37
        assert {"late", "absent", "excused"} <= set(marks.values())
        print(f"\n40 learners marked offline in {marked_in:.1f} s; synced {synced_in:.1f} s "
              "after the signal returned")
        # the page from the server agrees
        page.reload()
        loaded(page)
        expect(page.locator("input[data-present]:checked")).to_have_count(37)
    finally:
        context.close()


def test_two_trainers_offline_marking_the_same_learner_differently_are_listed(browser,
                                                                              live_app):
    class_id, session_id = _seed(live_app, learners=4)
    url = f"/classes/{class_id}/sessions/{session_id}/attendance"
    first, one = _phone(browser, live_app)
    second, two = _phone(browser, live_app)
    try:
        sign_in(one, "trainer")
        sign_in(two, "trainer2")
        _open_offline_ready(one, url)
        _open_offline_ready(two, url)
        first.set_offline(True)
        second.set_offline(True)
        _row(one, "Đinh Văn An 1").get_by_text("Có mặt", exact=True).click()
        _row(two, "Đinh Văn An 1").get_by_text("Vắng", exact=True).click()  # taken later
        first.set_offline(False)
        _all_saved(one)
        second.set_offline(False)
        _all_saved(two)
        marks, ops, _ids = _db_marks(live_app, session_id)
        assert list(marks.values()) == ["absent"] and ops == 2
        # the first trainer's page, opened again, shows the mark that stands
        one.reload()
        loaded(one)
        assert _row(one, "Đinh Văn An 1").locator("input[type=radio][value=absent]").is_checked()
        # the coordinator sees the two marks side by side and keeps one
        sign_out_button(one).click()
        expect(one.get_by_role("button", name="Đăng nhập")).to_be_visible()
        desk = one
        sign_in(desk, "coordinator")
        desk.goto(url)
        expect(desk.get_by_text("1 học viên được hai người điểm danh khác nhau")).to_be_visible()
        desk.get_by_role("link", name="Xem và quyết định").click()
        conflict = desk.locator(".review-conflicts li")
        expect(conflict).to_contain_text("Đinh Văn An 1")
        expect(conflict).to_contain_text("Giảng viên Hai")
        expect(conflict).to_contain_text("Phạm Văn Tâm")  # the demo trainer
        conflict.get_by_role("button", name="Chọn điểm danh này").last.click()
        expect(desk.get_by_text("Không có học viên nào được hai người điểm danh khác nhau"))\
            .to_be_visible()
        assert list(_db_marks(live_app, session_id)[0].values()) == ["present"]
    finally:
        first.close()
        second.close()


def test_signing_out_with_unsent_marks_warns_and_keeps_them_for_the_same_account(browser,
                                                                                 live_app):
    class_id, session_id = _seed(live_app, learners=4)
    url = f"/classes/{class_id}/sessions/{session_id}/attendance"
    context, page = _phone(browser, live_app)
    try:
        sign_in(page, "trainer")
        _open_offline_ready(page, url)
        context.route("**/api/attendance/ops", lambda route: route.abort())  # no signal for it
        _row(page, "Đinh Văn An 1").get_by_text("Muộn", exact=True).click()
        _row(page, "Phạm Thị Bình 2").get_by_text("Vắng", exact=True).click()
        expect(page.locator("#sync-bar")).to_contain_text("Còn 2 điểm danh chưa gửi")
        sign_out_button(page).click()
        warning = page.locator("#signout-warning")
        expect(warning).to_contain_text("Còn 2 điểm danh chưa gửi")
        warning.get_by_role("button", name="Ở lại để gửi").click()
        expect(warning).to_have_count(0)
        sign_out_button(page).click()
        page.locator("#signout-warning").get_by_role("button", name="Vẫn đăng xuất").click()
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
        context.unroute("**/api/attendance/ops")
        # the kept pages (names) are gone with the sign-out
        context.set_offline(True)
        with pytest.raises(Exception):  # noqa: B017 - the browser's own network error
            page.goto(url)
        context.set_offline(False)
        # another account on this phone does not send them
        sign_in(page, "coordinator")
        page.wait_for_timeout(3000)
        assert _db_marks(live_app, session_id)[0] == {}
        sign_out_button(page).click()
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
        # the same account again: they go
        sign_in(page, "trainer")
        page.wait_for_function("() => document.getElementById('sync-bar').hidden")
        for _ in range(50):
            marks = _db_marks(live_app, session_id)[0]
            if len(marks) == 2:
                break
            page.wait_for_timeout(200)
        assert sorted(marks.values()) == ["absent", "late"]
    finally:
        context.close()


def test_over_plain_http_the_page_says_not_to_close_it_and_still_sends(browser, live_app):
    """A hall's LAN over http://: no service worker, the queue lives while the page is open."""
    from tests.browser.chromium import find_chromium

    class_id, session_id = _seed(live_app, learners=4)
    port = live_app.config["LIVE_URL"].rsplit(":", 1)[1]
    hall = browser.browser_type.launch(executable_path=find_chromium()[0], headless=True, args=[
        *CHROMIUM_ARGS, "--host-resolver-rules=MAP hoi-truong.lan 127.0.0.1"])
    context, page = _phone(hall, live_app, f"http://hoi-truong.lan:{port}")
    try:
        sign_in(page, "trainer")
        page.goto(f"/classes/{class_id}/sessions/{session_id}/attendance")
        loaded(page)
        assert page.evaluate("window.isSecureContext") is False
        context.set_offline(True)
        _row(page, "Đinh Văn An 1").get_by_text("Muộn", exact=True).click()
        expect(page.locator("#sync-bar")).to_contain_text(
            "Đừng đóng trang này khi chưa có mạng")
        context.set_offline(False)
        _all_saved(page)
        assert list(_db_marks(live_app, session_id)[0].values()) == ["late"]
    finally:
        context.close()
        hall.close()
