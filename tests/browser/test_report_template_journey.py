"""The province's form and the API's tokens, in Chromium on a phone: the admin adds the
example form, uploads a wrong one and reads which cell is wrong, makes an API token, sees it
once and revokes it; a coordinator fills the form for a year and downloads it."""

import io
import os

from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.reference import ensure_positions, ensure_son_ha_units
from tests.browser.screen import fits_the_screen, loaded, nav_link, sign_in, sign_out

SHOTS = os.environ.get("TEMPLATE_SCREENSHOTS")  # a folder: keep screenshots to look at


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _wrong_form() -> bytes:
    book = Workbook()
    book.active.title = "Biểu 02"
    book.active["D3"] = "{{luot}}"
    book.active["C12"] = "{{luot_nuu}}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_admin_sets_up_and_a_coordinator_downloads_the_filled_form(page, live_app):
    with live_app.app_context():
        ensure_positions()
        ensure_son_ha_units()
        ensure_accounts()
        db.session.commit()
    sign_in(page, "admin")
    nav_link(page, "Biểu mẫu báo cáo").click()
    loaded(page)
    expect(page.get_by_role("heading", name="Biểu mẫu báo cáo của tỉnh")).to_be_visible()
    page.get_by_label("Tên biểu mẫu").fill("Biểu của tỉnh (sai)")
    page.get_by_label("Tệp biểu mẫu (.xlsx)").set_input_files(
        files=[{"name": "bieu-tinh.xlsx", "buffer": _wrong_form(),
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#template-problems")).to_contain_text(
        "Ô C12 (trang “Biểu 02”): không có chỉ tiêu “luot_nuu”.")
    fits_the_screen(page)
    _shot(page, "templates-refused-phone")
    page.get_by_role("button", name="Thêm biểu mẫu ví dụ (kết quả tập huấn)").click()
    loaded(page)
    expect(page.locator("table.template-slots")).to_contain_text("luot_nu")
    fits_the_screen(page)
    _shot(page, "template-detail-phone")

    nav_link(page, "Khóa API").click()
    page.get_by_label("Hệ thống sẽ dùng khóa").fill("Hệ thống báo cáo của Sở")
    page.get_by_role("button", name="Tạo khóa").click()
    secret = page.locator("code.token-secret").inner_text()
    assert secret.startswith("tph_")
    fits_the_screen(page)
    _shot(page, "api-token-made-phone")
    headers = {"Authorization": f"Bearer {secret}"}
    assert page.request.get("/api/v1/classes", headers=headers).status == 200
    page.goto("/admin/api-tokens/")
    assert secret not in page.content()
    page.get_by_role("button", name="Thu hồi khóa Hệ thống báo cáo của Sở").click()
    expect(page.get_by_text("Đã thu hồi khóa")).to_be_visible()
    assert page.request.get("/api/v1/classes", headers=headers).status == 401
    sign_out(page)

    sign_in(page, "coordinator")
    nav_link(page, "Biểu mẫu báo cáo").click()
    page.get_by_role("link", name="Ví dụ: kết quả tập huấn").click()
    page.get_by_label("Năm").select_option("2026")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải biểu đã điền (.xlsx)").click()
    filled = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert filled["A3"].value.startswith("Kỳ báo cáo: Năm 2026")
    assert filled["D8"].value == 0 and filled["D10"].value == "=D8-D9"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    loaded(page)
    _shot(page, "template-detail-desktop")
