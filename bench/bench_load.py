"""Load test (issue 16): gunicorn with 4 workers on PostgreSQL (BENCH_DATABASE_URL; skipped
without it), 50 users at once for 60 s doing a realistic mix, on the demo data plus the data
at scale (bench/generate.py). Goals: no error, and the 95th percentile under 300 ms.

Who does what (each step is one user action, timed from its first request to its last):
- 34 learners, each with an account linked to a cadre and enrolled in a demo course: read a
  lesson (6 in 10), take the quiz (start, answer, submit: 2 in 10), apply to an open class
  (2 in 10; each class once);
- 6 trainers: mark the attendance of a session of the running demo class as the page shows it
  (saved again: "nothing changed");
- 5 coordinators: print the running class's sign-in sheet (PDF);
- 5 visitors: verify a certificate of the finished demo class (no sign-in).
Between two actions a user thinks for BENCH_THINK seconds (default 1–3, drawn at random):
people read what they asked for. BENCH_THINK=0 makes it a stress test.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import sys
import threading
import time
from datetime import timedelta
from functools import cache
from pathlib import Path

from bench import Benchmark
from bench.client import Timings, User, run
from bench.server import Gunicorn, scale_database

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "1-3").split("-"))
MIX = {"learner": 34, "trainer": 6, "coordinator": 5, "public": 5}
PASSWORD = "demo12345"


def build(session) -> dict:
    from sqlalchemy import select

    from app.attendance.marking import has_begun
    from app.auth.models import User as Account
    from app.certificates.models import Certificate
    from app.classes.models import ClassSession, TrainingClass
    from app.courses import progress
    from app.courses.models import Course, CourseQuiz
    from app.demo import load_all
    from app.people.models import Cadre
    from app.timeutil import utcnow
    from bench.generate import populate

    load_all()
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    facts = populate(session, cadres=int(100_000 * scale), classes=int(2_000 * scale),
                     applications_per_class=40, courses=20, tag="load")
    course = session.scalar(select(Course).join(CourseQuiz).where(Course.status == "published")
                            .order_by(Course.id))
    session.execute(CourseQuiz.__table__.update().values(max_attempts=100_000))
    cadres = session.scalars(select(Cadre).where(Cadre.user_id.is_(None), Cadre.active)
                             .order_by(Cadre.id.desc()).limit(MIX["learner"])).all()
    for i, cadre in enumerate(cadres):
        account = Account(username=f"load-learner-{i}", full_name=cadre.full_name)
        account.set_password(PASSWORD)
        account.set_roles(("learner",))
        session.add(account)
        session.flush()
        cadre.user_id = account.id
        progress.enroll(account, course)
    running = session.scalar(select(TrainingClass).where(TrainingClass.status == "running"))
    first = session.scalar(select(ClassSession).where(ClassSession.class_id == running.id)
                           .order_by(ClassSession.date, ClassSession.starts_at))
    if not has_begun(first, utcnow()):
        # The demo's running class starts today: from midnight in Vietnam until its first
        # session (17:00-00:30 UTC) nothing has begun and every save would be refused (409).
        # The bench's own copy starts a day earlier instead.
        for moved in running.sessions:
            moved.date -= timedelta(days=1)
        running.start_date -= timedelta(days=1)
        running.end_date -= timedelta(days=1)
        session.flush()
    started = first.id
    code = session.scalar(select(Certificate.code).where(Certificate.revoked_at.is_(None)))
    open_ids = list(session.scalars(select(TrainingClass.id).where(
        TrainingClass.code.like("load-%"))))
    return {"slug": course.slug, "lessons": len(course.active_lessons), "running": running.id,
            "session": started, "certificate": code, "open": open_ids,
            "cadres": facts["cadres"]}


def _think(rng: random.Random) -> None:
    if THINK[-1] > 0:
        threading.Event().wait(rng.uniform(THINK[0], THINK[-1]))


def actions(facts: dict):
    slug, running = facts["slug"], facts["running"]
    classes = itertools.cycle(facts["open"])
    lock = threading.Lock()

    def lesson(user: User, rng) -> None:
        user.get(f"/courses/{slug}/lessons/{rng.randrange(facts['lessons']) + 1}")

    def quiz(user: User, rng) -> None:
        user.post(f"/courses/{slug}/quiz/start", {}, token_from=f"/courses/{slug}/quiz")
        user.submit(f"/courses/{slug}/quiz", f"/courses/{slug}/quiz", expect=(303,), answer=True)

    def apply(user: User, rng) -> None:
        with lock:
            class_id = next(classes)
        user.post(f"/classes/{class_id}/apply", {}, token_from=f"/classes/{class_id}",
                  expect=(302, 303, 409))  # 409: this user had applied to it on a lap before

    def mark(user: User, rng) -> None:
        url = f"/classes/{running}/sessions/{facts['session']}/attendance"
        user.submit(url, url, expect=(303,))

    def sheet(user: User, rng) -> None:
        user.get(f"/classes/{running}/sign-in-sheet.pdf")

    def verify(user: User, rng) -> None:
        user.get(f"/verify/{facts['certificate']}")

    def learner(user: User, rng) -> None:
        roll = rng.random()
        (lesson if roll < 0.6 else quiz if roll < 0.8 else apply)(user, rng)

    return {"learner": learner, "trainer": mark, "coordinator": sheet, "public": verify,
            "parts": {"lesson": lesson, "quiz": quiz, "apply": apply}}


KINDS = [  # (method, path pattern, label): every request the actions make
    ("GET", re.compile(r"/courses/[^/]+/lessons/\d+"), "lesson page"),
    ("GET", re.compile(r"/courses/[^/]+/quiz"), "quiz page"),
    ("POST", re.compile(r"/courses/[^/]+/quiz/start"), "quiz start (post)"),
    ("POST", re.compile(r"/courses/[^/]+/quiz"), "quiz submit (post)"),
    ("GET", re.compile(r"/classes/\d+"), "class page (apply form)"),
    ("POST", re.compile(r"/classes/\d+/apply"), "apply (post)"),
    ("GET", re.compile(r"/classes/\d+/sessions/\d+/attendance"), "attendance page"),
    ("POST", re.compile(r"/classes/\d+/sessions/\d+/attendance"), "attendance save (post)"),
    ("GET", re.compile(r"/classes/\d+/sign-in-sheet\.pdf"), "sign-in sheet (PDF)"),
    ("GET", re.compile(r"/verify/[^/]+"), "verification page"),
    ("GET", re.compile(r"/healthz"), "healthz (floor)"),
]


def request_kind(method: str, path: str) -> str:
    """The label of a request the load test makes ("quiz page", "apply (post)", ...)."""
    path = path.split("?", 1)[0]
    for verb, pattern, label in KINDS:
        if verb == method and pattern.fullmatch(path):
            return label
    return f"{method} {path}"


class TimedUser(User):
    """A user whose every request is timed by its kind (`request_kind`), beside the action's
    time: which requests make an action slow."""

    def __init__(self, base_url: str, per_kind: dict, lock: threading.Lock) -> None:
        super().__init__(base_url)
        self.per_kind, self.lock = per_kind, lock

    def request(self, method, path, data=None, expect=(200,)):
        start = time.perf_counter()
        try:
            return super().request(method, path, data, expect)
        finally:
            took = time.perf_counter() - start
            with self.lock:
                self.per_kind.setdefault(request_kind(method, path), Timings()).seconds.append(
                    took)


class Backends:
    """The CPU that PostgreSQL's server processes for this database use from now until
    `used()` (its backends found in pg_stat_activity, read from /proc: the database runs on
    this machine, as the load test does)."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        self.engine = create_engine(url)
        self.start = {pid: cpu_seconds([pid]) for pid in self._pids()}

    def _pids(self) -> list[int]:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return list(conn.scalars(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")))

    def used(self) -> float:
        pids = self._pids()
        self.engine.dispose()
        return sum(cpu_seconds([pid]) - self.start.get(pid, 0.0) for pid in pids)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time these processes have used so far (/proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


@cache
def results() -> dict:
    print("  load: generating the data…", file=sys.stderr)
    with scale_database("postgresql", build) as database, Gunicorn(
            "wsgi:app", database, workers=4,
            env={"VERIFY_RATE_LIMIT": "100000 per minute"}) as server:
        users, roles = [], []
        per_kind: dict[str, Timings] = {}
        lock = threading.Lock()
        for role, n in MIX.items():
            for i in range(n):
                user = TimedUser(server.url, per_kind, lock)
                if role == "learner":
                    user.sign_in(f"load-learner-{i}", PASSWORD)
                elif role != "public":
                    user.sign_in(role, PASSWORD)
                users.append(user)
                roles.append(role)
        steps = actions(database.facts)
        by_user = dict(zip(map(id, users), roles, strict=True))
        per_role: dict[str, Timings] = {role: Timings() for role in MIX}
        rngs = {id(u): random.Random(i) for i, u in enumerate(users)}  # noqa: S311
        per_kind.clear()  # the sign-ins are not part of the run

        def step(user: User, i: int) -> None:
            rng, role = rngs[id(user)], by_user[id(user)]
            _think(rng)
            start = time.perf_counter()
            try:
                steps[role](user, rng)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                with lock:
                    per_role[role].errors.append(f"{role}: {type(exc).__name__}: {exc}")
                return
            with lock:
                per_role[role].seconds.append(time.perf_counter() - start)

        print(f"  load: {len(users)} users for {SECONDS:.0f} s", file=sys.stderr)
        workers = server.worker_pids()
        backends = Backends(database.url)
        server_cpu, own_cpu = cpu_seconds(workers), time.process_time()
        total = run(users, step, seconds=SECONDS)
        server_cpu = cpu_seconds(workers) - server_cpu
        own_cpu = time.process_time() - own_cpu
        database_cpu = backends.used()
        memory = server.worker_rss_mb()
    every = Timings()
    for timings in per_role.values():
        every.add(timings)
    every.wall = total.wall
    out = {"all": every, "roles": per_role, "memory": memory, "kinds": per_kind,
           "server_cpu": server_cpu, "own_cpu": own_cpu, "database_cpu": database_cpu}
    _print(out)
    return out


def _print(out: dict) -> None:
    every = out["all"]
    print(f"\nLoad test on PostgreSQL: {sum(MIX.values())} users, {SECONDS:.0f} s, think time "
          f"{'–'.join(f'{t:g}' for t in THINK)} s, 4 gunicorn workers")
    print(f"{'who':<12} {'actions':>8} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for role, t in [*out["roles"].items(), ("all", every)]:
        print(f"{role:<12} {len(t.seconds):>8} {len(t.errors):>7} "
              f"{t.percentile(50) * 1000:>7.0f} {t.percentile(95) * 1000:>7.0f}")
    print(f"actions per second: {len(every.seconds) / every.wall:.1f}; worker memory: "
          f"{', '.join(f'{m:.0f}' for m in out['memory'])} MB")
    kinds = out["kinds"]
    print(f"\n{'request':<28} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'share':>6}")
    spent = sum(sum(t.seconds) for t in kinds.values()) or 1
    for name, t in sorted(kinds.items(), key=lambda kv: -sum(kv[1].seconds)):
        print(f"{name:<28} {len(t.seconds):>6} {t.percentile(50) * 1000:>7.0f} "
              f"{t.percentile(95) * 1000:>7.0f} {sum(t.seconds) / spent:>6.0%}")
    requests = sum(len(t.seconds) for t in kinds.values()) or 1
    actions_done = len(every.seconds) or 1
    for who, cpu in (("gunicorn workers", out["server_cpu"]),
                     ("PostgreSQL backends", out["database_cpu"]),
                     ("the load generator", out["own_cpu"])):
        print(f"CPU of {who}: {cpu:.1f} s over {every.wall:.0f} s ({cpu / every.wall:.2f} "
              f"cores), {cpu / requests * 1000:.1f} ms a request, "
              f"{cpu / actions_done * 1000:.1f} ms an action")
    for error in sorted(set(every.errors))[:5]:
        print(f"  error: {error}")


BENCHMARKS = [
    Benchmark("load test, 50 users: errors", lambda: float(len(results()["all"].errors)),
              0.0, "n"),
    Benchmark("load test, 50 users: 95th percentile of an action",
              lambda: results()["all"].percentile(95) * 1000, 300.0, "ms"),
] if os.environ.get("BENCH_DATABASE_URL") else []
