"""A wrong or missing setting stops `flask` and gunicorn with one line naming the variable and
what to do, and no traceback; the right ones start the app."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from config import ConfigError, ProductionConfig, config_named

ROOT = Path(__file__).resolve().parents[2]
SQLITE = "sqlite:///{}"


def _env(tmp_path, **settings):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TAPHUAN_CONFIG", "SECRET_KEY", "DATABASE_URL", "FLASK_APP")}
    return {**env, "TAPHUAN_INSTANCE": str(tmp_path), **settings}


def _run(args, env, timeout=60):
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def _flask(tmp_path, **settings):
    return _run(["flask", "--app", "wsgi", "routes"], _env(tmp_path, **settings))


def _one_line(result) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("taphuan: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


CASES = [
    ({"TAPHUAN_CONFIG": "prod"}, ["TAPHUAN_CONFIG=prod không hợp lệ",
                                  "development, production hoặc testing"]),
    ({"TAPHUAN_CONFIG": "production", "DATABASE_URL": "postgresql+psycopg://x@h/db"},
     ["cần biến môi trường SECRET_KEY", "token_hex"]),
    ({"TAPHUAN_CONFIG": "production", "SECRET_KEY": "k" * 32},
     ["cần biến môi trường DATABASE_URL", "postgresql+psycopg://"]),
    ({"TAPHUAN_CONFIG": "production"}, ["SECRET_KEY", "và DATABASE_URL"]),
    ({"PAGE_SIZE": "năm mươi"}, ["PAGE_SIZE=năm mươi không phải số nguyên"]),
]


@pytest.mark.parametrize(("settings", "said"), CASES)
def test_flask_stops_with_one_line(tmp_path, settings, said):
    result = _flask(tmp_path, **settings)
    assert result.returncode == 4
    assert result.stdout == ""  # nothing else: no routes, no traceback
    line = _one_line(result)
    assert result.stderr == line + "\n"
    assert all(part in line for part in said), line


def test_flask_starts_with_a_complete_production_config(tmp_path):
    result = _flask(tmp_path, TAPHUAN_CONFIG="production", SECRET_KEY="k" * 32,
                    DATABASE_URL=SQLITE.format(tmp_path / "prod.db"))
    assert result.returncode == 0, result.stderr
    assert "/auth/login" in result.stdout


@pytest.mark.parametrize(("settings", "said"), [CASES[0], CASES[2]])
def test_gunicorn_stops_with_one_line(tmp_path, settings, said):
    """The worker prints the line and exits with gunicorn's "App failed to load", so the master
    stops instead of booting workers again and again."""
    result = _run(["gunicorn", "--bind", "127.0.0.1:0", "--workers", "1",
                   "--no-control-socket", "wsgi:app"], _env(tmp_path, **settings))
    assert result.returncode == 4, result.stderr
    line = _one_line(result)
    assert all(part in line for part in said), line
    assert "App failed to load" in result.stderr


def test_the_rules_in_process(monkeypatch):
    monkeypatch.delenv("TAPHUAN_CONFIG", raising=False)
    assert config_named().__name__ == "DevelopmentConfig"
    monkeypatch.setenv("TAPHUAN_CONFIG", "")
    assert config_named().__name__ == "DevelopmentConfig"
    assert config_named("testing").__name__ == "TestingConfig"
    with pytest.raises(ConfigError, match="TAPHUAN_CONFIG=Production không hợp lệ"):
        create_app("Production")
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app(ProductionConfig)
