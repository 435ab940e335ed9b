"""The attendance summary as it should be: `recount()` counts every application's marks again
in Python (not by the app's SQL), `stored()` reads the table; after any write they are equal."""

from collections import Counter, defaultdict

from sqlalchemy import select

from app.attendance.models import STATUSES, AttendanceMark, AttendanceSummary
from app.classes.models import ClassSession
from app.extensions import db

BITS = {"present": 1, "late": 2, "excused": 4, "absent": 8}
COLUMNS = [*STATUSES, *(f"days_{bits}" for bits in range(1, 16))]


def recount() -> dict[int, dict]:
    """Per application with marks: its class, the sessions per status, and per set of
    statuses (bits) the dates with a mark of that set."""
    db.session.expire_all()
    statuses: dict[int, Counter] = defaultdict(Counter)
    dates: dict[int, dict] = defaultdict(lambda: defaultdict(set))
    classes = {}
    for application_id, class_id, status, day in db.session.execute(
            select(AttendanceMark.application_id, ClassSession.class_id, AttendanceMark.status,
                   ClassSession.date).join(ClassSession,
                                           ClassSession.id == AttendanceMark.session_id)):
        classes[application_id] = class_id
        statuses[application_id][status] += 1
        dates[application_id][day].add(status)
    found = {}
    for application_id, class_id in classes.items():
        row = {"class_id": class_id, **{s: statuses[application_id][s] for s in STATUSES}}
        for bits in range(1, 16):
            row[f"days_{bits}"] = sum(1 for day_statuses in dates[application_id].values()
                                      if any(BITS[s] & bits for s in day_statuses))
        found[application_id] = row
    return found


def stored() -> dict[int, dict]:
    s = AttendanceSummary.__table__
    return {row.application_id: {"class_id": row.class_id, **{c: row._mapping[c]
                                                               for c in COLUMNS}}
            for row in db.session.execute(select(s))}


def assert_exact() -> dict[int, dict]:
    """The table equals the recount (and has rows: something was marked)."""
    expected = recount()
    assert stored() == expected
    return expected
