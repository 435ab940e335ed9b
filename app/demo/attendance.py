"""Demo attendance (idempotent: a session that has marks is left as it is).

- TH-01 (finished): every session keyed back from the signed sheets by the coordinator: mostly
  present, some late, and three learners below the class's minimum (one excused, one absent,
  one absent twice). The demo `learner` attended every session.
- TH-02 (running): the sessions that have started by the time the demo is loaded are marked
  by its trainer (loaded before 07:30, none yet).
- The allowance settings: travel support per class by commune of residence (30.000 đ from
  xã Sơn Hà, up to 80.000 đ from xã Sơn Kỳ); TH-01's commune officials are on the
  state payroll (the people demo), so its allowance list has lines without meal support.

Marks go through `marking.save`, so the audit log holds what a real save would write.
"""

from __future__ import annotations

import random

from app.attendance import completion, marking
from app.attendance.marking import Entry
from app.attendance.queries import marked_counts
from app.extensions import db
from app.timeutil import utcnow

# Who is below the minimum in the finished class: their missed sessions (index, status).
SHORT = [[(1, "excused")], [(2, "absent")], [(0, "absent"), (3, "absent")]]
NOTES = {"excused": "Ốm, có giấy xin phép của trưởng thôn", "absent": "",
         "late": "Đến muộn do đường trơn"}


def _sheet(rng: random.Random, applications, sessions, keep_present: set[int],
           short: list) -> dict[int, dict[int, Entry]]:
    """Statuses for the sessions: present, a late arrival now and then; `short` learners (the
    first ones of a shuffled list that excludes `keep_present`) miss what SHORT says."""
    entries = {s.id: {a.id: Entry("present", "") for a in applications} for s in sessions}
    others = [a for a in applications if a.id not in keep_present]
    rng.shuffle(others)
    for application, missed in zip(others, short, strict=False):
        for index, status in missed:
            if index < len(sessions):
                entries[sessions[index].id][application.id] = Entry(status, NOTES[status])
    for application in others[len(short):]:
        if rng.random() < 0.2:
            session = rng.choice(sessions)
            entries[session.id][application.id] = Entry("late", NOTES["late"])
    return entries


def _mark(actor, klass, keep_present: set[int], short: list, rng: random.Random) -> int:
    now = utcnow()
    counts = marked_counts(klass.id)
    sessions = [s for s in klass.sessions
                if marking.has_begun(s, now) and not counts.get(s.id)]
    applications = completion.admitted_applications(klass)
    if not sessions or not applications:
        return 0
    entries = _sheet(rng, applications, list(klass.sessions), keep_present, short)
    marking.save(actor, klass, {s.id: entries[s.id] for s in sessions}, now)
    return len(sessions)


TRAVEL = {"Sơn Hà": 30_000, "Sơn Hạ": 50_000, "Sơn Thủy": 50_000, "Sơn Kỳ": 80_000,
          "Sơn Linh": 60_000}


def _travel(actor) -> None:
    from sqlalchemy import select

    from app.attendance import settings
    from app.people.models import Unit

    if settings.travel_rates():
        return
    communes = db.session.scalars(select(Unit).where(Unit.kind == "commune",
                                                     Unit.name.in_(list(TRAVEL)),
                                                     Unit.valid_to.is_(None))).all()
    settings.save_travel_rates(actor, {u.id: TRAVEL[u.name] for u in communes})


def load(ctx: dict) -> str:
    users = ctx["users"]
    _travel(users["coordinator"])
    classes = ctx.get("classes", {})
    learner = getattr(users.get("learner"), "cadre", None)
    lines = []
    finished, running = classes.get("TH-01"), classes.get("TH-02")
    if finished is not None:
        own = {a.id for a in completion.admitted_applications(finished)
               if learner is not None and a.cadre_id == learner.id}
        done = _mark(users["coordinator"], finished, own, SHORT, random.Random("TH-01"))  # noqa: S311
        below = sum(1 for row in completion.class_completion(finished) if not row.completion.met)
        lines.append(f"lớp TH-01 nhập {done} buổi từ danh sách ký ({below} học viên chưa đạt)")
    if running is not None:
        done = _mark(users["trainer"], running, set(), [[(0, "absent")], [(0, "excused")]],
                     random.Random("TH-02"))  # noqa: S311
        lines.append(f"lớp TH-02 điểm danh {done} buổi đã bắt đầu")
    db.session.flush()
    return "Điểm danh: " + ("; ".join(lines) if lines else "không có lớp mẫu") + "."
