"""taphuan's real pages through gunicorn, as ratios to a bare Flask page (the floor) in the same
run: requests per second, p50 and p95, each the min and the median over rounds, on SQLite and
(with BENCH_DATABASE_URL) on PostgreSQL, at scale (100,000 cadres, 2,000 classes with courses
and trainers, classes of 60 and 600 applicants, 1,000 accounts); and the memory of a worker
after the run (well over 1,000 requests each).

Each round measures the floor, then every page, with BENCH_USERS signed-in users requesting
at once; `bench/served.py` serves both from the same gunicorn workers. Ratios are what count:
a busy machine slows the floor as much as the pages.

BENCH_SCALES=0.1,1 runs the whole benchmark at each scale in turn (a database generated at a
tenth of the data, then at the full one) and reports, per page, its p50-to-floor ratio at the
largest scale over the same at the smallest (the issue's "no page more than 1.5 × slower at
10 × the data"; the floor reads 100 rows at every scale), with a Benchmark row for the worst
page. Without it, BENCH_SCALE (default 1) is the one scale, as before.
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
from functools import cache

from bench import Benchmark
from bench.client import User, run
from bench.server import Gunicorn, scale_database

WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
USERS = int(os.environ.get("BENCH_USERS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "120"))
SCALE = float(os.environ.get("BENCH_SCALE", "1"))  # 0.01 for a quick try of the harness
# Several scales in one run (BENCH_SCALES=0.1,1): the growth of each page with the data.
SCALES = sorted(float(s) for s in os.environ.get("BENCH_SCALES", str(SCALE)).split(",")
                if s.strip())
PASSWORD = "demo12345"  # the demo accounts' (app/demo/people.py)

# (label, role, path); {c40}, {c60}, {c600}: a class of 40, 60 and 600 applicants. A path
# ending in "=" gets a number after it, a new one for each request of the run: a page whose
# body is kept (app/core/page_cache.py) is then made afresh every time, as after a write to
# what it shows.
PAGES = [
    ("home, coordinator", "coordinator", "/"),
    ("home, learner", "learner", "/"),
    ("home, trainer", "trainer", "/"),
    ("cadre list", "coordinator", "/cadres/"),
    ("cadre search", "coordinator", "/cadres/?q=dinh+thi+hoa"),
    ("class list", "coordinator", "/classes/"),
    ("class list, learner", "learner", "/classes/"),
    ("class list, trainer", "trainer", "/classes/"),
    ("class page, 40 applicants", "coordinator", "/classes/{c40}"),
    ("allocation page, 60 applicants", "coordinator", "/classes/{c60}/applications"),
    ("allocation page, 600 applicants", "coordinator", "/classes/{c600}/applications"),
    ("allocation page, 60, made afresh", "coordinator", "/classes/{c60}/applications?made="),
    ("allocation page, 600, made afresh", "coordinator", "/classes/{c600}/applications?made="),
    ("account list", "admin", "/admin/users"),
]


def build(session, scale: float = SCALE) -> dict:
    from app.demo.people import ensure_accounts
    from app.people.models import Cadre
    from bench.generate import populate

    accounts = ensure_accounts()
    facts = populate(session, cadres=int(100_000 * scale), classes=int(2_000 * scale),
                     applications_per_class=40, courses=20, big_classes=(60, 600),
                     accounts=int(1_000 * scale),
                     trainer_ids=(accounts["trainer"].id,), learner_cadre=True)
    session.get(Cadre, facts["learner_cadre_id"]).user_id = accounts["learner"].id
    c60, c600 = facts["big_class_ids"]
    return {"c40": facts["first_class_id"], "c60": c60, "c600": c600}


# The number after a path ending in "=": never sent before in this run, so that no worker has
# a body kept for it (each keeps its last 32; numbered 1 to 120 in every round, a worker had
# kept about a quarter of the next round's from the round before).
_UNIQUE = itertools.count(1)
WARM = 4 * WORKERS  # requests per page not counted, before its timed ones


def _measure(users: list[User], path: str) -> tuple[float, float, float]:
    def get(user: User, _i: int) -> None:
        user.get(f"{path}{next(_UNIQUE)}" if path.endswith("=") else path)

    # Warm, not counted: every worker's first requests of the page, which compile its
    # templates and statements once per process (one worker was warmed, and the first round
    # of a page of many templates counted the others' first requests).
    run(users, get, requests=WARM)
    timings = run(users, get, requests=REQUESTS)
    if timings.errors:
        raise RuntimeError(f"{path}: {timings.errors[:3]}")
    return timings.per_second, timings.percentile(50), timings.percentile(95)


def measure(kind: str, scale: float = SCALE) -> dict:
    """{label: {"rps": [...], "p50": [...], "p95": [...], "ms": [...]}} ratios per round,
    and "_memory_mb": each worker's memory at the end."""
    print(f"  pages on {kind}, {scale:g} × the data: generating it…", file=sys.stderr)
    with scale_database(kind, lambda session: build(session, scale)) as database, \
            Gunicorn("bench.served:app", database, workers=WORKERS) as server:
        signed: dict[str, list[User]] = {}
        for role in {role for _, role, _ in PAGES}:
            signed[role] = [User(server.url) for _ in range(USERS)]
            for user in signed[role]:
                user.sign_in(role, PASSWORD)
        floor_users = [User(server.url) for _ in range(USERS)]
        out: dict = {label: {"rps": [], "p50": [], "p95": [], "ms": []} for label, _, _ in PAGES}
        for round_ in range(ROUNDS):
            print(f"  pages on {kind}, {scale:g} ×: round {round_ + 1}/{ROUNDS}",
                  file=sys.stderr)
            for label, role, path in PAGES:
                floor = _measure(floor_users, "/_floor/")
                page = _measure(signed[role], path.format(**database.facts))
                figures = out[label]
                figures["rps"].append(page[0] / floor[0])
                figures["p50"].append(page[1] / floor[1])
                figures["p95"].append(page[2] / floor[2])
                figures["ms"].append(page[1] * 1000)
        out["_memory_mb"] = server.worker_rss_mb()
    return out


def results(kind: str, scale: float | None = None) -> dict:
    """The figures at `scale` (None: the largest of SCALES), measured once per run."""
    return _results(kind, SCALES[-1] if scale is None else scale)


@cache
def _results(kind: str, scale: float) -> dict:
    data = measure(kind, scale)
    _print(kind, scale, data)
    return data


def _print(kind: str, scale: float, data: dict) -> None:
    def mm(values):
        return f"{min(values):.2f}/{statistics.median(values):.2f}"

    print(f"\nPages on {kind} at {scale:g} × the data, {WORKERS} gunicorn workers, {USERS} "
          f"users at once, {ROUNDS} rounds of {REQUESTS} requests; ratios to the floor, "
          "min/median")
    print(f"{'page':<34} {'req/s ×':>11} {'p50 ×':>11} {'p95 ×':>11} {'p50 ms':>7}")
    for label, _, _ in PAGES:
        f = data[label]
        print(f"{label:<34} {mm(f['rps']):>11} {mm(f['p50']):>11} {mm(f['p95']):>11} "
              f"{statistics.median(f['ms']):>7.0f}")
    memory = data["_memory_mb"]
    print(f"worker memory after the run: {', '.join(f'{m:.0f}' for m in memory)} MB")


@cache
def growth(kind: str) -> dict[str, float]:
    """Per page: its median p50-to-floor ratio at the largest scale over the same at the
    smallest (1 = the page costs the same at 10 × the data)."""
    small, large = results(kind, SCALES[0]), results(kind, SCALES[-1])
    out = {label: statistics.median(large[label]["p50"]) / statistics.median(small[label]["p50"])
           for label, _, _ in PAGES}
    print(f"\nPages on {kind}: p50 × floor at {SCALES[-1]:g} × the data ÷ at {SCALES[0]:g} × "
          "(goal ≤ 1.5)")
    for label, _, _ in PAGES:
        print(f"{label:<34} {out[label]:>6.2f}")
    return out


def _kinds() -> list[str]:
    """SQLite, and PostgreSQL when BENCH_DATABASE_URL is set; BENCH_DATABASES=postgresql (or
    sqlite) runs one of them only."""
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("BENCH_DATABASE_URL") else [])
    wanted = os.environ.get("BENCH_DATABASES")
    return [k for k in kinds if not wanted or k in wanted.split(",")]


def _slowest_share(kind: str, afresh: bool = False) -> float:
    """The floor's requests per second over the slowest page's (median of the rounds): at most
    2, i.e. every page at least half as fast as the floor. The pages as served, or (`afresh`)
    the allocation pages made on every request, their bodies not kept."""
    data = results(kind)
    return max(1 / statistics.median(data[label]["rps"]) for label, _, path in PAGES
               if path.endswith("=") == afresh)


def _allocation_growth(kind: str, afresh: bool = False) -> float:
    data = results(kind)
    large, small = (("allocation page, 600, made afresh", "allocation page, 60, made afresh")
                    if afresh else
                    ("allocation page, 600 applicants", "allocation page, 60 applicants"))
    return statistics.median(data[large]["ms"]) / statistics.median(data[small]["ms"])


def _memory(kind: str) -> float:
    return max(results(kind)["_memory_mb"])


def _worst_growth(kind: str) -> float:
    return max(growth(kind).values())


BENCHMARKS = [bench for kind in _kinds() for bench in (
    Benchmark(f"slowest page, floor req/s ÷ its req/s ({kind})",
              lambda kind=kind: _slowest_share(kind), 2.0, "×"),
    Benchmark(f"allocation page made afresh, floor req/s ÷ its req/s ({kind})",
              lambda kind=kind: _slowest_share(kind, afresh=True), 2.0, "×"),
    Benchmark(f"allocation page, 600 applicants ÷ 60, p50 ({kind})",
              lambda kind=kind: _allocation_growth(kind), 5.0, "×"),
    Benchmark(f"allocation page made afresh, 600 applicants ÷ 60, p50 ({kind})",
              lambda kind=kind: _allocation_growth(kind, afresh=True), 5.0, "×"),
    Benchmark(f"worker memory after the run ({kind})",
              lambda kind=kind: _memory(kind), 300.0, "MB"),
    *([Benchmark(f"worst page, p50 × floor at {SCALES[-1]:g} × the data ÷ at {SCALES[0]:g} × "
                 f"({kind})", lambda kind=kind: _worst_growth(kind), 1.5, "×")]
      if len(SCALES) > 1 else []),
)]
