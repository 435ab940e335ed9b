"""The attendance summary (`AttendanceSummary`): each learner's marks of a class counted, one
row per application that has marks, so the reports read one row a learner instead of one a
session (issue 17: 45,000 rows for a district's year instead of 451,000 marks).

Kept exact in one place, the flush: a listener on the ORM session (`_marks_flushed`) recounts
the rows of the learners whose marks a flush created, changed (status, session, learner) or
deleted, and of those marked in a session whose date it changed, in the same transaction.
Every writer of marks goes through it: `ops._refold` (the marking page, a phone's batch, a
photo confirmed, a coordinator's approval or choice), the demo data (through `marking.save`),
a test's own marks. A backup restores the table with the marks (one snapshot). Only marks
written by SQL outside the ORM (the benchmark's bulk load) need `fill` afterwards.

The rows are recounted from the marks, not incremented: the dates counted (`days_*`) depend on
the other sessions of the same date, which another save may be changing at that moment (the
morning's trainer and the afternoon's). So, per flush:

1. the rows are made if missing and locked, in application order (an upsert that writes
   nothing new: on PostgreSQL it waits for any other transaction holding them, until it
   commits; always in the same order, so two savers never deadlock; SQLite has one writer
   at a time);
2. then, in a new statement (PostgreSQL: a new snapshot under READ COMMITTED, which sees what
   the transaction waited for wrote), the counts are recomputed from the marks.

The later of two savers thus counts the earlier one's marks too; nothing is lost
(`tests/attendance/test_summary_race.py`). Migration 0028 fills the table with the same count
as `counts`, in the SQL of its revision.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import (
    Integer,
    bindparam,
    case,
    cast,
    distinct,
    event,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.attendance.models import (
    STATUS_BITS,
    STATUS_SETS,
    STATUSES,
    AttendanceMark,
    AttendanceSummary,
)
from app.classes.models import Application, ClassSession
from app.extensions import db

S = AttendanceSummary


def _statuses(bits: int) -> list[str]:
    return [s for s in STATUSES if STATUS_BITS[s] & bits]


def counts(application_ids=None):
    """The summary's values counted from the marks (one row per application with marks):
    application id, class id, then the columns of `AttendanceSummary` in order
    (`COLUMNS`); of these applications only (a list, or an expanding bind parameter).
    Grouped twice: per learner and date (the sessions of each status that day), then per
    learner (the sessions, and the dates with a status of each set)."""
    m, session = AttendanceMark, ClassSession
    day = (select(m.application_id, session.class_id,
                  *[func.count(case((m.status == s, m.id))).label(s) for s in STATUSES])
           .join(session, session.id == m.session_id)
           .group_by(m.application_id, session.class_id, session.date))
    if application_ids is not None:
        day = day.where(m.application_id.in_(application_ids))
    day = day.subquery("day")

    def total(value):
        return cast(func.coalesce(func.sum(value), 0), Integer)

    return (select(day.c.application_id, day.c.class_id,
                   *[total(day.c[s]).label(s) for s in STATUSES],
                   *[total(case((or_(*[day.c[s] > 0 for s in _statuses(bits)]), 1), else_=0))
                     .label(f"days_{bits}") for bits in STATUS_SETS])
            .group_by(day.c.application_id, day.c.class_id))


COLUMNS = [*STATUSES, *(f"days_{bits}" for bits in STATUS_SETS)]


@cache
def _statements(dialect: str):
    """The statements of a recount for a dialect, built once (`ids`: the applications)."""
    ids = bindparam("ids", expanding=True)
    made = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(S).from_select(
        ["application_id", "class_id"],
        select(Application.id, Application.class_id).where(Application.id.in_(ids))
        .order_by(Application.id))
    lock = made.on_conflict_do_update(index_elements=["application_id"],
                                      set_={"class_id": made.excluded.class_id})
    found = counts(ids).subquery("found")
    recount = (update(S).where(S.application_id == found.c.application_id)
               .values({name: found.c[name] for name in COLUMNS}))
    empty = S.__table__.delete().where(
        S.application_id.in_(ids),
        ~select(AttendanceMark.id).where(AttendanceMark.application_id == S.application_id)
        .exists())
    return lock, recount, empty


def _recount(conn, ids: list[int], gone: bool = False) -> None:
    """Recount these applications' rows from their marks (two statements; a third, after
    marks were deleted, drops the rows left without any)."""
    lock, recount, empty = _statements(conn.dialect.name)
    # 1. the rows exist and are this transaction's (PostgreSQL waits here for another saver)
    conn.execute(lock, {"ids": ids})
    # 2. their counts, read afresh from the marks
    conn.execute(recount, {"ids": ids})
    if gone:
        conn.execute(empty, {"ids": ids})


def fill() -> int:
    """Recount every row from the marks (after marks were loaded in bulk, outside the app:
    `bench/bench_reports.py`); returns the rows written."""
    conn = db.session.connection()
    conn.execute(S.__table__.delete())
    return conn.execute(S.__table__.insert().from_select(
        ["application_id", "class_id", *COLUMNS], counts())).rowcount


@event.listens_for(Session, "after_flush")
def _marks_flushed(session, _context) -> None:
    """The one place that keeps the summary: after every flush that writes marks (created,
    status or learner changed, deleted) or moves a marked session to another date, the rows
    of the learners concerned are recounted, in the same transaction."""
    ids, moved, gone = set(), [], False
    for item in session.new:
        if isinstance(item, AttendanceMark):
            ids.add(item.application_id)
    for item in session.dirty:
        if isinstance(item, AttendanceMark):
            state = inspect(item).attrs
            if any(state[name].history.has_changes()
                   for name in ("status", "session_id", "application_id")):
                ids.update(state.application_id.history.sum())
        elif isinstance(item, ClassSession) and inspect(item).attrs.date.history.has_changes():
            moved.append(item.id)
    for item in session.deleted:
        if isinstance(item, AttendanceMark):
            ids.add(item.application_id)
            gone = True
    if not (ids or moved):
        return
    conn = session.connection()
    if moved:
        ids.update(conn.scalars(select(distinct(AttendanceMark.application_id))
                                .where(AttendanceMark.session_id.in_(moved))))
    ids.discard(None)
    if ids:
        _recount(conn, sorted(ids), gone)
