"""One class from the first form to a certificate a stranger verifies, in Chromium, through the
pages only (issue 16, point 8). The coordinator plans the class (course, dates, sessions,
seats, the commune invited), opens it, nominates four cadres and confirms the allocation (three
seats: one waits), withdraws the one waiting (asked first, with the reason) and starts the
class. The trainer, on a phone, takes attendance for both sessions. The coordinator downloads
the sign-in sheet and the allowance list and reads the names on them
(tests/documents/pdftext.py), ends the class; the trainer confirms the results; the
coordinator issues the certificates; an anonymous visitor verifies one.

Only what is not the coordinator's work is prepared beforehand: the units, the accounts, the
organisation's settings (the admin's), a course and the cadre list."""

import os
import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.models import Cadre, Position
from app.people.reference import ensure_positions, ensure_son_ha_units
from tests.browser.screen import fits_the_screen, loaded, nav_link, sign_in
from tests.documents.pdftext import drawn_text, texts

SHOTS = os.environ.get("JOURNEY_SCREENSHOTS")  # a folder: keep screenshots to look at
# name, gender, position: three women leaders and a commune official (the one who waits)
PEOPLE = [("Đinh Thị Lanh", "F", "truong-thon"), ("Hồ Thị Mai", "F", "bi-thu-chi-bo"),
          ("Phạm Văn Ba", "M", "truong-thon"), ("Nguyễn Văn Bốn", "M", "cong-chuc-khac")]
ADMITTED = ["Đinh Thị Lanh", "Hồ Thị Mai", "Phạm Văn Ba"]


def _seed(app):
    from app.courses.models import Course
    from app.documents.models import DEFAULTS, FIELDS, save_settings

    with app.app_context():
        ensure_positions()
        communes = ensure_son_ha_units()
        users = ensure_accounts()
        son_ky = communes["new:son-ky"]
        save_settings(users["admin"], {**{f: getattr(DEFAULTS, f) for f in FIELDS},
                                       "unit_id": son_ky.id, "place_name": "Sơn Kỳ"})
        for i, (name, gender, position) in enumerate(PEOPLE):
            cadre = Cadre(gender=gender, birth_year=1980 + i, commune_id=son_ky.id,
                          ethnicity_code="18", position_id=db.session.scalar(
                              select(Position.id).where(Position.code == position)))
            cadre.set_name(name)
            cadre.refresh_identity()
            db.session.add(cadre)
        db.session.add(Course(slug="giam-ngheo-da-chieu", code="GN-01", status="published",
                              title="Giảm nghèo đa chiều"))
        db.session.commit()


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _status(page, label):
    page.get_by_role("button", name=f"Chuyển sang: {label}").click()
    expect(page.locator(".class-status")).to_contain_text(label)


def _names_on(page, href, name) -> list[str]:
    """The PDF at `href` as the browser downloads it, and the text drawn on its pages."""
    with drawn_text() as runs:
        response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    if SHOTS:
        with open(os.path.join(SHOTS, f"{name}.pdf"), "wb") as out:
            out.write(response.body())
    return texts(runs)


def test_a_whole_class_from_the_plan_to_a_verified_certificate(live_app, browser):
    from app.timeutil import local_today

    _seed(live_app)
    day = local_today() - timedelta(days=1)  # held yesterday: both sessions have taken place
    made = []

    def new(width):
        context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                      viewport={"width": width, "height": 900})
        made.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    try:
        desk, phone, visitor = new(1280), new(360), new(360)
        _journey(desk, phone, visitor, day)
    finally:
        for context in made:
            context.close()


def _journey(desk, phone, visitor, day):
    # --- the coordinator plans the class ---------------------------------------------------
    page = desk
    sign_in(page, "coordinator")
    nav_link(page, "Lớp tập huấn").click()
    page.get_by_role("link", name="Tạo lớp", exact=True).click()
    page.get_by_label("Mã lớp").fill("TH-TRON-01")
    page.get_by_label("Tên lớp").fill("Giảm nghèo đa chiều cho cán bộ thôn")
    page.get_by_label("Khóa học (chuyên đề)").select_option(label="GN-01 – Giảm nghèo đa chiều")
    page.get_by_label("Địa điểm", exact=True).fill("Nhà văn hóa xã Sơn Kỳ")
    page.get_by_label("Ngày bắt đầu").fill(f"{day:%d/%m/%Y}")
    page.get_by_label("Ngày kết thúc").fill(f"{day:%d/%m/%Y}")
    page.get_by_label("Số chỗ", exact=True).fill("3")
    page.get_by_label("Mức hỗ trợ tiền ăn mỗi ngày (đồng)").fill("100.000")
    page.get_by_label("Phạm Văn Tâm").check()  # the trainer
    for box in page.locator("input[name=unit_ids]").all():  # every commune comes ticked
        box.uncheck()
    page.get_by_label("Xã Sơn Kỳ", exact=True).check()
    page.get_by_role("button", name="Tạo lớp").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã tạo lớp TH-TRON-01.")
    expect(page.locator("ul.sessions li")).to_have_count(2)  # morning and afternoon
    class_url = page.url
    _status(page, "Đang mở đăng ký")

    # --- nominates four, confirms the allocation: three seats, one waits ---------------------
    page.get_by_role("link", name="Đăng ký và xét chọn").click()
    page.get_by_role("link", name="Đề cử cán bộ").click()
    for name, _gender, _position in PEOPLE:
        page.locator("table.cadre-pick tr", has_text=name).locator(
            "input[type=checkbox]").check()
    page.get_by_role("button", name="Đề cử những người đã chọn").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã đề cử 4 cán bộ.")
    page.get_by_role("link", name="Xong: xem đăng ký và xét chọn").click()
    admitted = page.locator("ol.preview-admitted")
    for name in ADMITTED:
        expect(admitted).to_contain_text(name)
    expect(page.locator("ol.preview-waitlist")).to_contain_text("Nguyễn Văn Bốn")
    page.get_by_role("button", name="Xác nhận kết quả xét chọn").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã xác nhận xét chọn")
    # the one waiting has moved away: withdrawn with a reason, after a confirmation step
    page.goto(f"{class_url}/applications")
    row = page.locator("table.application-list tr", has_text="Nguyễn Văn Bốn")
    row.get_by_role("link", name="Rút tên…").click()  # the form opens on that row only
    row = page.locator("table.application-list tr", has_text="Nguyễn Văn Bốn")
    row.get_by_label("Lý do rút tên (bắt buộc)").fill("Chuyển công tác")
    row.get_by_role("button", name="Rút tên…").click()
    expect(page.get_by_role("heading", name="Rút tên Nguyễn Văn Bốn khỏi lớp TH-TRON-01?")) \
        .to_be_visible()
    expect(page.get_by_label("Lý do (bắt buộc)")).to_have_value("Chuyển công tác")
    page.set_viewport_size({"width": 360, "height": 900})
    fits_the_screen(page)
    _shot(page, "journey-withdraw-confirm-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Rút tên Nguyễn Văn Bốn").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Đã rút tên Nguyễn Văn Bốn khỏi lớp.")
    page.goto(class_url)
    _status(page, "Đang học")
    _shot(page, "journey-class-running")

    # --- the trainer takes attendance on a phone, both sessions ------------------------------
    page = phone
    sign_in(page, "trainer")
    nav_link(page, "Lớp tập huấn").click()
    page.get_by_role("link", name="TH-TRON-01").first.click()
    for n in range(2):
        page.locator("ul.attendance-sessions li").nth(n).get_by_role(
            "link", name="Điểm danh").click()
        loaded(page)
        page.get_by_role("link", name="Tất cả có mặt").click()
        loaded(page)
        page.get_by_role("button", name="Lưu điểm danh").click()
        # with JavaScript each mark is kept on the phone and sent (static/js/attendance.js):
        # every row says "đã lưu" once the server has it
        expect(page.locator(".sync-state", has_text="đã lưu")).to_have_count(3)
        fits_the_screen(page)
        page.get_by_role("link", name="Về trang lớp").click()
    _shot(page, "journey-trainer-phone")

    # --- the coordinator prints the sign-in sheet and the allowance list ---------------------
    page = desk
    page.goto(class_url)
    page.get_by_role("link", name=re.compile("Bảng điểm danh")).first.click()
    loaded(page)
    sheet = _names_on(page, page.get_by_role(
        "link", name="Danh sách ký, tất cả các buổi (PDF)").get_attribute("href"), "sheet")
    for name in ADMITTED:
        assert any(name in t for t in sheet), (name, sheet)
    assert not any("Nguyễn Văn Bốn" in t for t in sheet)  # waiting: not on the sheet
    page.get_by_role("link", name="Danh sách nhận tiền hỗ trợ").click()
    loaded(page)
    expect(page.locator("p.allowance-words")).to_contain_text("Bằng chữ:")
    allowance = _names_on(page, page.get_by_role("link", name="In danh sách (PDF)")
                          .get_attribute("href"), "allowance")
    for name in ADMITTED:
        assert any(name in t for t in allowance), (name, allowance)
    assert any("300.000" in t for t in allowance), allowance  # 3 × 1 day × 100.000 đ
    _shot(page, "journey-allowance")
    page.goto(class_url)
    _status(page, "Đã kết thúc")

    # --- the trainer confirms the results; the coordinator issues ----------------------------
    page = phone
    page.goto(class_url)
    page.get_by_role("link", name="Xét cấp giấy chứng nhận").click()
    page.get_by_role("button", name="Xác nhận kết quả: 3/3 học viên đạt").click()
    expect(page.get_by_text("Đã xác nhận kết quả của lớp.")).to_be_visible()

    page = desk
    page.goto(class_url)
    page.get_by_role("link", name="Xét cấp giấy chứng nhận").click()
    page.get_by_role("button", name="Cấp cho tất cả học viên đủ điều kiện (3)").click()
    expect(page.get_by_text("Đã cấp 3 giấy chứng nhận")).to_be_visible()
    _shot(page, "journey-certificates")
    row = page.locator("tr", has_text="Hồ Thị Mai")
    href = row.get_by_role("link").first.get_attribute("href")
    code = href.rstrip("/").rsplit("/", 1)[-1].removesuffix(".pdf")

    # --- an anonymous visitor verifies it ---------------------------------------------------
    page = visitor
    page.goto(f"/verify/{code}")
    expect(page.locator(".verify-outcome")).to_contain_text(
        "Giấy chứng nhận hợp lệ, còn hiệu lực.")
    expect(page.locator(".verify-details")).to_contain_text("Hồ Thị Mai")
    expect(page.locator(".verify-details")).to_contain_text("Giảm nghèo đa chiều cho cán bộ thôn")
    fits_the_screen(page)
    _shot(page, "journey-verify")
