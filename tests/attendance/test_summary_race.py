"""Two savers of different sessions of one class at once lose no count in the attendance
summary (PostgreSQL row locks: run only when TEST_DATABASE_URL is PostgreSQL). The morning's
and the afternoon's sessions share a date, so neither can count that date from its own marks
alone: the later saver recounts after the earlier one committed (app/attendance/summary.py)."""

import os
import time

import pytest

from app.attendance import marking
from app.attendance.marking import AttendanceError, Entry
from app.timeutil import utcnow
from tests.attendance.summarykit import assert_exact
from tests.race import race

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="TEST_DATABASE_URL is not PostgreSQL")


def _save(user_id, class_id, session_id, entries, hold: float):
    """A job: one save, then `hold` seconds before its commit (its rows stay locked)."""
    def job():
        from app.auth.models import User
        from app.classes.models import TrainingClass
        from app.extensions import db

        marking.save(db.session.get(User, user_id), db.session.get(TrainingClass, class_id),
                     {session_id: entries}, utcnow())
        time.sleep(hold)
    return job


@pytest.mark.parametrize("first_holds", [0.4, 0.0])
def test_two_sessions_of_one_date_saved_at_once_are_both_counted(app, db, users, running,
                                                                 first_holds):
    klass, applications = running()
    morning, afternoon = klass.sessions[0].id, klass.sessions[1].id  # the same date
    present = {a.id: Entry("present", "") for a in applications}
    late = {a.id: Entry("late", "") for a in applications}
    outcome = race(app, [
        _save(users["trainer"].id, klass.id, morning, present, first_holds),
        _save(users["coordinator"].id, klass.id, afternoon, late, 0.4 - first_holds)],
        AttendanceError)
    assert (outcome.ok, outcome.refused, outcome.errors) == (2, 0, [])
    rows = assert_exact()
    assert {(r["present"], r["late"], r["days_1"], r["days_2"], r["days_3"])
            for r in rows.values()} == {(1, 1, 1, 1, 1)}
    assert len(rows) == len(applications)
