"""Who qualifies for a class's certificate (the completion rule), and the trainer's
confirmation of the results.

Rule (tiếng Việt): học viên được cấp giấy chứng nhận khi (1) còn trong lớp (được triệu tập, không
rút), (2) đạt tỷ lệ tham dự tối thiểu của lớp (`app/attendance/completion.py`, nơi duy nhất tính
số buổi đã dự: có mặt hoặc đi muộn; vắng có phép không được tính), (3) đạt bài kiểm tra khi lớp
dùng bài kiểm tra của khóa học (lớp chọn "Phải đạt bài kiểm tra" và khóa học có bài kiểm tra):
một lần làm đạt bài kiểm tra hiện hành là đủ, dù trước đó có lần chưa đạt. Lớp phải đã kết thúc
và giảng viên (hoặc cán bộ điều phối) đã xác nhận kết quả.

Rule (English): a learner qualifies when (1) still in the class (admitted, not withdrawn),
(2) their attendance reaches the class's minimum (computed only by `completion.py`: present
or late count, excused absences do not), (3) they passed the quiz when the class uses its
course's quiz (the class requires it and the course has one): one passed attempt at the
current quiz is enough, whatever came before. The class must be finished and its results
confirmed by its trainer (or a coordinator); a confirmation holds while the set of learners
who qualify is the one confirmed (a later change of attendance asks for a new one).

`standings(klass)` computes the whole class in a constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.attendance.completion import Completion, class_completion
from app.certificates.models import Certificate, ResultConfirmation
from app.classes.models import Application, TrainingClass
from app.courses.models import Course
from app.courses.progress import users_who_passed
from app.extensions import db


@dataclass(frozen=True)
class Standing:
    """One admitted learner: attendance, quiz, certificate in force, what is missing."""

    application: Application
    completion: Completion
    quiz_passed: bool | None  # None: the class uses no quiz
    certificate: Certificate | None
    missing: list[str] = field(default_factory=list)  # in the reader's language

    @property
    def cadre(self):
        return self.application.cadre

    @property
    def eligible(self) -> bool:
        return not self.missing


def quiz_course(klass: TrainingClass) -> Course | None:
    """The course whose quiz the class uses: the class requires a passed quiz and its course
    has a quiz with questions; else None."""
    if not klass.quiz_required or klass.course_id is None:
        return None
    course = db.session.get(Course, klass.course_id)
    if course is None or course.quiz is None or not course.quiz.questions:
        return None
    return course


def missing_for(completion: Completion, quiz_passed: bool | None) -> list[str]:
    """What keeps a learner from the certificate: "thiếu 1 buổi", "chưa đạt bài kiểm tra"."""
    missing = []
    if not completion.met:
        missing.append(completion.label)
    if quiz_passed is False:
        missing.append(_("chưa đạt bài kiểm tra"))
    return missing


def in_force(class_id: int) -> dict[int, Certificate]:
    """The class's certificates in force, by application (one query)."""
    return {c.application_id: c for c in db.session.scalars(select(Certificate).where(
        Certificate.class_id == class_id, Certificate.revoked_at.is_(None)))}


def standings(klass: TrainingClass) -> list[Standing]:
    """Every admitted learner of the class, in Vietnamese name order."""
    rows = class_completion(klass)
    course = quiz_course(klass)
    passed = users_who_passed(course, [r.cadre.user_id for r in rows]) if course else set()
    certificates = in_force(klass.id)
    out = []
    for row in rows:
        quiz = (row.cadre.user_id in passed) if course is not None else None
        out.append(Standing(row.application, row.completion, quiz,
                            certificates.get(row.application.id),
                            missing_for(row.completion, quiz)))
    return out


def fingerprint(rows: list[Standing]) -> list[int]:
    """What a confirmation confirms: the applications that qualify, sorted."""
    return sorted(r.application.id for r in rows if r.eligible)


def confirmation(klass: TrainingClass) -> ResultConfirmation | None:
    return db.session.get(ResultConfirmation, klass.id)


def confirmation_holds(found: ResultConfirmation | None, rows: list[Standing]) -> bool:
    return found is not None and sorted(found.eligible_ids or []) == fingerprint(rows)


def class_problem(klass: TrainingClass) -> str | None:
    """Why no certificate of this class can be issued yet (None: it can)."""
    if not klass.issues_certificates:
        return _("Lớp chưa kết thúc: giấy chứng nhận chỉ được cấp khi lớp đã kết thúc và kết "
                 "quả đã được xác nhận.")
    return None
