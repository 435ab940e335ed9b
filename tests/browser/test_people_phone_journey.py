"""A coordinator on a cheap phone (360 px, JavaScript off) filters the cadre list, stops
following a cadre with a double-submitted form, and an admin locks an account."""

import pytest
from playwright.sync_api import expect

from app.demo.people import load
from app.extensions import db
from tests.browser.screen import fits_the_screen, loaded, nav_link


def _seed(app):
    with app.app_context():
        load({})
        db.session.commit()


@pytest.fixture()
def phone(browser, live_app):
    """A page on a 360-px screen with JavaScript off, the demo people loaded."""
    _seed(live_app)
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def _sign_in(page, username):
    page.goto("/auth/login")
    # a phone keyboard capitalises the first letter
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username.capitalize())
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()


def test_coordinator_on_a_phone_without_javascript(phone):
    page = phone
    _sign_in(page, "coordinator")
    nav_link(page, "Cán bộ").click()
    fits_the_screen(page)

    # Commune first, then (after "Lọc", no script) one of its villages.
    page.get_by_text("Lọc theo xã, thôn").click()
    page.get_by_label("Xã", exact=True).select_option(label="Xã Sơn Kỳ")
    page.get_by_role("button", name="Lọc").click()
    village = page.get_by_label("Thôn/Bản", exact=True)
    village.select_option(index=1)
    page.get_by_role("button", name="Lọc").click()
    loaded(page)  # the whole list, before counting its rows
    rows = page.locator("table.cadre-list tbody tr")
    assert rows.count() > 0 and "xã Sơn Kỳ" in rows.first.inner_text()

    # Another commune; the village list still holds Sơn Kỳ's village until the next page.
    page.get_by_label("Xã", exact=True).select_option(label="Xã Sơn Hà")
    page.get_by_role("button", name="Lọc").click()
    loaded(page)
    assert rows.count() > 0
    assert all("xã Sơn Hà" in text for text in rows.all_inner_texts())
    fits_the_screen(page)

    # Stop following a cadre; the same page left open in a second tab, pressed again,
    # changes nothing (a toggle would have brought the cadre back).
    rows.first.get_by_role("link").click()
    other_tab = page.context.new_page()
    other_tab.goto(page.url)
    page.get_by_label("Lý do").fill("Chuyển công tác")
    page.get_by_role("button", name="Ngừng theo dõi").click()
    assert "lịch sử được giữ nguyên" in page.get_by_role("status").first.inner_text()
    other_tab.get_by_role("button", name="Ngừng theo dõi").click()
    assert "đã ngừng theo dõi từ trước" in other_tab.get_by_role("status").first.inner_text()
    expect(other_tab.get_by_role("button", name="Kích hoạt lại")).to_be_visible()
    fits_the_screen(other_tab)


def test_admin_locks_an_account_on_a_phone(phone):
    page = phone
    _sign_in(page, "admin")
    nav_link(page, "Tài khoản").click()
    lock = page.get_by_role("button", name="Khóa tài khoản trainer")
    loaded(page)  # its place once the stylesheets apply
    box = lock.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # reachable without scrolling
    lock.click()
    assert "Đã khóa tài khoản trainer" in page.get_by_role("status").first.inner_text()
    expect(page.get_by_role("button", name="Mở khóa tài khoản trainer")).to_be_visible()
    fits_the_screen(page)
