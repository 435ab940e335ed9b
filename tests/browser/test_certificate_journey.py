"""Certificates, end to end in Chromium: the trainer confirms the results of a finished class,
the coordinator issues the certificates, the learner downloads theirs from the home page on a
phone, and an anonymous visitor reads the QR code off the PDF and verifies it, then types a
wrong code."""

import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.models import Cadre, Position
from app.people.reference import ensure_positions, ensure_son_ha_units
from tests.browser.screen import fits_the_screen, sign_in
from tests.documents.rasterize import pages, qr_texts

SHOTS = os.environ.get("CERTIFICATE_SCREENSHOTS")  # a folder: keep screenshots to look at
NAMES = ["Đinh Văn An", "Hồ Thị Bình", "Phạm Văn Cường"]


def _seed(app):
    from app.attendance.models import AttendanceMark
    from app.classes import service
    from app.classes.models import Application
    from app.documents.models import DEFAULTS, FIELDS, save_settings
    from app.timeutil import local_today

    with app.app_context():
        ensure_positions()
        communes = ensure_son_ha_units()
        users = ensure_accounts()
        son_ha = communes["new:son-ha"]
        save_settings(users["admin"], {**{f: getattr(DEFAULTS, f) for f in FIELDS},
                                       "unit_id": son_ha.id})
        position = db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))
        start = local_today() - timedelta(days=20)
        klass = service.create_class(users["coordinator"], service.ClassData(
            code="TH-GCN", title="Giảm nghèo đa chiều cho cán bộ thôn",
            place="Hội trường UBND xã Sơn Hà", start_date=start, end_date=start,
            capacity=len(NAMES) + 1, trainer_ids=[users["trainer"].id], unit_ids=[son_ha.id]))
        cadres = []
        for i, name in enumerate([*NAMES, "Đinh Thị Rin"]):
            cadre = Cadre(gender="F" if "Thị" in name else "M", birth_year=1980 + i,
                          commune_id=son_ha.id, ethnicity_code="18", position_id=position,
                          user_id=users["learner"].id if name == "Đinh Thị Rin" else None)
            cadre.set_name(name)
            cadre.refresh_identity()
            db.session.add(cadre)
            cadres.append(cadre)
        db.session.flush()
        for cadre in cadres:
            application = Application(class_id=klass.id, cadre_id=cadre.id, status="admitted",
                                      source="nominated")
            db.session.add(application)
            db.session.flush()
            for session in klass.sessions:
                absent = cadre.full_name == "Phạm Văn Cường" and session.part == "morning"
                db.session.add(AttendanceMark(session_id=session.id,
                                              application_id=application.id,
                                              status="absent" if absent else "present"))
        klass.admitted_count = len(cadres)
        klass.status = "finished"
        db.session.commit()
        return klass.id


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture()
def contexts(browser, live_app):
    made = []

    def new(width=360):
        context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                      viewport={"width": width, "height": 780})
        made.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield new
    for context in made:
        context.close()


def test_issue_download_and_verify(live_app, contexts):
    class_id = _seed(live_app)

    trainer = contexts()
    sign_in(trainer, "trainer")
    trainer.goto(f"/classes/{class_id}")
    trainer.get_by_role("link", name="Xét cấp giấy chứng nhận").click()
    row = trainer.locator("tr", has_text="Phạm Văn Cường")
    expect(row.locator(".missing")).to_have_text("thiếu 1 buổi")
    trainer.get_by_role("button", name="Xác nhận kết quả: 3/4 học viên đạt").click()
    expect(trainer.get_by_text("Đã xác nhận kết quả của lớp.")).to_be_visible()
    fits_the_screen(trainer)
    _shot(trainer, "certificates-class-phone")
    expect(trainer.get_by_role("button", name="Cấp cho tất cả học viên đủ điều kiện")) \
        .to_have_count(0)  # the trainer confirms; the coordinator issues

    coordinator = contexts(1280)
    sign_in(coordinator, "coordinator")
    coordinator.goto(f"/classes/{class_id}/certificates")
    coordinator.get_by_role("button", name="Cấp cho tất cả học viên đủ điều kiện (3)").click()
    expect(coordinator.get_by_text("Đã cấp 3 giấy chứng nhận")).to_be_visible()
    expect(coordinator.locator("tr", has_text="Đinh Thị Rin")).to_contain_text("Số 003/GCN-UBND")
    expect(coordinator.get_by_role("button", name="Cấp cho tất cả học viên đủ điều kiện")) \
        .to_have_count(0)
    _shot(coordinator, "certificates-class")

    learner = contexts()
    sign_in(learner, "learner")
    card = learner.locator("section", has_text="Giấy chứng nhận của tôi")
    expect(card).to_contain_text("Giảm nghèo đa chiều cho cán bộ thôn")
    fits_the_screen(learner)
    _shot(learner, "learner-home")
    href = card.get_by_role("link", name="Tải giấy chứng nhận (PDF)").get_attribute("href")
    response = learner.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    [url] = qr_texts(pages(response.body())[0])
    assert url.startswith(live_app.config["LIVE_URL"] + "/verify/")

    visitor = contexts()
    visitor.goto(url)
    expect(visitor.locator(".verify-outcome")).to_contain_text(
        "Giấy chứng nhận hợp lệ, còn hiệu lực.")
    expect(visitor.locator(".verify-details")).to_contain_text("Đinh Thị Rin")
    fits_the_screen(visitor)
    _shot(visitor, "verify-valid")
    visitor.get_by_label("Mã xác minh").fill("0000-OOOO")
    visitor.get_by_role("button", name="Kiểm tra").click()
    expect(visitor.get_by_text("Mã xác minh gồm 10 ký tự")).to_be_visible()
    _shot(visitor, "verify-malformed")
