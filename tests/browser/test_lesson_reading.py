"""A lesson reads comfortably on a desktop (issue 13): lines of about 70 to 90 characters,
not the whole width of the screen, and subheadings that look like subheadings."""

from tests.browser.screen import loaded
from tests.browser.test_page_weight import LESSON
from tests.browser.test_phone_hall import _seed, sign_in


def test_lines_of_comfortable_length_and_real_subheadings(browser, live_app):
    _seed(live_app)
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, "learner")
    page.goto(LESSON)
    loaded(page)
    body = page.locator(".lesson-body").first
    width = body.bounding_box()["width"]
    size = float(body.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    assert width / size <= 46, (width, size)  # about 80-90 characters of this font a line
    for level in ("h2", "h3"):
        heading = page.locator(f".lesson-body {level}").first
        if heading.count():
            weight = int(heading.evaluate("e => getComputedStyle(e).fontWeight"))
            assert weight >= 600, level
    context.close()
