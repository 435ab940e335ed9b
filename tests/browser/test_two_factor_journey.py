"""A learner on a 360-px phone turns on two-factor sign-in (the code computed with pyotp, as
an authenticator app would), signs out, signs in with the code, uses a recovery code once (the
second use is refused), and signs out another session left open on an office computer."""

import io
import os
import time

import pyotp
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from app.auth.models import User
from app.extensions import db
from tests.browser.screen import fits_the_screen, sign_out

PASSWORD = "nuoc chay qua khe da"
SHOTS = os.environ.get("JOURNEY_SHOTS")  # a folder: screenshots of the pages, to look at


@pytest.fixture()
def learner(live_app):
    with live_app.app_context():
        user = User(username="hoa", full_name="Đinh Thị Hoa")
        user.set_password(PASSWORD)
        user.set_roles(["learner"])
        db.session.add(user)
        db.session.commit()


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _password_step(page):
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill("hoa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _code_step(page, code):
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Xác nhận").click()


def test_two_factor_journey(browser, live_app, page, learner):
    office = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                 user_agent="Mozilla/5.0 (Windows NT 10.0) Firefox/120.0")
    desk = office.new_page()
    _password_step(desk)  # no two-factor yet: the password alone
    expect(desk.get_by_role("heading", name="Xin chào")).to_be_visible()

    _password_step(page)
    page.goto("/auth/two-factor/")
    page.get_by_role("link", name="Bật xác thực hai bước").click()
    expect(page.locator(".enrol-qr svg")).to_be_visible()
    fits_the_screen(page)
    _shot(page, "enrol-360")
    secret = page.locator(".enrol-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    # what a phone's camera reads from the QR: the same key, for this account
    scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(
        page.locator(".enrol-qr svg").screenshot())))
    wanted = totp.provisioning_uri(name="hoa", issuer_name="Tập huấn")
    assert [code.text for code in scanned] == [wanted]
    page.get_by_label("Mã xác thực").fill(totp.now())
    page.get_by_role("button", name="Xác nhận và bật").click()
    # wait for the page after the post: reading the list at once raced its arrival (0 codes)
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    fits_the_screen(page)
    _shot(page, "recovery-codes-360")
    page.get_by_role("link", name="Tôi đã cất giữ các mã này").click()
    expect(page.locator(".two-factor-state")).to_contain_text("Đang bật")

    sign_out(page)
    _password_step(page)
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    _shot(page, "code-360")
    _code_step(page, totp.at(time.time() + 30))  # the next step's code: this one was spent
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()

    sign_out(page)
    _password_step(page)
    _code_step(page, codes[0])
    expect(page.get_by_text("Bạn vừa dùng một mã khôi phục")).to_contain_text("còn 9 mã")

    sign_out(page)
    _password_step(page)
    _code_step(page, codes[0])
    expect(page.locator("#code-error")).to_contain_text("đã được dùng")
    _code_step(page, codes[1])
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()

    page.goto("/auth/sessions")
    other = page.locator(".sign-in", has_text="Windows · Firefox")
    expect(other).to_be_visible()
    fits_the_screen(page)
    _shot(page, "sessions-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    _shot(page, "sessions-desktop")
    page.goto("/auth/two-factor/")
    _shot(page, "two-factor-desktop")
    page.goto("/auth/sessions")
    other.get_by_role("button", name="Đăng xuất phiên này").click()
    expect(page.get_by_text("Đã đăng xuất phiên đó.")).to_be_visible()
    expect(page.locator(".sign-in")).to_have_count(1)
    desk.goto("/auth/sessions")
    expect(desk.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    office.close()
