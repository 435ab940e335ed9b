"""Where the load test's time goes, request by request, without a server: the load test's own
actions (`bench/bench_load.py`) replayed in one process through Flask's test client on the
same data, each request timed in CPU (`time.process_time`) and counted in SQL statements.

    python -m bench.load_profile                 # SQLite, demo data + 1 % of the scale data
    BENCH_DATABASE_URL=postgresql+psycopg://… python -m bench.load_profile postgresql
    BENCH_PROFILE="quiz submit" python -m bench.load_profile   # + cProfile of those requests
    BENCH_SQL="lesson" python -m bench.load_profile          # + the SQL of the last of those

BENCH_SCALE (default 0.01) sizes the scale data as in the load test (1 = 100,000 cadres);
BENCH_ROUNDS (default 30) is how many times each action is replayed; with BENCH_PROFILE,
BENCH_PROFILE_FILTER ("wt/app", a regular expression of file paths) narrows the functions
listed and BENCH_CALLEES ("_mark_page") lists what one function spends its time on. A busy
machine inflates every figure alike: compare the request kinds with each other and with the
floor in the table (a bare `GET /healthz`: the app's own cost of any request). The CPU of
the database server is not counted here (the load test counts it).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import sys
import time
from collections import defaultdict
from urllib.parse import urlencode

from sqlalchemy import event

from bench.bench_load import PASSWORD, actions, build, request_kind
from bench.client import Refused, User
from bench.server import _app, scale_database

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
PROFILE = os.environ.get("BENCH_PROFILE", "")
SQL = os.environ.get("BENCH_SQL", "")  # print the statements of the last request of that kind


class Figures:
    def __init__(self) -> None:
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.sql: dict[str, list[int]] = defaultdict(list)
        self.profiles: dict[str, cProfile.Profile] = {}
        self.statements: dict[str, list[str]] = {}


class TestUser(User):
    """bench.client.User over Flask's test client: the same requests, in this process."""

    def __init__(self, app, figures: Figures, statements: list) -> None:
        self.client = app.test_client()
        self.figures, self.statements = figures, statements
        self.host, self.port = "localhost", 80
        self.cookies = {}

    def request(self, method, path, data=None, expect=(200,)):
        kind = request_kind(method, path)
        body = urlencode(data, doseq=True) if data is not None else None
        headers = {"Origin": "http://localhost", "Referer": f"http://localhost{path}"}
        before = len(self.statements)
        profile = self.figures.profiles.setdefault(kind, cProfile.Profile()) \
            if PROFILE and PROFILE in kind else None
        start = time.process_time()
        if profile is not None:
            profile.enable()
        response = self.client.open(
            path, method=method, data=body, headers=headers,
            content_type="application/x-www-form-urlencoded" if body is not None else None)
        payload = response.get_data()
        if profile is not None:
            profile.disable()
        self.figures.cpu[kind].append(time.process_time() - start)
        self.figures.sql[kind].append(len(self.statements) - before)
        if SQL and SQL in kind:
            self.figures.statements[kind] = self.statements[before:]
        if response.status_code not in expect:
            raise Refused(f"{method} {path}: {response.status_code}")
        return response.status_code, payload


def replay(app, facts: dict) -> Figures:
    from app.extensions import db

    figures = Figures()
    statements: list = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *a: statements.append(statement))
    steps = actions(facts)
    parts = steps["parts"]
    users = {}
    for role, name in (("learner", "load-learner-0"), ("trainer", "trainer"),
                       ("coordinator", "coordinator"), ("public", None)):
        users[role] = TestUser(app, figures, statements)
        if name:
            users[role].sign_in(name, PASSWORD)
    floor = TestUser(app, figures, statements)
    rng = random.Random(1)  # noqa: S311 - lessons to read, not a secret
    for _ in range(ROUNDS):
        floor.get("/healthz")
        parts["lesson"](users["learner"], rng)
        parts["quiz"](users["learner"], rng)
        parts["apply"](users["learner"], rng)
        steps["trainer"](users["trainer"], rng)
        steps["coordinator"](users["coordinator"], rng)
        steps["public"](users["public"], rng)
    return figures


def report(figures: Figures, kind: str) -> None:
    print(f"\nCPU per request through the test client ({kind}, {ROUNDS} rounds; median and "
          "mean ms, SQL statements)")
    print(f"{'request':<44} {'n':>4} {'median':>7} {'mean':>7} {'sql':>5}")
    for name in sorted(figures.cpu, key=lambda k: -sum(figures.cpu[k])):
        cpu = sorted(figures.cpu[name])
        sql = figures.sql[name]
        print(f"{name:<44} {len(cpu):>4} {cpu[len(cpu) // 2] * 1000:>7.1f} "
              f"{sum(cpu) / len(cpu) * 1000:>7.1f} {max(sql):>5}")
    for name, statements in figures.statements.items():
        print(f"\nSQL of the last {name}:")
        for statement in statements:
            flat = " ".join(statement.split())
            print(f"  {flat[:160]} … {flat[-140:]}" if len(flat) > 300 else f"  {flat}")
    for name, profile in figures.profiles.items():
        stats = pstats.Stats(profile, stream=sys.stdout)
        print(f"\ncProfile of {name}: own time by package")
        for package, seconds in sorted(_by_package(stats).items(), key=lambda kv: -kv[1])[:15]:
            print(f"  {package:<40} {seconds / stats.total_tt:>6.1%}")
        print(f"\ncProfile of {name} (cumulative, top 60)")
        stats.sort_stats("cumulative").print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 60)
        if os.environ.get("BENCH_CALLEES"):  # what one function spends its time on
            stats.print_callees(os.environ["BENCH_CALLEES"])


def _by_package(stats: pstats.Stats) -> dict[str, float]:
    """Own time by library (site-packages/<name>) or by file of the app and its templates."""
    out: dict[str, float] = defaultdict(float)
    for (filename, _line, _function), row in stats.stats.items():
        if "site-packages/" in filename:
            key = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        elif "/app/" in filename:
            key = "app/" + filename.split("/app/", 1)[1]
        else:
            key = "python" if "/lib/python3" in filename or filename.startswith(("~", "<")) \
                else filename
        out[key] += row[2]
    return out


def main(argv: list[str]) -> int:
    kind = argv[1] if len(argv) > 1 else "sqlite"
    os.environ.setdefault("BENCH_SCALE", "0.01")
    with scale_database(kind, build) as database:
        app = _app(database.url, database.folder)
        app.config["RATELIMIT_ENABLED"] = False
        figures = replay(app, database.facts)
        with app.app_context():
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()
    report(figures, kind)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
