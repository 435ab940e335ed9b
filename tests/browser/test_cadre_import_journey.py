"""A coordinator imports a cadre file with an error, fixes it, imports it, finds the cadre."""

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.reference import ensure_positions, ensure_son_ha_units
from tests.browser.screen import nav_link, sign_in

HEADER = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Thôn/Bản,Xã,Số điện thoại\n"


def _seed(app):
    with app.app_context():
        ensure_positions()
        ensure_son_ha_units()
        ensure_accounts()
        db.session.commit()


def test_coordinator_fixes_and_imports_a_cadre_file(live_app, page, tmp_path):
    _seed(live_app)
    sign_in(page, "coordinator")  # the home page shown before its menu is opened
    nav_link(page, "Cán bộ").click()
    page.get_by_role("link", name="Nhập từ tệp").click()

    broken = tmp_path / "can-bo.csv"
    broken.write_text(HEADER + "Đinh Thị Hrên,Nữ,12/03/1988,Hrê,Trưởng thôn,,Sơn Xyz,0905000111\n",
                      encoding="utf-8-sig")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv UTF-8)").set_input_files(str(broken))
    page.get_by_role("button", name="Tải lên").click()
    alert = page.get_by_role("alert")
    assert "Chưa nhập dòng nào" in alert.inner_text()
    assert "Sơn Xyz" in alert.inner_text()

    fixed = tmp_path / "can-bo-sua.csv"
    fixed.write_text(HEADER + "Đinh Thị Hrên,Nữ,12/03/1988,Hrê,Trưởng thôn,,Sơn Kỳ,0905000111\n",
                     encoding="utf-8-sig")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv UTF-8)").set_input_files(str(fixed))
    page.get_by_role("button", name="Tải lên").click()
    assert "thêm mới 1" in page.get_by_role("status").first.inner_text()

    page.get_by_label("Tìm theo tên hoặc số điện thoại").fill("dinh thi hren")
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("table.cadre-list tbody tr").first
    assert "Đinh Thị Hrên" in row.inner_text()
    assert "xã Sơn Kỳ" in row.inner_text()
