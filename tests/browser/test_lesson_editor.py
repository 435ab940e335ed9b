"""The lesson editor (issue 14): tall, the preview beside it on a desktop and below it on a
phone, updated as the trainer types (a script file under the CSP), the same with the "Xem
trước" button when JavaScript is off; an external image is named before it is dropped."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.courses.models import Course
from app.extensions import db
from tests.browser.test_phone_hall import _seed, sign_in

TEXT = ("## Họp dân\n\n- Mời **đủ đại diện các hộ**.\n\n"
        "![sơ đồ](https://example.com/so-do.png)\n")


def _lesson_url(app):
    with app.app_context():
        course = db.session.scalar(select(Course).where(
            Course.slug == "chuong-trinh-giam-ngheo-2021-2025"))
        return f"/courses/{course.slug}/edit/lessons/{course.active_lessons[0].id}"


def _context(browser, app, width, js):
    return browser.new_context(base_url=app.config["LIVE_URL"], locale="vi-VN",
                               viewport={"width": width, "height": 900},
                               java_script_enabled=js)


def test_the_preview_follows_the_typing_beside_the_text(browser, live_app):
    _seed(live_app)
    url = _lesson_url(live_app)
    context = _context(browser, live_app, 1280, True)
    errors = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, "trainer")
    page.goto(url)
    text = page.get_by_label("Nội dung (Markdown)")
    preview = page.get_by_role("region", name="Xem trước (chưa lưu)")
    expect(preview.locator(".preview-title")).to_be_visible()  # shown at once, no button
    assert text.bounding_box()["height"] >= 500
    assert preview.bounding_box()["x"] > text.bounding_box()["x"] + text.bounding_box()["width"]
    text.fill(TEXT)
    expect(preview.get_by_role("heading", name="Họp dân")).to_be_visible()
    expect(preview.locator("strong", has_text="đủ đại diện các hộ")).to_be_visible()
    expect(preview.get_by_text("https://example.com/so-do.png")).to_be_visible()  # warned
    expect(preview.locator("img[src]")).to_have_count(0)  # nothing fetched from outside
    assert not errors, errors  # nothing refused by the Content-Security-Policy
    context.close()

    phone = _context(browser, live_app, 360, True)
    page = phone.new_page()
    sign_in(page, "trainer")
    page.goto(url)
    text = page.get_by_label("Nội dung (Markdown)")
    preview = page.get_by_role("region", name="Xem trước (chưa lưu)")
    expect(preview.locator(".preview-title")).to_be_visible()
    assert preview.bounding_box()["y"] > text.bounding_box()["y"] + text.bounding_box()["height"]
    phone.close()


def test_without_javascript_the_button_previews(browser, live_app):
    _seed(live_app)
    url = _lesson_url(live_app)
    context = _context(browser, live_app, 360, False)
    page = context.new_page()
    sign_in(page, "trainer")
    page.goto(url)
    preview = page.get_by_role("region", name="Xem trước (chưa lưu)")
    expect(preview.get_by_text("Bấm “Xem trước”")).to_be_visible()
    page.get_by_label("Nội dung (Markdown)").fill(TEXT)
    page.get_by_role("button", name="Xem trước").click()
    expect(preview.get_by_role("heading", name="Họp dân")).to_be_visible()
    expect(preview.get_by_text("https://example.com/so-do.png")).to_be_visible()
    expect(page.get_by_label("Nội dung (Markdown)")).to_have_value(TEXT)  # nothing lost
    context.close()
