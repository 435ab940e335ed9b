"""A trainer takes attendance on a cheap phone (360 px, JavaScript off): "all present", the
exceptions, save. Then the coordinator, at a desk with the keyboard (JavaScript on), keys a
signed sheet back on the class's attendance sheet, attaches a photo of it, and downloads the
papers: the sign-in sheets (all sessions, one session: the QR code on the page names them),
the attendance report as Excel, the allowance list (its page fits a phone too)."""

import io
import os
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.models import Cadre, Position
from app.people.reference import ensure_positions, ensure_son_ha_units
from tests.browser.screen import fits_the_screen, loaded, nav_link, sign_in
from tests.documents.rasterize import pages as rasterized
from tests.documents.rasterize import qr_texts

GIVEN = ["An", "Bình", "Cúc", "Dũng", "Hoa", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Sơn",
         "Tâm"]
SHOTS = os.environ.get("ATTENDANCE_SCREENSHOTS")  # a folder: keep screenshots to look at


def _seed(app):
    from app.classes import service
    from app.classes.models import Application
    from app.timeutil import local_today

    with app.app_context():
        ensure_positions()
        communes = ensure_son_ha_units()
        users = ensure_accounts()
        son_ky = communes["new:son-ky"]
        position = db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))
        start = local_today() - timedelta(days=1)
        klass = service.create_class(users["coordinator"], service.ClassData(
            code="TH-DD", title="Lớp điểm danh thử", place="Nhà văn hóa xã Sơn Kỳ",
            start_date=start, end_date=start + timedelta(days=2), capacity=len(GIVEN),
            trainer_ids=[users["trainer"].id], unit_ids=[son_ky.id]))
        for i, given in enumerate(GIVEN):
            cadre = Cadre(gender="F" if i % 2 else "M", birth_year=1975 + i,
                          commune_id=son_ky.id, ethnicity_code="18", position_id=position)
            cadre.set_name(f"Đinh {'Thị' if i % 2 else 'Văn'} {given}")
            cadre.refresh_identity()
            db.session.add(cadre)
            db.session.flush()
            db.session.add(Application(class_id=klass.id, cadre_id=cadre.id, status="admitted",
                                       source="nominated"))
        klass.admitted_count = len(GIVEN)
        klass.status = "running"
        db.session.commit()
        return klass.id


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))
        page.screenshot(path=os.path.join(SHOTS, f"{name}-full.png"), full_page=True)


@pytest.fixture()
def phone(browser, live_app):
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture()
def desk(browser, live_app):
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_trainer_marks_on_a_phone_then_the_coordinator_keys_back_the_sheet(live_app, phone,
                                                                          desk, tmp_path):
    class_id = _seed(live_app)

    # --- the trainer, in the commune hall, on a 360-px phone without JavaScript -------------
    page = phone
    sign_in(page, "trainer")
    nav_link(page, "Lớp tập huấn").click()
    page.get_by_role("link", name="TH-DD").first.click()
    page.locator("ul.attendance-sessions li").first.get_by_role("link", name="Điểm danh").click()
    loaded(page)
    expect(page.get_by_role("heading", name="Điểm danh buổi sáng")).to_be_visible()
    fits_the_screen(page)
    page.get_by_role("link", name="Tất cả có mặt").click()  # no script: the page comes back
    loaded(page)
    assert page.locator("input[data-present]:checked").count() == len(GIVEN)
    rows = page.locator("li.mark-row")
    for box in [rows.first.locator("label.btn").nth(i).bounding_box() for i in range(4)]:
        assert box["height"] >= 44 and box["width"] >= 44, box  # a thumb's target
    assert rows.first.locator("label.btn").nth(3).bounding_box()["x"] + 44 <= 360
    _shot(page, "mark-phone-all-present")
    # the exceptions: two taps and a note, then save
    minh = page.locator("li.mark-row", has_text="Đinh Thị Minh")
    minh.get_by_text("Muộn", exact=True).click()
    cuc = page.locator("li.mark-row", has_text="Đinh Văn Cúc")
    cuc.get_by_text("Vắng", exact=True).click()
    cuc.get_by_text("Ghi chú", exact=True).click()
    cuc.get_by_label("Ghi chú cho Đinh Văn Cúc").fill("Đi viện")
    page.get_by_role("button", name="Lưu điểm danh").click()
    status = page.get_by_role("status").first.inner_text()
    assert "10 có mặt, 1 muộn, 0 có phép, 1 vắng (12 mới, 0 sửa)" in status
    fits_the_screen(page)
    _shot(page, "mark-phone-saved")
    page.get_by_role("link", name="Về trang lớp").click()
    loaded(page)
    completion = page.locator("table.completion").inner_text()
    assert "Đinh Văn Cúc" in completion and "thiếu 5 buổi" in completion
    fits_the_screen(page)
    _shot(page, "class-phone")

    # --- the coordinator keys the next signed sheet back, at a desk --------------------------
    page = desk
    sign_in(page, "coordinator")
    page.goto(f"/classes/{class_id}/attendance/keyback")
    loaded(page)
    column = 1  # yesterday afternoon's sheet
    cells = page.locator(f"table.keyback tbody tr td:nth-child({3 + column}) input.keyback-cell")
    assert cells.count() == len(GIVEN)
    # "c" under the session fills its empty cells (in place, by the script), not the others'
    page.locator("tr.fill-row").get_by_role(
        "link", name="Điền “có mặt” vào các ô trống của buổi chiều").first.click()
    assert page.url.endswith("/keyback")
    assert cells.nth(0).input_value() == "c"
    others = page.locator("table.keyback tbody tr td:nth-child(5) input.keyback-cell")
    assert all(others.nth(i).input_value() == "" for i in range(others.count()))
    # the exceptions with the keyboard: Enter goes down the column, a letter moves on by itself
    cells.nth(2).click()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("v")  # the 5th learner; the cursor moves to the 6th
    page.keyboard.type("m")
    assert [cells.nth(i).input_value() for i in range(3, 7)] == ["c", "v", "m", "c"]
    _shot(page, "keyback-desk")
    page.get_by_role("button", name="Lưu bảng điểm danh").click()
    assert "Đã lưu điểm danh" in page.get_by_role("status").first.inner_text()
    row = page.locator("table.keyback tbody tr").nth(4)
    assert row.locator("input.keyback-cell").nth(column).input_value() == "v"
    # a photo of the signed sheet as evidence
    photo = io.BytesIO()
    Image.new("RGB", (800, 1100), (245, 245, 240)).save(photo, "JPEG")
    (tmp_path / "danh-sach-chieu.jpg").write_bytes(photo.getvalue())
    page.get_by_label("Buổi học").select_option(label="Buổi chiều " + (
        page.locator("table.keyback thead abbr").nth(column).get_attribute("title")
        .split(" ", 1)[1]))
    page.get_by_label("Bản quét hoặc ảnh chụp danh sách ký (PDF, JPG, PNG)").set_input_files(
        str(tmp_path / "danh-sach-chieu.jpg"))
    page.get_by_role("button", name="Tải lên").click()
    assert "Đã thêm danh-sach-chieu.jpg" in page.get_by_role("status").first.inner_text()
    expect(page.locator("ul.evidence-list")).to_contain_text("danh-sach-chieu.jpg")
    _shot(page, "keyback-desk-saved")
    page.set_viewport_size({"width": 360, "height": 740})
    fits_the_screen(page)  # the sheet scrolls inside its own box on a phone
    _shot(page, "keyback-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="TH-DD").click()
    page.locator("ul.attendance-sessions li").first.get_by_role("link").click()
    loaded(page)
    assert "Đinh Văn Cúc" in page.locator("li.mark-row").nth(2).inner_text()
    expect(page.get_by_label("Ghi chú cho Đinh Văn Cúc")).to_have_value("Đi viện")
    _shot(page, "mark-desk")

    # --- the coordinator downloads the sheets -------------------------------------------------
    page.goto(f"/classes/{class_id}/attendance/keyback")
    loaded(page)
    href = page.get_by_role("link", name="Danh sách ký, tất cả các buổi (PDF)").get_attribute(
        "href")
    sheet = page.request.get(href)
    assert sheet.status == 200 and sheet.headers["content-type"] == "application/pdf"
    image = rasterized(sheet.body())[0]
    assert qr_texts(image)[0].startswith(f"taphuan:sheet:{class_id}:")
    # one session's sheet: the form names the session (a GET, no script needed)
    session = page.get_by_label("Danh sách ký một buổi")
    session_id = session.locator("option").nth(1).get_attribute("value")
    session.select_option(session_id)
    with page.expect_response(lambda r: "sign-in-sheet.pdf?session=" in r.url) as answer:
        page.get_by_role("button", name="In (PDF)").click()
    assert answer.value.status == 200
    one = page.request.get(answer.value.url)  # the same address, read as bytes
    # the QR code names the print and the page; the print's layout names the session
    [code] = qr_texts(rasterized(one.body())[0])
    _prefix, _sheet, named_class, print_id, page_number, _mac = code.split(":")
    assert (named_class, page_number) == (str(class_id), "1")
    layout = page.request.get(f"/classes/{class_id}/sheet-prints/{print_id}/layout.json").json()
    assert layout["sessions"] == [int(session_id)]
    page.goto(f"/classes/{class_id}/attendance/keyback")
    loaded(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Báo cáo điểm danh (Excel)").click()
    assert download.value.suggested_filename == "diem-danh-TH-DD.xlsx"
    page.get_by_role("link", name="Danh sách nhận tiền hỗ trợ").click()
    loaded(page)
    expect(page.locator("p.allowance-words")).to_contain_text("Bằng chữ:")
    allowance = page.request.get(f"/classes/{class_id}/allowance.pdf")
    assert allowance.status == 200
    page.set_viewport_size({"width": 360, "height": 740})
    fits_the_screen(page)
    _shot(page, "allowance-phone")
    page.goto("/admin/allowance/")
    loaded(page)
    fits_the_screen(page)
    _shot(page, "allowance-settings-phone")
