"""`flask db upgrade` from an empty database gives exactly the models, on SQLite and PostgreSQL."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]


def _flask(args, database_url):
    env = {**os.environ, "FLASK_APP": "wsgi", "DATABASE_URL": database_url,
           "TAPHUAN_CONFIG": "development"}
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _upgrade_then_check(url):
    upgrade = _flask(["db", "upgrade"], url)
    assert upgrade.returncode == 0, upgrade.stderr
    check = _flask(["db", "check"], url)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_sqlite_upgrade_from_empty_matches_models(tmp_path):
    _upgrade_then_check(f"sqlite:///{tmp_path / 'fresh.db'}")


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
