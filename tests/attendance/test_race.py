"""Two people saving the same session at the same moment lose no mark (PostgreSQL row locks:
the tests run only when TEST_DATABASE_URL is PostgreSQL)."""

import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.attendance import marking
from app.attendance.marking import AttendanceError, Entry
from app.attendance.models import AttendanceMark
from app.audit.models import AuditEntry
from app.timeutil import utcnow
from tests.attendance.conftest import by_name, first
from tests.attendance.opkit import iso, marks, op, started, stored_ops
from tests.race import race

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="TEST_DATABASE_URL is not PostgreSQL")


def _save(user_id, class_id, session_id, entries, shown):
    """A job: one save as `user_id`, in the thread's own session."""
    def job():
        from app.auth.models import User
        from app.classes.models import TrainingClass
        from app.extensions import db

        marking.save(db.session.get(User, user_id), db.session.get(TrainingClass, class_id),
                     {session_id: entries}, utcnow(), shown=shown)
    return job


def _state(db, session_id, applications):
    db.session.expire_all()
    names = {a.id: a.cadre.full_name for a in applications}
    marks = {names[m.application_id]: m.status for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session_id))}
    changes = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "attendance.change").order_by(AuditEntry.id)))
    return marks, changes


def test_two_first_saves_at_once_lose_nothing(app, db, users, running):
    klass, applications = running()
    session_id = klass.sessions[0].id
    unmarked = {(session_id, a.id): Entry("", "") for a in applications}
    everyone = {a.id: Entry("present", "") for a in applications}
    hoa = by_name(applications)["Đinh Thị Hoa"].id
    outcome = race(app, [
        _save(users["trainer"].id, klass.id, session_id, everyone, unmarked),
        _save(users["coordinator"].id, klass.id, session_id,
              {**everyone, hoa: Entry("late", "")}, unmarked)], AttendanceError)
    assert (outcome.ok, outcome.refused, outcome.errors) == (2, 0, [])
    marks, changes = _state(db, session_id, applications)
    assert len(marks) == 4
    # one save wrote every mark, the other then changed Hoa (or found her as it wanted her)
    assert marks["Đinh Thị Hoa"] in ("present", "late")
    assert [c.data["application"] for c in changes] == [hoa] or changes == []
    if changes:
        assert changes[0].data["new"]["status"] == marks["Đinh Thị Hoa"]


@pytest.mark.parametrize("run", range(3))
def test_two_saves_of_different_learners_both_survive_and_the_same_learner_last_wins(
        app, db, users, running, run):
    klass, applications = running()
    session_id = klass.sessions[0].id
    people = by_name(applications)
    everyone = {a.id: Entry("present", "") for a in applications}
    marking.save(users["trainer"], klass, {session_id: everyone}, utcnow())
    db.session.commit()
    page = {(session_id, a.id): Entry("present", "") for a in applications}  # both pages
    an, ba = people["Hồ Thị An"].id, people["Phạm Văn Ba"].id
    outcome = race(app, [
        _save(users["trainer"].id, klass.id, session_id,
              {**everyone, an: Entry("absent", ""), ba: Entry("late", "")}, page),
        _save(users["coordinator"].id, klass.id, session_id,
              {**everyone, an: Entry("excused", ""), ba: Entry("present", "Đến đúng giờ")},
              page)], AttendanceError)
    assert (outcome.ok, outcome.refused, outcome.errors) == (2, 0, [])
    marks, changes = _state(db, session_id, applications)
    # Ba: only the trainer changed the status, only the coordinator the note: both survive
    ba_mark = db.session.scalar(select(AttendanceMark).where(
        AttendanceMark.session_id == session_id, AttendanceMark.application_id == ba))
    assert (ba_mark.status, ba_mark.note) == ("late", "Đến đúng giờ")
    # An: both changed her; the latest taken wins and both are in the audit log (a change
    # each, or, when the later one took the lock first, a change and the earlier one kept as
    # superseded)
    an_changes = [c for c in changes if c.data["application"] == an]
    beaten = [e for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "attendance.superseded")) if "Hồ Thị An" in e.summary]
    assert len(an_changes) + len(beaten) == 2
    assert an_changes[0].data["old"]["status"] == "present"
    assert {c.data["new"]["status"] for c in an_changes} <= {"absent", "excused"}
    assert marks["Hồ Thị An"] == an_changes[-1].data["new"]["status"]
    assert {e.user_id for e in an_changes + beaten} == {users["trainer"].id,
                                                        users["coordinator"].id}


def _send(user_id, items, received):
    """A job: one batch of a phone's operations, in the thread's own session."""
    def job():
        from app.attendance import ops
        from app.auth.models import User
        from app.extensions import db

        batch = ops.read_batch({"sent_at": iso(received), "ops": items})
        ops.apply_ops(db.session.get(User, user_id), batch.ops, received, sent_at=batch.sent_at)
    return job


def test_the_same_batch_sent_twice_at_once_is_stored_once(app, db, users, running):
    """A phone retrying while its first request is still in flight: the session lock makes
    the second see the first's operations (duplicates), never a second copy."""
    klass, applications = running()
    session = first(klass)
    at = started(session) + timedelta(minutes=5)
    items = [op(session, a, "late", taken=at) for a in applications]
    outcome = race(app, [_send(users["trainer"].id, items, at + timedelta(minutes=1)),
                         _send(users["trainer"].id, items, at + timedelta(minutes=1))],
                   AttendanceError)
    assert (outcome.ok, outcome.refused, outcome.errors) == (2, 0, [])
    assert len(stored_ops()) == 4
    assert set(marks(session).values()) == {("late", "")} and len(marks(session)) == 4
