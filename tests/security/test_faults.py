"""When the database goes away: a friendly Vietnamese page with 503 (never a bare English
"Internal Server Error" from an error page that itself needs the database), `/healthz` says
so, and the app recovers by itself when the database comes back. Signed-in pages are never
kept in a cache."""

import shutil

import pytest

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.conftest import PASSWORD


@pytest.fixture()
def own_app(tmp_path):
    """An app on an SQLite file of its own, in a folder the test can take away."""
    folder = tmp_path / "data"
    folder.mkdir()

    class OwnFile(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'own.db'}"

    application = create_app(OwnFile)
    with application.app_context():
        db.create_all()
        from app.auth.models import User

        user = User(username="coordinator", full_name="Điều Phối")
        user.set_password(PASSWORD)
        user.set_roles(["coordinator"])
        db.session.add(user)
        db.session.commit()
    yield application, folder
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _take_away(application, folder, tmp_path):
    with application.app_context():
        db.engine.dispose()
    shutil.move(str(folder), str(tmp_path / "away"))


def _bring_back(folder, tmp_path):
    shutil.move(str(tmp_path / "away"), str(folder))


def test_the_database_gone_is_a_friendly_503_and_comes_back(own_app, tmp_path):
    application, folder = own_app
    browser = application.test_client()
    assert browser.post("/auth/login", data={"login": "coordinator",
                                             "password": PASSWORD}).status_code == 302
    assert application.test_client().get("/healthz").get_json()["database"] == "ok"
    _take_away(application, folder, tmp_path)
    for url in ("/", "/cadres/", "/auth/login"):
        response = browser.get(url)
        text = response.get_data(as_text=True)
        assert response.status_code == 503, url
        assert "Cơ sở dữ liệu tạm thời không truy cập được" in text, url
        assert "Internal Server Error" not in text
    health = application.test_client().get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unavailable"
    _bring_back(folder, tmp_path)
    assert browser.get("/cadres/").status_code == 200  # still signed in, nothing to restart
    assert application.test_client().get("/healthz").status_code == 200


def test_the_database_unreachable_on_postgresql_is_a_503(tmp_path):
    class Unreachable(TestingConfig):  # nothing listens on this port
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://postgres@127.0.0.1:1/none"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"connect_timeout": 2}}

    application = create_app(Unreachable)
    response = application.test_client().post("/auth/login", data={
        "login": "coordinator", "password": PASSWORD})
    assert response.status_code == 503
    assert "Cơ sở dữ liệu tạm thời không truy cập được" in response.get_data(as_text=True)
    assert application.test_client().get("/healthz").status_code == 503


def test_signed_in_pages_are_never_cached_and_static_files_are(client, users, login):
    login("coordinator")
    for url in ("/", "/cadres/", "/cadres/export.xlsx"):
        assert "no-store" in client.get(url).headers.get("Cache-Control", ""), url
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
