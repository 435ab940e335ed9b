"""The database goes away in the middle of a session and comes back, really: on PostgreSQL the
server ends every connection of the app's database (pg_terminate_backend from another
connection, as a restart or a failover does) and refuses new ones for a while; on SQLite the
file is locked by another program (a backup holding an exclusive lock) or is no database at
all. Each time: a friendly Vietnamese 503 (never a bare "Internal Server Error"), `/healthz`
says so, and the next request after the database is back works, with nothing restarted and the
user still signed in."""

import os
import secrets
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.conftest import PASSWORD

UNAVAILABLE = "Cơ sở dữ liệu tạm thời không truy cập được"
POSTGRES = os.environ.get("TEST_DATABASE_URL", "")


def _app_on(url: str):
    class Own(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    application = create_app(Own)
    with application.app_context():
        db.create_all()
        from app.auth.models import User

        user = User(username="coordinator", full_name="Điều Phối")
        user.set_password(PASSWORD)
        user.set_roles(["coordinator"])
        db.session.add(user)
        db.session.commit()
    return application


def _signed_in(application):
    browser = application.test_client()
    assert browser.post("/auth/login", data={"login": "coordinator",
                                             "password": PASSWORD}).status_code == 302
    assert browser.get("/cadres/").status_code == 200
    return browser


def _is_friendly_503(response, url):
    text_ = response.get_data(as_text=True)
    assert response.status_code == 503, (url, response.status_code)
    assert UNAVAILABLE in text_ and "Internal Server Error" not in text_, url


@pytest.fixture()
def postgres_app():
    if not POSTGRES.startswith("postgresql"):
        pytest.skip("needs TEST_DATABASE_URL on PostgreSQL")
    name = f"taphuan_gone_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    application = _app_on(url)
    yield application, admin, name
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def test_postgresql_ends_every_connection_then_comes_back(postgres_app):
    application, admin, name = postgres_app
    browser = _signed_in(application)
    with admin.connect() as conn:  # the server goes away: connections cut, new ones refused
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        ended = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name}).scalar()
    assert ended >= 1  # the app's pooled connection was really cut
    for url in ("/", "/cadres/", "/classes/"):
        _is_friendly_503(browser.get(url), url)
    health = application.test_client().get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unavailable"
    with admin.connect() as conn:  # back
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    assert browser.get("/cadres/").status_code == 200  # still signed in, nothing restarted
    assert application.test_client().get("/healthz").get_json()["database"] == "ok"


def test_postgresql_cut_mid_request_rolls_back_and_recovers(postgres_app):
    """The connection ends while the app holds it (between two requests of one session, the
    pooled connection dies): the next request does not meet the dead connection."""
    application, admin, name = postgres_app
    browser = _signed_in(application)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
    assert browser.get("/cadres/").status_code == 200  # the pool notices and reconnects


@pytest.fixture()
def sqlite_app(tmp_path):
    path = tmp_path / "own.db"
    application = _app_on(f"sqlite:///{path}")
    yield application, path
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_sqlite_locked_by_another_program_then_released(sqlite_app, monkeypatch):
    application, path = sqlite_app
    browser = _signed_in(application)
    with application.app_context():
        db.engine.dispose()  # the pooled connections open the file again, under the lock
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")  # leave WAL, so that a lock keeps readers out
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr("app.core.sqlite.BUSY_TIMEOUT_MS", 200)
    try:
        for url in ("/", "/cadres/"):
            _is_friendly_503(browser.get(url), url)
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert browser.get("/cadres/").status_code == 200


def test_sqlite_file_that_is_no_database_then_restored(sqlite_app):
    application, path = sqlite_app
    browser = _signed_in(application)
    with application.app_context():
        db.engine.dispose()
    saved = path.read_bytes()
    for extra in ("-wal", "-shm"):
        (path.parent / (path.name + extra)).unlink(missing_ok=True)
    path.write_bytes(b"not a database " * 100)  # a broken copy, a disk that went bad
    _is_friendly_503(browser.get("/cadres/"), "/cadres/")
    assert application.test_client().get("/healthz").status_code == 503
    with application.app_context():
        db.engine.dispose()
    path.write_bytes(saved)
    assert browser.get("/cadres/").status_code == 200
