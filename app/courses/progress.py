"""Learners' progress: enrolment, lessons done, resume, completion, and the lists that show it
(catalogue, "my courses", a course's learners) in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Text, bindparam, case, cast, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from app.auth.models import User
from app.core import like, paging
from app.core.locking import lock_row
from app.courses import quiz_bank
from app.courses.models import (
    STATUS_LABELS,
    Course,
    CourseEnrollment,
    CourseLesson,
    LessonProgress,
    QuizAttempt,
    course_trainers,
)
from app.extensions import db
from app.timeutil import utcnow


@dataclass
class Progress:
    total: int
    done: int
    has_quiz: bool
    passed: bool
    attempts_used: int
    completed_at: datetime | None
    resume_n: int | None  # 1-based lesson number to continue with, None when all done

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def lessons_done(self) -> bool:
        return self.total > 0 and self.done >= self.total


def enrollment_of(user, course: Course) -> CourseEnrollment | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(CourseEnrollment).where(
        CourseEnrollment.course_id == course.id, CourseEnrollment.user_id == user.id))


def enroll(user, course: Course) -> tuple[CourseEnrollment, bool]:
    """(enrolment, created). Enrolling twice is harmless."""
    existing = enrollment_of(user, course)
    if existing is not None:
        return existing, False
    enrollment = CourseEnrollment(course_id=course.id, user_id=user.id, started_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(enrollment)
    except IntegrityError:  # enrolled by a concurrent request
        return enrollment_of(user, course), False
    return enrollment, True


def done_ids(enrollment: CourseEnrollment | None) -> set[int]:
    if enrollment is None:
        return set()
    return set(db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.enrollment_id == enrollment.id)))


def mark_done(enrollment: CourseEnrollment, lesson: CourseLesson) -> bool:
    """Record the lesson as done; False if it already was (never counted twice)."""
    already = db.session.scalar(select(exists().where(
        LessonProgress.enrollment_id == enrollment.id, LessonProgress.lesson_id == lesson.id)))
    if already:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(LessonProgress(enrollment_id=enrollment.id, lesson_id=lesson.id,
                                          done_at=utcnow()))
    except IntegrityError:  # a double click that raced the first one
        return False
    return True


def visit(enrollment: CourseEnrollment | None, lesson: CourseLesson) -> None:
    """Remember the last lesson opened, to resume there."""
    if enrollment is not None and enrollment.last_lesson_id != lesson.id:
        enrollment.last_lesson_id = lesson.id


def lock_enrollment(enrollment_id: int) -> CourseEnrollment | None:
    """Take the enrolment row lock for the rest of the transaction (SELECT ... FOR UPDATE on
    PostgreSQL, BEGIN IMMEDIATE on SQLite, as `app.classes.enrolment.lock_class`): starting
    and submitting quiz attempts of one learner are serialised. Returns the fresh row."""
    return lock_row(CourseEnrollment, enrollment_id)


def _quiz_id(course: Course | None) -> int | None:
    quiz = course.quiz if course is not None else None
    return quiz.id if quiz is not None else None


def attempts_used(enrollment: CourseEnrollment | None, course: Course | None = None) -> int:
    """Submitted attempts at the course's current quiz (attempts at a deleted quiz do not
    count)."""
    quiz_id = _quiz_id(course if course is not None else getattr(enrollment, "course", None))
    if enrollment is None or quiz_id is None:
        return 0
    return db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.quiz_id == quiz_id,
        QuizAttempt.submitted_at.is_not(None))) or 0


def quiz_passed(enrollment: CourseEnrollment | None, course: Course | None = None) -> bool:
    """Whether the learner passed the course's current quiz."""
    quiz_id = _quiz_id(course if course is not None else getattr(enrollment, "course", None))
    if enrollment is None or quiz_id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.quiz_id == quiz_id,
        QuizAttempt.passed.is_(True)))))


def users_who_passed(course: Course | None, user_ids) -> set[int]:
    """Of `user_ids`, those who passed the course's current quiz (the rule of `quiz_passed`,
    for many learners in one query: a class's certificates)."""
    quiz_id = _quiz_id(course)
    user_ids = [u for u in user_ids if u is not None]
    if quiz_id is None or not user_ids:
        return set()
    return set(db.session.scalars(
        select(CourseEnrollment.user_id).join(
            QuizAttempt, QuizAttempt.enrollment_id == CourseEnrollment.id)
        .where(CourseEnrollment.course_id == course.id, CourseEnrollment.user_id.in_(user_ids),
               QuizAttempt.quiz_id == quiz_id, QuizAttempt.passed.is_(True)).distinct()))


def needs_quiz(course: Course) -> bool:
    """The course has a quiz with questions (to pass before completing)."""
    return quiz_bank.has_questions(course.quiz)


def resume_n(lessons: list[CourseLesson], enrollment: CourseEnrollment | None,
             done: set[int]) -> int | None:
    """The lesson to continue with: the last one opened if not done yet, else the first one
    not done; None when all are done."""
    if not lessons:
        return None
    if enrollment is not None and enrollment.last_lesson_id is not None:
        for n, lesson in enumerate(lessons, start=1):
            if lesson.id == enrollment.last_lesson_id and lesson.id not in done:
                return n
    for n, lesson in enumerate(lessons, start=1):
        if lesson.id not in done:
            return n
    return None


def progress_of(course: Course, enrollment: CourseEnrollment | None,
                done: set[int] | None = None) -> Progress:
    lessons = course.active_lessons
    done = done_ids(enrollment) if done is None else done
    return Progress(
        total=len(lessons), done=sum(1 for x in lessons if x.id in done),
        has_quiz=needs_quiz(course), passed=quiz_passed(enrollment, course),
        attempts_used=attempts_used(enrollment, course),
        completed_at=enrollment.completed_at if enrollment else None,
        resume_n=resume_n(lessons, enrollment, done))


def update_completion(enrollment: CourseEnrollment, course: Course,
                      done: set[int] | None = None) -> bool:
    """Set completed_at when every lesson is done and the quiz (if any) passed. Returns True
    when the course has just been completed. Completion is never taken back.

    Called whenever the learner's state may have become complete: marking a lesson done,
    passing the quiz, and also opening the course page, a lesson or "continue", since the
    course itself may have changed (a lesson or the quiz removed)."""
    if enrollment.completed_at is not None:
        return False
    lessons = course.active_lessons
    if not lessons:
        return False
    done = done_ids(enrollment) if done is None else done
    if any(x.id not in done for x in lessons):
        return False
    if needs_quiz(course) and not quiz_passed(enrollment, course):
        return False
    enrollment.completed_at = utcnow()
    return True


def complete_if_due(enrollment: CourseEnrollment | None, course: Course,
                    state: Progress) -> bool:
    """update_completion from an already computed Progress (no query)."""
    if enrollment is None or enrollment.completed_at is not None:
        return False
    if not state.lessons_done or (state.has_quiz and not state.passed):
        return False
    enrollment.completed_at = utcnow()
    state.completed_at = enrollment.completed_at
    return True


def refresh_completions(course: Course) -> int:
    """Complete every enrolment of the course that is now due (after a lesson, a question or
    the quiz was removed, a publish or an import). Two queries whatever the number of
    learners; returns how many were completed."""
    lessons = [x.id for x in course.active_lessons]
    if not lessons or course.id is None:
        return 0
    db.session.flush()
    query = (select(LessonProgress.enrollment_id)
             .join(CourseEnrollment, CourseEnrollment.id == LessonProgress.enrollment_id)
             .where(CourseEnrollment.course_id == course.id,
                    CourseEnrollment.completed_at.is_(None),
                    LessonProgress.lesson_id.in_(lessons))
             .group_by(LessonProgress.enrollment_id)
             .having(func.count(LessonProgress.id) == len(lessons)))
    if needs_quiz(course):
        query = query.where(exists().where(
            QuizAttempt.enrollment_id == LessonProgress.enrollment_id,
            QuizAttempt.quiz_id == course.quiz.id, QuizAttempt.passed.is_(True)))
    due = list(db.session.scalars(query))
    if not due:
        return 0
    db.session.execute(update(CourseEnrollment).where(CourseEnrollment.id.in_(due))
                       .values(completed_at=utcnow())
                       .execution_options(synchronize_session="fetch"))
    return len(due)


# --- lists -------------------------------------------------------------------------------

# A lesson counts in a course (for its learners' progress) until it is archived: the SQL of
# `Course.active_lessons`.
NOT_ARCHIVED = CourseLesson.archived_at.is_(None)


def _lesson_counts(course_ids) -> dict[int, int]:
    if not course_ids:
        return {}
    rows = db.session.execute(
        select(CourseLesson.course_id, func.count(CourseLesson.id))
        .where(CourseLesson.course_id.in_(course_ids), NOT_ARCHIVED)
        .group_by(CourseLesson.course_id))
    return dict(rows.all())


def _done_counts(enrollment_ids) -> dict[int, int]:
    if not enrollment_ids:
        return {}
    rows = db.session.execute(
        select(LessonProgress.enrollment_id, func.count(LessonProgress.id))
        .join(CourseLesson, CourseLesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.enrollment_id.in_(enrollment_ids), NOT_ARCHIVED)
        .group_by(LessonProgress.enrollment_id))
    return dict(rows.all())


@dataclass
class CourseRow:
    course: Course
    lessons: int
    enrollment: CourseEnrollment | None = None
    done: int = 0

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.lessons) if self.lessons else 0

    @property
    def quiz_left(self) -> bool:
        """Every lesson is done but the course is not complete: only the quiz is left."""
        return (self.enrollment is not None and self.enrollment.completed_at is None
                and self.lessons > 0 and self.done >= self.lessons)


def catalogue(user, topic: str | None, page: int, size: int) -> tuple[list[CourseRow], int]:
    """One page of the courses the user may see, and how many there are: published courses for
    everyone; editors also see their drafts and archived courses, after the published ones.
    By code; the topic (one of `TOPICS`) chosen in the statement. Five queries whatever the
    number of courses."""
    condition = Course.status == "published"
    if user.is_coordinator:
        condition = or_(condition, Course.status.in_(("draft", "archived")))
    elif user.has_role("trainer"):
        mine = select(course_trainers.c.course_id).where(course_trainers.c.user_id == user.id)
        condition = or_(condition, Course.id.in_(mine))
    query = select(Course).where(condition)
    if topic:
        # a topic's slug is a JSON string in the list (`["viec-lam", "y-te"]`): quoted, it
        # matches that element only, on both databases (JSON functions differ between them)
        query = query.where(cast(Course.topics, Text).like(
            f'%"{like.literal(topic)}"%', escape=like.ESCAPE))
    query = query.order_by(case((Course.status == "published", 0), else_=1), Course.code,
                           Course.id)
    courses, total = paging.page_of(query, page, size)
    ids = [c.id for c in courses]
    counts = _lesson_counts(ids)
    enrollments = {e.course_id: e for e in db.session.scalars(
        select(CourseEnrollment).where(CourseEnrollment.user_id == user.id,
                                       CourseEnrollment.course_id.in_(ids)))} if ids else {}
    done = _done_counts([e.id for e in enrollments.values()])
    return [CourseRow(course=c, lessons=counts.get(c.id, 0), enrollment=enrollments.get(c.id),
                      done=done.get(enrollments[c.id].id, 0) if c.id in enrollments else 0)
            for c in courses], total


def my_courses(user) -> list[CourseRow]:
    """The user's enrolments, unfinished first (one query, three with enrolments)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    enrollments = list(db.session.scalars(_my_courses_select(), {"user_id": user.id}))
    enrollments = [e for e in enrollments if e.course.status != "draft"]
    counts = _lesson_counts([e.course_id for e in enrollments])
    done = _done_counts([e.id for e in enrollments])
    rows = [CourseRow(course=e.course, lessons=counts.get(e.course_id, 0), enrollment=e,
                      done=done.get(e.id, 0)) for e in enrollments]
    return sorted(rows, key=lambda r: r.enrollment.completed_at is not None)


@cache
def _my_courses_select():
    """`my_courses`' enrolments with their courses (parameter `user_id`). Built once per
    process: SQLAlchemy keeps a statement's cache key with it, so a request neither builds
    it nor works its key out again (as `auth.models._signed_in_statement`)."""
    return (select(CourseEnrollment).options(joinedload(CourseEnrollment.course))
            .where(CourseEnrollment.user_id == bindparam("user_id"))
            .order_by(CourseEnrollment.started_at.desc(), CourseEnrollment.id.desc()))


class TaughtCourse(NamedTuple):
    """A course on its trainer's home card: plain values, not the course's object."""

    slug: str
    title: str
    status_label: str  # in the user's language
    lessons: int  # its lessons not archived


def teaching(user) -> list[TaughtCourse]:
    """Courses the user is a trainer of, by code, with their lessons counted (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) \
            or not user.has_role("trainer"):
        return []
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}  # once, not per row
    return [TaughtCourse(slug, title, labels.get(status, status), lessons)
            for slug, title, status, lessons in db.session.execute(
                _teaching_select(), {"user_id": user.id})]


@cache
def _teaching_select():
    """`teaching`'s statement (parameter `user_id`), built once per process."""
    lessons = (select(func.count(CourseLesson.id))
               .where(CourseLesson.course_id == Course.id, NOT_ARCHIVED)
               .correlate(Course).scalar_subquery())
    return (select(Course.slug, Course.title, Course.status, lessons)
            .join(course_trainers, course_trainers.c.course_id == Course.id)
            .where(course_trainers.c.user_id == bindparam("user_id")).order_by(Course.code))


@dataclass
class LearnerRow:
    enrollment: CourseEnrollment
    done: int
    attempts: int
    best_score: int | None
    passed: bool


def learners(course: Course) -> list[LearnerRow]:
    """Every learner of the course with their progress (three queries)."""
    enrollments = list(db.session.scalars(
        select(CourseEnrollment).join(CourseEnrollment.user)
        .options(contains_eager(CourseEnrollment.user))
        .where(CourseEnrollment.course_id == course.id).order_by(User.sort_key, User.id)))
    done = _done_counts([e.id for e in enrollments])
    stats = {}
    if enrollments and _quiz_id(course) is not None:
        rows = db.session.execute(
            select(QuizAttempt.enrollment_id, func.count(QuizAttempt.id),
                   func.max(QuizAttempt.score),
                   func.count(QuizAttempt.id).filter(QuizAttempt.passed.is_(True)))
            .where(QuizAttempt.enrollment_id.in_([e.id for e in enrollments]),
                   QuizAttempt.quiz_id == _quiz_id(course),
                   QuizAttempt.submitted_at.is_not(None))
            .group_by(QuizAttempt.enrollment_id))
        stats = {r[0]: r[1:] for r in rows}
    out = [LearnerRow(enrollment=e, done=done.get(e.id, 0),
                      attempts=stats.get(e.id, (0, None, 0))[0],
                      best_score=stats.get(e.id, (0, None, 0))[1],
                      passed=bool(stats.get(e.id, (0, None, 0))[2])) for e in enrollments]
    return out
