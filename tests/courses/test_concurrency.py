"""Quiz attempts when requests of one learner arrive at the same moment (PostgreSQL row
locks on the enrolment): one open attempt, never more submitted attempts than allowed.

Runs only when TEST_DATABASE_URL is PostgreSQL; the in-memory SQLite test database has a
single shared connection, so there is nothing to race on there (the SQLite side, BEGIN
IMMEDIATE and the unique index on open attempts, is covered in test_quiz.py).
"""

import os

import pytest
from sqlalchemy import func, select

from app.courses import progress, quiz
from app.courses.models import Course, CourseEnrollment, QuizAttempt
from tests.race import race

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="TEST_DATABASE_URL is not PostgreSQL")


def _race(app, jobs):
    """Run the jobs in threads released together; returns (successes, refusals)."""
    outcome = race(app, jobs, quiz.QuizError)
    assert outcome.errors == []
    return outcome.ok, outcome.refused


@pytest.fixture()
def enrolled(db, make_course, users):
    course = make_course(max_attempts=2)
    enrollment, _ = progress.enroll(users["learner"], course)
    db.session.commit()
    return course.id, enrollment.id


def _load(ids):
    from app.extensions import db

    return db.session.get(Course, ids[0]), db.session.get(CourseEnrollment, ids[1])


def test_simultaneous_starts_open_one_attempt(app, db, enrolled):
    def start():
        course, enrollment = _load(enrolled)
        quiz.start_or_resume(enrollment, course)

    ok, refused = _race(app, [start] * 6)
    assert (ok, refused) == (6, 0)
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_simultaneous_attempts_never_exceed_the_limit(app, db, enrolled):
    def attempt():
        course, enrollment = _load(enrolled)
        started = quiz.start_or_resume(enrollment, course)
        wrong = {q.id: [q.choices[-1].id] for q in course.quiz.questions}
        quiz.submit(enrollment, course, started.token, wrong)

    ok, refused = _race(app, [attempt] * 8)
    assert (ok, refused) == (2, 6)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.submitted_at.is_not(None))) == 2
