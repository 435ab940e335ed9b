"""The journeys' measuring helper waits for the stylesheets: a navigating click returns once the
new page is committed, before its CSS has arrived (the cause of a flaky width check)."""

import time

from flask import request

from app.demo.people import load
from app.extensions import db
from tests.browser.screen import fits_the_screen, nav_link


def test_the_width_is_measured_once_the_stylesheets_apply(browser, live_app):
    @live_app.before_request
    def slow_stylesheets():  # as on weak mobile data
        if request.path.endswith(".css"):
            time.sleep(1)

    with live_app.app_context():
        load({})
        db.session.commit()
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/auth/login")
        page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill("coordinator")
        page.get_by_label("Mật khẩu").fill("demo12345")
        page.get_by_role("button", name="Đăng nhập").click()
        nav_link(page, "Cán bộ").click()
        unstyled = page.evaluate("[document.styleSheets.length, "
                                 "document.documentElement.scrollWidth]")
        # what the old helper measured: the list without its CSS, wider than the phone
        assert unstyled[0] == 0 and unstyled[1] > 360, unstyled
        fits_the_screen(page)  # waits for the stylesheets, then the page fits
        assert page.evaluate("document.styleSheets.length") == 2
    finally:
        context.close()
