"""Two people saving the same session at the same moment lose no mark (PostgreSQL row locks:
the tests run only when TEST_DATABASE_URL is PostgreSQL)."""

import os

import pytest
from sqlalchemy import select

from app.attendance import marking
from app.attendance.marking import AttendanceError, Entry
from app.attendance.models import AttendanceMark
from app.audit.models import AuditEntry
from app.timeutil import utcnow
from tests.attendance.conftest import by_name
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
    # An: both changed her; the last write wins and both changes are in the audit log
    an_changes = [c for c in changes if c.data["application"] == an]
    assert len(an_changes) == 2
    assert {c.data["new"]["status"] for c in an_changes} == {"absent", "excused"}
    assert an_changes[0].data["old"]["status"] == "present"
    assert an_changes[1].data["old"]["status"] == an_changes[0].data["new"]["status"]
    assert marks["Hồ Thị An"] == an_changes[-1].data["new"]["status"]
    assert {c.user_id for c in an_changes} == {users["trainer"].id, users["coordinator"].id}
