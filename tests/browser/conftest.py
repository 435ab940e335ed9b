"""Browser journeys: the app on a live local server with its own SQLite file, driven through
Playwright with the system's Chromium (found by `find_chromium`). In CI (CI=true) a missing
browser is a failure, not a skip. Measuring a page: `tests/browser/screen.py`."""

import os
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.browser.chromium import INSTALL_HINT, find_chromium

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    chromium, why = find_chromium()
    if chromium is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why}: the browser journeys must run in CI; {INSTALL_HINT}")
        pytest.skip(f"{why}: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def live_app(tmp_path):
    class LiveConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'live.db'}"
        UPLOAD_DIR = str(tmp_path / "uploads")
        WTF_CSRF_ENABLED = True  # the journeys submit real forms, tokens and all

    app = create_app(LiveConfig)
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def page(browser, live_app):
    context = browser.new_context(base_url=live_app.config["LIVE_URL"],
                                  viewport={"width": 360, "height": 780}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
