"""The audit log on a 360-px phone with JavaScript off: an admin filters it and reads an
entry's old and new values without the page scrolling sideways."""

import pytest
from playwright.sync_api import expect

from app.audit.models import record
from app.auth.models import User
from app.extensions import db
from tests.browser.screen import fits_the_screen, loaded


@pytest.fixture()
def phone(browser, live_app):
    with live_app.app_context():
        admin = User(username="admin", full_name="Quản Trị Viên")
        admin.set_password("demo12345")
        admin.set_roles(["admin"])
        db.session.add(admin)
        db.session.flush()
        for i in range(60):
            record(admin, "cadre.update", "cadre", i + 1, f"Sửa hồ sơ cán bộ số {i + 1}",
                   data={"before": {"phone": "0905111222"}, "after": {"phone": "0905333444"}})
        record(admin, "class.capacity", "class", 3, "Đổi số chỗ lớp LTH-2026-01 từ 30 lên 35",
               reason="Thêm phòng học ở nhà văn hóa xã", data={"before": 30, "after": 35})
        db.session.commit()
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def test_an_admin_reads_the_audit_log_on_a_phone(phone, tmp_path):
    phone.goto("/auth/login")
    phone.get_by_label("Tên đăng nhập hoặc số điện thoại").fill("admin")
    phone.get_by_label("Mật khẩu").fill("demo12345")
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.get_by_role("heading", name="Xin chào")).to_be_visible()  # signed in first
    phone.goto("/audit/")
    loaded(phone)
    expect(phone.get_by_role("heading", name="Nhật ký thao tác")).to_be_visible()
    fits_the_screen(phone)
    phone.get_by_label("Tìm trong nội dung, lý do").fill("phòng học")
    phone.get_by_role("button", name="Lọc").click()
    loaded(phone)
    expect(phone.get_by_text("Thêm phòng học ở nhà văn hóa xã")).to_be_visible()
    expect(phone.get_by_text("Sửa hồ sơ cán bộ số 1", exact=True)).to_have_count(0)
    fits_the_screen(phone)
    phone.screenshot(path=str(tmp_path / "audit-360.png"), full_page=True)
