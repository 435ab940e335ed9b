"""Measuring a page in the browser journeys.

A click that navigates returns once the new page is *committed*: its HTML has started to
arrive, but its stylesheets may not have. Anything that measures the layout, or counts what the
page holds without waiting for it, first waits for the page's load event (`loaded`)."""

from playwright.sync_api import expect


def loaded(page) -> None:
    """Wait until the page and everything it links (the stylesheets) have loaded."""
    page.wait_for_load_state("load")
    linked = page.evaluate(
        "[document.querySelectorAll('link[rel=stylesheet]').length, document.styleSheets.length]")
    assert linked[0] == linked[1], f"{page.url}: {linked[1]} of {linked[0]} stylesheets applied"


def fits_the_screen(page, width: int | None = None) -> None:
    """The loaded page does not scroll sideways at `width` (the viewport's width by default):
    wide tables scroll inside their own .table-responsive box."""
    loaded(page)
    width = width or page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _open_menu(page) -> None:
    menu = page.locator("details.menu")
    if menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


def nav_link(page, name: str):
    """A link of the main navigation, the phone's folded menu ("Menu", a <details>) opened
    first when it is shown."""
    _open_menu(page)
    return page.locator("header").get_by_role("link", name=name, exact=True).locator("visible=true")


def sign_out_button(page):
    """"Đăng xuất", in the phone's folded menu or the desktop's header."""
    _open_menu(page)
    return page.locator("header").get_by_role("button", name="Đăng xuất").locator("visible=true")


def sign_in(page, username):
    """Sign in through the form as a demo account and wait for the home page's greeting."""
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()


def sign_out(page):
    """Sign out as a person does: tap "Đăng xuất" and wait for the signed-out page. With
    JavaScript the tap first clears this phone's kept pages (static/js/sync.js), so the form
    is sent a moment later: going on at once would race it."""
    sign_out_button(page).click()
    page.wait_for_url("**/auth/login")
