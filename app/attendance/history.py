"""A cadre's training history (quá trình tập huấn), for the cadre page: every class they applied
to or were nominated for, with what became of it (admitted, waitlisted, withdrawn, rejected),
the sessions attended and the completion by `completion.py` (never computed here), and the
courses they took online with their dates. A fixed number of queries, whatever the number of
classes and courses (four at most)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.attendance.completion import Completion, completions_of
from app.classes.models import Application, TrainingClass
from app.courses.models import CourseEnrollment
from app.extensions import db


@dataclass(frozen=True)
class ClassEntry:
    application: Application
    completion: Completion | None  # for those admitted to a class that has started

    @property
    def klass(self) -> TrainingClass:
        return self.application.training_class

    @property
    def admitted(self) -> bool:
        return self.application.status == "admitted"

    @property
    def attended(self) -> bool:
        return self.completion is not None and self.completion.attended > 0

    @property
    def completed(self) -> bool:
        return self.completion is not None and self.completion.met


@dataclass(frozen=True)
class CourseEntry:
    enrollment: CourseEnrollment

    @property
    def course(self):
        return self.enrollment.course

    @property
    def started_at(self) -> datetime:
        return self.enrollment.started_at

    @property
    def completed_at(self) -> datetime | None:
        return self.enrollment.completed_at


@dataclass
class TrainingHistory:
    classes: list[ClassEntry] = field(default_factory=list)
    courses: list[CourseEntry] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return len(self.classes)

    @property
    def admitted(self) -> int:
        return sum(1 for e in self.classes if e.admitted)

    @property
    def attended(self) -> int:
        return sum(1 for e in self.classes if e.attended)

    @property
    def completed(self) -> int:
        return sum(1 for e in self.classes if e.completed)

    @property
    def courses_completed(self) -> int:
        return sum(1 for e in self.courses if e.completed_at is not None)


def training_history(cadre) -> TrainingHistory:
    """The cadre's classes (latest first) and online courses (completed first, latest first)."""
    applications = list(db.session.scalars(
        select(Application).join(TrainingClass)
        .options(joinedload(Application.training_class))
        .where(Application.cadre_id == cadre.id)
        .order_by(TrainingClass.start_date.desc(), TrainingClass.id.desc())))
    started = [a for a in applications
               if a.status == "admitted" and a.training_class.has_started]
    completions = completions_of(started)
    classes = [ClassEntry(a, completions.get(a.id)) for a in applications]
    courses = []
    if cadre.user_id is not None:
        enrollments = db.session.scalars(
            select(CourseEnrollment).options(joinedload(CourseEnrollment.course))
            .where(CourseEnrollment.user_id == cadre.user_id))
        courses = sorted((CourseEntry(e) for e in enrollments),
                         key=lambda e: (e.completed_at is None,
                                        -(e.completed_at or e.started_at).timestamp()))
    return TrainingHistory(classes=classes, courses=courses)
