"""A valid 20,000-row cadre import (the documented maximum, `cadre_file.MAX_ROWS`).

Issue 16: the import must take well under 10 s on SQLite and on PostgreSQL. Figures: the
whole `cadre_file.import_file` of a new list (read, validate, insert, audit, commit), the dry
run of the same file, a second import of the same file (every row found, nothing changed),
and each as a ratio against a floor: a plain `executemany` INSERT of the same 20,000 cadres
(no reading, no checks, no audit), measured on the same database in the same run.

The database is a fresh SQLite file, or `BENCH_DATABASE_URL` (an empty PostgreSQL database
of your own, e.g. `postgresql+psycopg://postgres@127.0.0.1:5432/taphuan_bench`: its tables
are dropped and created again).
"""

from __future__ import annotations

import io
import os
import random
import tempfile
import time
from pathlib import Path

from bench import Benchmark

ROWS = 20_000
_STATE: dict = {}


def _app():
    if "app" in _STATE:
        return _STATE["app"]
    from app import create_app
    from app.extensions import db
    from app.people.reference import ensure_positions, ensure_son_ha_units
    from config import TestingConfig

    url = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{Path(tempfile.mkdtemp()) / 'import.db'}")

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    flask_app = create_app(BenchConfig)
    with flask_app.app_context():
        db.drop_all()
        db.create_all()
        ensure_positions()
        ensure_son_ha_units()
        db.session.commit()
    _STATE["app"] = flask_app
    return flask_app


def _payload() -> bytes:
    """20,000 distinct valid rows over the five current communes, with villages left out."""
    if "payload" in _STATE:
        return _STATE["payload"]
    from openpyxl import Workbook

    from app.people import cadre_file
    from bench.generate import name

    rng = random.Random(16)
    communes = ["Sơn Hà", "Sơn Hạ", "Sơn Linh", "Sơn Thủy", "Sơn Kỳ"]
    positions = ["Trưởng thôn", "Bí thư chi bộ thôn", "Cộng tác viên giảm nghèo",
                 "Chi hội trưởng Chi hội Phụ nữ", "Người có uy tín"]
    book = Workbook()  # shared strings, as Excel writes them
    sheet = book.active
    sheet.title = cadre_file.DATA_SHEET
    sheet.append(list(cadre_file.COLUMNS))
    for i in range(ROWS):
        woman = rng.random() < 0.5
        born = f"{1 + i % 28:02d}/{1 + (i // 28) % 12:02d}/{1960 + (i // 336) % 45}"
        sheet.append([f"{name(rng, woman)} {chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}",
                      "Nữ" if woman else "Nam", born, "Hrê", rng.choice(positions), "",
                      communes[i % 5], f"09{i:08d}"])
    data = io.BytesIO()
    book.save(data)
    _STATE["payload"] = data.getvalue()
    return _STATE["payload"]


def _empty_cadres() -> None:
    from sqlalchemy import delete

    from app.audit.models import AuditEntry
    from app.extensions import db
    from app.people.models import Cadre

    db.session.execute(delete(AuditEntry))
    db.session.execute(delete(Cadre))
    db.session.commit()


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def floor() -> float:
    """A plain executemany INSERT of 20,000 cadres, committed: the least any import costs."""
    if "floor" in _STATE:
        return _STATE["floor"]
    from sqlalchemy import insert, select

    from app.extensions import db
    from app.people.models import Cadre, Position, Unit
    from bench.generate import cadre_rows

    with _app().app_context():
        communes = list(db.session.scalars(select(Unit.id).where(Unit.kind == "commune")))
        positions = list(db.session.scalars(select(Position.id)))
        rows = list(cadre_rows(ROWS, communes, positions))
        best = float("inf")
        for _ in range(2):
            _empty_cadres()

            def run():
                db.session.execute(insert(Cadre), rows)
                db.session.commit()

            best = min(best, _timed(run))
        _empty_cadres()
    _STATE["floor"] = best
    return best


def _import(dry_run: bool, fresh: bool = True) -> float:
    from app.extensions import db
    from app.people import cadre_file

    payload = _payload()
    with _app().app_context():
        if fresh:
            _empty_cadres()
        outcome = None

        def run():
            nonlocal outcome
            outcome = cadre_file.import_file(None, "bench.xlsx", payload, dry_run=dry_run,
                                             source="cli")
            if outcome.to_commit:
                db.session.commit()
            else:
                db.session.rollback()

        figure = _timed(run)
        assert outcome.ok, outcome.problems[:3]
        assert outcome.summary.total == ROWS, outcome.summary
    return figure


def _once(key: str, run) -> float:
    if key not in _STATE:
        _STATE[key] = run()
    return _STATE[key]


def new_list() -> float:
    return _once("new", lambda: _import(dry_run=False))


def dry_run() -> float:
    return _once("dry", lambda: _import(dry_run=True))


def same_list_again() -> float:
    with _app().app_context():
        _import(dry_run=False)
    return _import(dry_run=False, fresh=False)


def _ratio(run):
    def ratio() -> float:
        return run() / floor()
    return ratio


BENCHMARKS = [
    Benchmark("floor: plain executemany INSERT of 20,000 cadres", floor, 10.0),
    Benchmark("cadre import, 20,000 new rows (.xlsx, commit)", new_list, 10.0),
    Benchmark("cadre import, 20,000 rows, dry run", dry_run, 10.0),
    Benchmark("cadre import, the same 20,000 rows again", same_list_again, 10.0),
    Benchmark("import of 20,000 new rows / floor", _ratio(new_list), 40.0, "x"),
    Benchmark("dry run of 20,000 rows / floor", _ratio(dry_run), 40.0, "x"),
]
