"""The journeys' measuring helper waits for the stylesheets: a navigating click returns once the
new page is committed, before its CSS has arrived (the cause of a flaky width check)."""

import time

from app.demo.people import load
from app.extensions import db
from tests.browser.screen import fits_the_screen


def test_the_width_is_measured_once_the_stylesheets_apply(browser, live_app, tmp_path):
    serve = live_app.wsgi_app  # the static files are served before Flask (WhiteNoise)

    def slow_stylesheets(environ, start_response):  # as on weak mobile data
        if environ["PATH_INFO"].endswith(".css"):
            time.sleep(1)
        return serve(environ, start_response)

    live_app.wsgi_app = slow_stylesheets
    with live_app.app_context():
        load({})
        db.session.commit()
    options = {"base_url": live_app.config["LIVE_URL"], "locale": "vi-VN",
               "viewport": {"width": 360, "height": 740}, "java_script_enabled": False}
    signing = browser.new_context(**options)
    page = signing.new_page()
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill("coordinator")
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("load")
    state = str(tmp_path / "state.json")
    signing.storage_state(path=state)
    signing.close()
    # a browser whose cache does not hold the stylesheet yet (it is kept a year once fetched)
    context = browser.new_context(storage_state=state, **options)
    page = context.new_page()
    try:
        page.goto("/cadres/", wait_until="domcontentloaded")  # parsed, not yet styled
        unstyled = page.evaluate("[document.styleSheets.length, "
                                 "document.documentElement.scrollWidth]")
        # what the old helper measured: the list without its CSS, wider than the phone
        assert unstyled[0] == 0 and unstyled[1] > 360, unstyled
        fits_the_screen(page)  # waits for the stylesheet, then the page fits
        assert page.evaluate("document.styleSheets.length") == 1  # one, purged (assets.py)
    finally:
        context.close()
        live_app.wsgi_app = serve
