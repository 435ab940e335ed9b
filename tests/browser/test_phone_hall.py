"""A cheap phone in a commune hall (issue 14): every tap lands (44 x 44 px), the header is one
compact row with the menu folded (no script), each role's home leads with what comes next."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo import load_all
from app.extensions import db
from tests.browser import screen
from tests.browser.screen import loaded

TAP = 44


def _seed(app):
    with app.app_context():
        load_all()
        db.session.commit()


@pytest.fixture()
def hall(browser, live_app):
    """The demo data; `open_page(js=...)` gives a 360-px page."""
    _seed(live_app)
    contexts = []

    def open_page(js=True, width=360):
        context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                      viewport={"width": width, "height": 740},
                                      java_script_enabled=js)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, username):
    """screen.sign_in, then wait until the home page has loaded its scripts."""
    screen.sign_in(page, username)
    loaded(page)


def assert_tap(locator, what):
    box = locator.bounding_box()
    assert box is not None, f"{what} is not shown"
    assert box["width"] >= TAP and box["height"] >= TAP, f"{what}: {box}"


def test_phone_header_is_one_row_with_a_folded_menu(hall):
    page = hall(js=False)
    sign_in(page, "coordinator")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= 64
    lang = page.get_by_role("navigation", name="Ngôn ngữ")
    assert_tap(lang.get_by_text("VI"), "VI")
    assert_tap(lang.get_by_role("link", name="EN"), "the EN link")
    # the menu is folded: its links are not shown until "Menu" is pressed (no script)
    account = page.get_by_role("link", name="Trương Thị Mỹ Duyên")
    expect(account).to_be_hidden()
    menu = page.locator("summary", has_text="Menu")
    assert_tap(menu, "Menu")
    menu.click()
    assert_tap(account, "the account link")
    for name in ("Trang chủ", "Lớp tập huấn", "Cán bộ"):
        assert_tap(page.get_by_role("link", name=name, exact=True), name)
    assert_tap(page.get_by_role("button", name="Đăng xuất"), "Đăng xuất")
    account.click()
    expect(page.get_by_role("heading", name="Đổi mật khẩu")).to_be_visible()

    # on a desktop everything is shown, no menu to open
    desk = hall(js=False, width=1280)
    sign_in(desk, "coordinator")
    expect(desk.locator("summary", has_text="Menu")).to_be_hidden()
    expect(desk.get_by_role("link", name="Trương Thị Mỹ Duyên")).to_be_visible()
    expect(desk.get_by_role("link", name="Cán bộ", exact=True)).to_be_visible()


def test_the_coordinator_sees_the_classes_before_the_figures(hall):
    page = hall()
    sign_in(page, "coordinator")
    classes = page.get_by_role("heading", name="Lớp đang chuẩn bị và đang học")
    figures = page.get_by_text("cán bộ đang theo dõi")
    assert classes.bounding_box()["y"] < figures.bounding_box()["y"]
    assert classes.bounding_box()["y"] < 740  # on the first screen
    assert_tap(page.get_by_role("link", name="Tạo lớp mới"), "Tạo lớp mới")


def test_the_learner_continues_with_one_big_button_then_the_quiz(hall, live_app):
    page = hall()
    sign_in(page, "learner")
    next_step = page.get_by_role("link", name="Học tiếp").first
    box = next_step.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300 and box["y"] < 400
    next_step.click()
    expect(page.get_by_role("button", name="Đánh dấu đã học xong")).to_be_visible()

    # every lesson done: the big button says "Làm bài kiểm tra" and opens the quiz
    _finish_lessons(live_app)
    page.goto("/")
    expect(page.get_by_role("link", name="Học tiếp")).to_have_count(0)
    quiz = page.get_by_role("link", name="Làm bài kiểm tra").first
    assert quiz.bounding_box()["height"] >= 48
    quiz.click()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    loaded(page)
    labels = page.locator("fieldset .form-check-label")
    assert labels.count() >= 4
    for i in range(labels.count()):
        assert_tap(labels.nth(i), f"quiz choice {i}")
    # the whole row answers a tap, not only the small circle
    first = page.locator("fieldset").first
    first.locator(".form-check-label").first.click()
    assert first.locator("input").first.is_checked()


def _finish_lessons(app):

    from app.auth.models import User
    from app.courses import progress

    with app.app_context():
        learner = db.session.scalar(select(User).where(User.username == "learner"))
        row = next(r for r in progress.my_courses(learner) if not r.enrollment.completed_at)
        for lesson in row.course.active_lessons:
            progress.mark_done(row.enrollment, lesson)
        db.session.commit()


def _class_id(app, code):

    from app.classes.models import TrainingClass

    with app.app_context():
        return db.session.scalar(select(TrainingClass.id).where(TrainingClass.code == code))


def serious_violations(page):
    """axe-core's serious and critical findings on the loaded page (axe's own script, from the
    axe-playwright-python package: nothing fetched from outside)."""
    from axe_playwright_python.sync_playwright import Axe

    loaded(page)
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                        for n in v["nodes"][:5])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [360, 1280])
def test_no_serious_accessibility_violation(hall, live_app, width):
    open_class, running = _class_id(live_app, "TH-04"), _class_id(live_app, "TH-02")
    slug = "chuong-trinh-giam-ngheo-2021-2025"
    walks = {
        "admin": ["/"],
        "coordinator": ["/", "/cadres/", f"/classes/{running}",
                        f"/classes/{open_class}/applications"],
        "trainer": ["/", f"/classes/{running}"],
        "learner": ["/", f"/courses/{slug}/lessons/1", f"/courses/{slug}/quiz"],
    }
    found = {}
    for who, paths in walks.items():
        page = hall(width=width)
        sign_in(page, who)
        for path in paths:
            page.goto(path)
            if path.endswith("/quiz"):
                page.get_by_role("button", name="Bắt đầu làm bài").click()
                expect(page.get_by_role("button", name="Nộp bài")).to_be_visible()
            if path.endswith("/applications"):
                expect(page.get_by_text("Xem trước", exact=False).first).to_be_visible()
            problems = serious_violations(page)
            if problems:
                found[f"{who} {path}"] = problems
    assert not found, found


def test_the_long_applications_page_is_folded(hall, live_app):
    page = hall(js=False)
    sign_in(page, "coordinator")
    page.goto(f"/classes/{_class_id(live_app, 'TH-04')}/applications")  # 60 for 20 seats
    loaded(page)
    assert page.evaluate("document.documentElement.scrollHeight") < 8000  # 29,000 before
    expect(page.get_by_role("button", name="Xác nhận kết quả xét chọn")).to_be_visible()
    waitlist = page.locator("ol.preview-waitlist")
    expect(waitlist).to_have_count(0)  # folded: its rows are not even written
    page.get_by_role("link", name="Danh sách chờ (40)").click()
    expect(waitlist).to_be_visible()
    expect(waitlist.locator(":scope > li")).to_have_count(40)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_learner_is_warned_of_a_class_on_the_same_days(hall, live_app):
    from app.auth.models import User
    from app.classes import service
    from app.classes.models import TrainingClass

    with live_app.app_context():
        held = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "TH-04"))
        coordinator = db.session.scalar(select(User).where(User.username == "coordinator"))
        same_days = service.create_class(coordinator, service.ClassData(
            code="TH-TRUNG", title="Lớp trùng ngày", place="Hội trường xã Sơn Hà",
            start_date=held.end_date, end_date=held.end_date, capacity=20,
            trainer_ids=[t.id for t in held.trainers],
            unit_ids=[u.id for u in held.invited_units]))
        same_days.status = "open"
        db.session.commit()
        other = same_days.id
    page = hall(js=False)
    sign_in(page, "learner")
    page.goto(f"/classes/{other}")
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("trùng ngày với lớp bạn đã đăng ký")
    expect(warning).to_contain_text("TH-04")
    go_on = page.get_by_role("button", name="Vẫn đăng ký")
    assert_tap(go_on, "Vẫn đăng ký")
    go_on.click()
    expect(page.get_by_role("status").first).to_contain_text("Đã đăng ký lớp TH-TRUNG")
