"""`flask db upgrade` from an empty database gives exactly the models, on SQLite and PostgreSQL."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.migrating import flask

ROOT = Path(__file__).resolve().parents[2]


def _flask(args, database_url):
    env = {**os.environ, "FLASK_APP": "wsgi", "DATABASE_URL": database_url,
           "TAPHUAN_CONFIG": "development"}
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind", ["sqlite"])  # its own SQLite file: not in the PostgreSQL pass
def test_sqlite_upgrade_from_empty_matches_models(tmp_path, kind):
    """The commands as an administrator types them, each in a process of its own."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade = _flask(["db", "upgrade"], url)
    assert upgrade.returncode == 0, upgrade.stderr
    check = _flask(["db", "check"], url)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def _upgrade_then_check(url):
    """The same commands in this process (tests/migrating.py): `db check` ends in an error
    when the models and the migrated database differ in anything."""
    upgrade = flask(["db", "upgrade"], url)
    assert upgrade.returncode == 0, upgrade.stderr
    check = flask(["db", "check"], url)
    assert check.returncode == 0, check.stdout + check.stderr


def test_postgresql_upgrade_from_empty_matches_models():
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    name = f"taphuan_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _upgrade_then_check(make_url(base).set(database=name).render_as_string(False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_0004_ties_attempts_to_their_quiz_and_keeps_one_open_attempt(tmp_path):
    """Data written under 0003 survives 0004: attempts get their course's quiz, duplicate open
    attempts collapse to the newest, submitted ones are untouched; downgrade and upgrade again
    work."""
    url = f"sqlite:///{tmp_path / 'data.db'}"
    assert flask(["db", "upgrade", "0003"], url).returncode == 0
    engine = create_engine(url)
    now = "2026-01-01 08:00:00"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (id, username, full_name, password_hash, active, created_at)"
            " VALUES (1, 'u', 'U', 'x', 1, :now)"), {"now": now})
        conn.execute(text(
            "INSERT INTO courses (id, slug, code, title, topics, summary, status, created_at,"
            " audience, version, description_md, description_html, description_hash,"
            " updated_at) VALUES (1, 'c', 'C', 'C', '[]', '', 'published', :now, '', 1, '',"
            " '', '', :now)"), {"now": now})
        conn.execute(text("INSERT INTO course_quizzes (id, course_id, pass_mark, max_attempts)"
                          " VALUES (7, 1, 70, 3)"))
        conn.execute(text("INSERT INTO course_enrollments (id, course_id, user_id, started_at)"
                          " VALUES (1, 1, 1, :now)"), {"now": now})
        for attempt_id, submitted in ((1, now), (2, None), (3, None)):
            conn.execute(text(
                "INSERT INTO course_quiz_attempts (id, enrollment_id, token, course_version,"
                " started_at, submitted_at, question_count) VALUES (:id, 1, :token, 1, :now,"
                " :submitted, 8)"),
                {"id": attempt_id, "token": f"t{attempt_id}", "now": now, "submitted": submitted})
    upgrade = flask(["db", "upgrade"], url)
    assert upgrade.returncode == 0, upgrade.stderr
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, quiz_id FROM course_quiz_attempts ORDER BY id"))
        assert rows.all() == [(1, 7), (3, 7)]
    downgrade = flask(["db", "downgrade", "0003"], url)
    assert downgrade.returncode == 0, downgrade.stderr
    assert flask(["db", "upgrade"], url).returncode == 0
    engine.dispose()


def test_upgrade_in_process_leaves_the_apps_loggers_working(tmp_path):
    """The backup's restore runs the migrations inside the app: their logging set-up must not
    silence the loggers the app already has (the API's call log went quiet after it)."""
    import logging

    from flask_migrate import upgrade

    from app import create_app
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'fresh.db'}"

    app = create_app(Config)
    api_log = logging.getLogger("app.api")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    assert not api_log.disabled
