"""The gunicorn harness the page benchmark and the load test share: a database generated at
scale (SQLite in a temporary folder, or the PostgreSQL database `BENCH_DATABASE_URL` names,
whose tables are dropped before and after), gunicorn started on it with several workers,
waited for, measured (each worker's memory) and stopped, leaving no file behind.

    with scale_database("sqlite") as db:          # or "postgresql"
        with Gunicorn("wsgi:app", db.url, workers=4) as server:
            server.url, server.worker_rss_mb()
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "5203"))


@dataclass
class Database:
    url: str
    folder: str  # temporary: the instance folder (SQLite file, uploads), removed at the end
    facts: dict = field(default_factory=dict)  # ids the benchmarks need (bench/generate.py)


def _app(url: str, folder: str):
    os.environ["TAPHUAN_INSTANCE"] = folder
    from app import create_app
    from config import DevelopmentConfig

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench-secret"  # noqa: S105 - a throwaway database
        UPLOAD_DIR = str(Path(folder) / "uploads")
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - 60 sign-ins, not the point

    return create_app(BenchConfig)


@contextmanager
def scale_database(kind: str, build):
    """A database of `kind` ("sqlite" or "postgresql") filled by `build(session) -> dict` (in
    an app context, committed), removed at the end, even on failure."""
    folder = tempfile.mkdtemp(prefix="taphuan-bench-")
    if kind == "sqlite":
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", "")
        if not url.startswith("postgresql"):
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError("BENCH_DATABASE_URL=postgresql+psycopg://… (an empty database "
                               "of your own: its tables are dropped) is needed for PostgreSQL")
    app = _app(url, folder)
    from app.extensions import db

    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            facts = build(db.session)
            db.session.commit()
            db.session.remove()
            if kind != "sqlite":
                _vacuum(db.engine)
            db.engine.dispose()
        yield Database(url, folder, facts)
    finally:
        with app.app_context():
            db.session.remove()
            if kind != "sqlite":
                db.drop_all()
            db.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def _vacuum(engine) -> None:
    """VACUUM ANALYZE the database just loaded, as autovacuum would soon after a bulk load: the
    pages are then measured on a database in its usual state, and no autovacuum starts in the
    middle of a round (the counters' triggers leave tens of thousands of dead rows)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")


class Gunicorn:
    """gunicorn serving `target` ("wsgi:app" or "bench.floor:app") on `database_url`."""

    def __init__(self, target: str, database: Database, workers: int = 4, port: int = PORT,
                 env: dict | None = None) -> None:
        self.target, self.database, self.workers, self.port = target, database, workers, port
        self.env = env or {}
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        env = {**os.environ, "DATABASE_URL": self.database.url, "SECRET_KEY": "bench-secret",
               "TAPHUAN_CONFIG": "development", "TAPHUAN_INSTANCE": self.database.folder,
               "UPLOAD_DIR": str(Path(self.database.folder) / "uploads"), **self.env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning",
             "--worker-tmp-dir", self.database.folder, self.target],
            cwd=ROOT, env=env, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.target} stopped: {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn {self.target} not ready in {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident memory (VmRSS), in MB."""
        out = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        out.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
        return out

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this harness started
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
