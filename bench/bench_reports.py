"""Program reports at scale (issue 17, point 9): 100,000 cadres, 2,000 finished classes of 50
admitted learners and 10 sessions each, so 1,000,000 attendance marks; the dashboard for a
year (2025, which crosses the 1 July merger), its .xlsx export and the example province form
filled for it, through the app as the coordinator (server time, no network), on SQLite and,
when `BENCH_POSTGRES_URL` names a database of your own (its tables are dropped, refilled, and
dropped at the end), on PostgreSQL. Goal: under 0.5 s each, the form under 1 s.

Each figure is also given as a ratio to a floor measured in the same run on the same
database: one `GROUP BY` over the marks table (`SELECT application_id, count(*) FROM
attendance_marks GROUP BY application_id`), so a slower or busier machine moves both.

The data is bulk-inserted: cadres, classes and applications by `bench.generate.populate`, the
sessions by one executemany, the marks by one `INSERT … SELECT` in the database, then their
summary rows by the app's own count (`app.attendance.summary.fill`), as the app keeps them
when it writes marks.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import Benchmark

LEARNERS, SESSIONS, CLASSES = 50, 10, 2_000
URLS = {"dashboard": "/reports/?kind=year&year=2025",
        "xlsx": "/reports/training.xlsx?kind=year&year=2025"}
_STATE: dict = {}


def _populate(db) -> None:
    from sqlalchemy import insert, text, update

    from app.attendance import summary
    from app.classes.models import Application, ClassSession, TrainingClass
    from bench.generate import populate

    populate(db.session, cadres=100_000, classes=CLASSES, applications_per_class=LEARNERS)
    db.session.execute(update(TrainingClass).values(status="finished"))
    db.session.execute(update(Application).values(status="admitted"))
    classes = db.session.execute(text("SELECT id, start_date FROM classes")).all()
    sessions = []
    for class_id, start in classes:
        start = start if isinstance(start, date) else date.fromisoformat(start)
        for n in range(SESSIONS):
            sessions.append({"class_id": class_id, "date": start + timedelta(days=n // 2),
                             "part": ("morning", "afternoon")[n % 2]})
    db.session.execute(insert(ClassSession), sessions)
    db.session.execute(text(
        "INSERT INTO attendance_marks (session_id, application_id, status, marked_at) "
        "SELECT s.id, a.id, CASE WHEN (a.id + s.id) % 9 = 0 THEN 'absent' ELSE 'present' END, "
        ":now FROM class_sessions s JOIN applications a ON a.class_id = s.class_id"),
        {"now": datetime(2025, 6, 1)})
    summary.fill()  # the marks went in by SQL: their summary rows, as the app keeps them


def _app(kind: str):
    if kind in _STATE:
        return _STATE[kind]
    from app import create_app
    from app.demo.people import ensure_accounts
    from app.extensions import db
    from config import TestingConfig

    if kind == "sqlite":
        folder = tempfile.mkdtemp()
        atexit.register(shutil.rmtree, folder, True)  # 120 MB: not left behind
        url = f"sqlite:///{Path(folder) / 'reports.db'}"
    else:
        url = os.environ["BENCH_POSTGRES_URL"]

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    flask_app = create_app(BenchConfig)
    with flask_app.app_context():
        db.drop_all()
        db.create_all()
        _populate(db)
        ensure_accounts()
        db.session.commit()
        marks = db.session.scalar(db.text("SELECT count(*) FROM attendance_marks"))
        assert marks == CLASSES * LEARNERS * SESSIONS, marks
        rows = db.session.scalar(db.text("SELECT count(*) FROM attendance_summaries"))
        assert rows == CLASSES * LEARNERS, rows
        if kind != "sqlite":
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        _STATE[f"{kind}:form"] = _province_form(flask_app)
    if kind != "sqlite":  # the database is left empty, as found
        atexit.register(_drop, flask_app)
    client = flask_app.test_client()
    client.post("/auth/login", data={"login": "coordinator", "password": "demo12345"})
    # as the gunicorn worker runs the app (wsgi.py): what start-up made set aside from the
    # garbage collector, whose full collections would otherwise walk it (and here the bulk
    # load's leftovers) in whichever request triggered one: 100-290 ms of a request
    gc.collect()
    gc.freeze()
    _STATE[kind] = (flask_app, client)
    return _STATE[kind]


def _province_form(flask_app) -> str:
    """The example province form (TT 10/2022 Biểu 02's training rows) saved as a template;
    the address of its copy filled for 2025."""
    from flask import url_for

    from app.extensions import db
    from app.report_templates import example, service

    with flask_app.test_request_context():
        data = example.workbook()
        template = service.save(None, example.NAME, example.FILENAME, data, len(data))
        db.session.commit()
        return url_for("report_templates.filled", template_id=template.id, kind="year",
                       year=2025)


def _drop(flask_app) -> None:
    from app.extensions import db

    with flask_app.app_context():
        db.session.remove()
        db.drop_all()


def _best(func, runs: int = 3) -> float:
    func()  # warm
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def _floor(kind: str) -> float:
    from app.extensions import db

    flask_app, _client = _app(kind)
    with flask_app.app_context():
        return _best(lambda: db.session.execute(db.text(
            "SELECT application_id, count(*) FROM attendance_marks GROUP BY application_id"))
            .all())


def _get(kind: str, what: str) -> float:
    _flask_app, client = _app(kind)

    url = _STATE[f"{kind}:form"] if what == "form" else URLS[what]

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return _best(get)


def _ratio(kind: str, what: str) -> float:
    key = (kind, what)
    if key not in _STATE:
        _STATE[key] = _get(kind, what)
    return _STATE[key] / _floor(kind)


def _seconds(kind: str, what: str):
    def run() -> float:
        key = (kind, what)
        if key not in _STATE:
            _STATE[key] = _get(kind, what)
        return _STATE[key]
    return run


KINDS = ["sqlite"] + (["postgresql"] if os.environ.get("BENCH_POSTGRES_URL") else [])
BENCHMARKS = []
for _kind in KINDS:
    for _what in ("dashboard", "xlsx"):
        BENCHMARKS.append(Benchmark(f"reports {_what} 2025, 1M marks ({_kind})",
                                    _seconds(_kind, _what), 0.5))
        # ours, against a regression: the goal is the 0.5 s above
        BENCHMARKS.append(Benchmark(f"reports {_what} / GROUP BY over marks ({_kind})",
                                    lambda k=_kind, w=_what: _ratio(k, w),
                                    5.0 if _what == "dashboard" else 8.0, "×"))
    BENCHMARKS.append(Benchmark(f"reports province form filled 2025, 1M marks ({_kind})",
                                _seconds(_kind, "form"), 1.0))
