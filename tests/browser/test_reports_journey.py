"""Program reports in Chromium: a coordinator opens the dashboard for 2026 on a phone, reads
the figures and charts, prints it (A4, no filter), and downloads both files: the workbook
and the official PDF. The province's own form (issue 17, point 7) joins this journey where
marked."""

import io
import os
from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.models import Cadre, Position
from app.people.reference import ensure_positions, ensure_son_ha_units
from tests.browser.screen import fits_the_screen, nav_link, sign_in

SHOTS = os.environ.get("REPORT_SCREENSHOTS")  # a folder: keep screenshots to look at
NAMES = ["Đinh Thị Hoa", "Đinh Văn Bốc", "Hồ Thị Lan"]


def _seed(app) -> None:
    from app.attendance.models import AttendanceMark
    from app.classes import service
    from app.classes.models import Application

    with app.app_context():
        ensure_positions()
        communes = ensure_son_ha_units()
        users = ensure_accounts()
        son_ky = communes["new:son-ky"]
        position = db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))
        start = date(2026, 3, 2)
        klass = service.create_class(users["coordinator"], service.ClassData(
            code="TH-BC", title="Giảm nghèo đa chiều cho cán bộ thôn",
            place="Hội trường UBND xã Sơn Kỳ", start_date=start, end_date=start,
            capacity=10, trainer_ids=[users["trainer"].id], unit_ids=[son_ky.id]))
        for i, name in enumerate(NAMES):
            cadre = Cadre(gender="F" if "Thị" in name else "M", birth_year=1980 + i,
                          commune_id=son_ky.id, ethnicity_code="18", position_id=position)
            cadre.set_name(name)
            cadre.refresh_identity()
            db.session.add(cadre)
            db.session.flush()
            application = Application(class_id=klass.id, cadre_id=cadre.id,
                                      status="admitted", source="nominated")
            db.session.add(application)
            db.session.flush()
            for session in klass.sessions:
                db.session.add(AttendanceMark(session_id=session.id,
                                              application_id=application.id,
                                              status="present"))
        klass.admitted_count = len(NAMES)
        klass.status = "finished"
        db.session.commit()


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_a_coordinator_reports_on_2026(live_app, page):
    _seed(live_app)
    sign_in(page, "coordinator")  # the home page shown before its menu is opened
    nav_link(page, "Báo cáo").click()
    page.get_by_label("Năm", exact=True).select_option("2026")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.get_by_role("heading", name="Năm 2026")).to_be_visible()
    expect(page.locator('tr[data-indicator="luot_nu"]')).to_contain_text("66,7%")
    expect(page.get_by_role("img", name="Tỷ lệ nữ theo quý")).to_be_visible()
    fits_the_screen(page)
    _shot(page, "dashboard-360")
    page.emulate_media(media="print")
    expect(page.locator(".report-filter")).to_be_hidden()
    expect(page.locator(".report-files")).to_be_hidden()
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, "dashboard-desktop")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng tính (.xlsx)").click()
    assert download.value.suggested_filename == "bao-cao-tap-huan-20260101-20261231.xlsx"
    with open(download.value.path(), "rb") as data:
        book = load_workbook(io.BytesIO(data.read()))
    assert "Theo xã" in book.sheetnames
    rows = [[c.value for c in r] for r in book["Chỉ tiêu"].iter_rows()]
    assert next(r[1:4] for r in rows if r[1] == "Lượt nữ") == ["Lượt nữ", 2, 3]

    href = page.get_by_role("link", name="Báo cáo in (PDF)").get_attribute("href")
    response = page.context.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    if SHOTS:
        with open(os.path.join(SHOTS, "report.pdf"), "wb") as out:
            out.write(response.body())
    # Issue 17, point 7: the province's own form, filled for 2026, is downloaded here.

    page.set_viewport_size({"width": 360, "height": 780})
    page.get_by_role("link", name="Độ bao phủ và kế hoạch tập huấn").click()
    expect(page.locator(".report-coverage")).to_contain_text("Xã Sơn Kỳ")
    fits_the_screen(page)
    _shot(page, "coverage-360")
