"""Who may see, read and edit a course (object checks; the routes declare the roles)."""

from __future__ import annotations

from app.auth.roles import STAFF
from app.courses.models import Course, CourseEnrollment


def is_trainer_of(user, course: Course) -> bool:
    return user is not None and any(t.id == user.id for t in course.trainers)


def can_edit(user, course: Course) -> bool:
    """The course's trainers, coordinators and admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_coordinator:
        return True
    return user.has_role("trainer") and is_trainer_of(user, course)


def can_create(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(*STAFF))


def can_see(user, course: Course, enrollment: CourseEnrollment | None) -> bool:
    """The course page: published courses for everyone; archived ones for the enrolled and
    staff; drafts for their editors only."""
    if course.status == "published":
        return True
    if can_edit(user, course):
        return True
    if course.status == "archived":
        return enrollment is not None or user.has_role(*STAFF)
    return False


def can_read(user, course: Course, enrollment: CourseEnrollment | None) -> bool:
    """The lessons and files: enrolled learners, trainers and coordinators (editors always)."""
    if can_edit(user, course):
        return True
    if course.status == "draft":
        return False
    return enrollment is not None or user.has_role(*STAFF)


def can_enroll(user, course: Course) -> bool:
    return course.status == "published" and user.has_role("learner")
