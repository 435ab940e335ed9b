"""Completion of a class (hoàn thành lớp học): the one place that says who attended what.

Cách tính (tiếng Việt)
----------------------
1. Một buổi được tính là đã dự khi học viên có mặt hoặc đi muộn (`ATTENDED`). Vắng có phép,
   vắng không phép và buổi chưa điểm danh đều không được tính.
2. Tỷ lệ tham dự = số buổi đã dự / tổng số buổi của lớp, làm tròn xuống đến phần trăm (79,9%
   hiện là 79%, để không ai thấy "80%" mà vẫn chưa đạt).
3. Học viên đạt khi tỷ lệ tham dự (chính xác, chưa làm tròn) đạt tỷ lệ tối thiểu của lớp.
   Nếu chưa đạt thì "thiếu N buổi": N = số buổi tối thiểu phải dự (làm tròn lên) trừ số
   buổi đã dự. Lớp chưa có buổi học nào thì chưa ai đạt.
4. Đã được tập huấn (khi xét chọn lớp sau cùng chuyên đề) = đã dự ít nhất một buổi của một lớp
   đang học hoặc đã kết thúc cùng chuyên đề chính; lớp chưa điểm danh buổi nào (lớp mở trước
   khi có điểm danh, hoặc chưa nhập lại danh sách ký) thì người được triệu tập vẫn được tính.

How it is computed (English)
----------------------------
1. A session counts as attended when the learner was present or late (`ATTENDED`). Excused,
   absent and unmarked sessions do not count.
2. Attendance percentage = sessions attended / the class's sessions, rounded down to a whole
   percent (79.9% shows as 79%, so nobody sees "80%" and still falls short).
3. A learner completes the class when the exact percentage reaches the class's minimum.
   Otherwise they are "N sessions short": N = the minimum number of sessions (rounded up)
   minus the sessions attended. In a class without sessions nobody has completed yet.
4. Trained before (for the seat allocation of a later class of the same topic) = attended at
   least one session of a running or finished class with the same main topic; in such a class
   where no attendance was taken at all (held before attendance was kept, or its sheets not
   yet keyed back) being admitted still counts.

Precisely: with ``a`` sessions attended out of ``n`` and a minimum of ``m`` percent,
``met = n > 0 and 100·a >= m·n``, ``needed = ceil(m·n / 100)``, ``shortfall = max(needed - a,
0)``, ``percent = floor(100·a / n)`` (0 when ``n = 0``). Integers only, no floating point.

`Completion` is pure; `class_completion` computes every admitted learner of one class in a
constant number of queries; `trained_on` is the SQL of rule 4, which the classes feature uses
through `enrolment.register_trained_rule` (it is a floor below and cannot import this module).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from app.attendance.models import AttendanceMark
from app.classes.enrolment import person_key
from app.classes.models import Application, ClassSession, TrainingClass
from app.extensions import db
from app.people.models import cadre_facts

# What counts as attended. A class setting later (some programmes count "late" only up to a
# point); kept as one named constant now, read by Python and SQL alike.
ATTENDED = frozenset({"present", "late"})


def attended_condition():
    """The SQL condition "this mark counts as attended"."""
    return AttendanceMark.status.in_(sorted(ATTENDED))


def attended(summary):
    """The SQL of the sessions attended from a learner's summary row (`AttendanceSummary`, or
    an alias of it): its counts of the statuses that count as attended."""
    return sum((getattr(summary, status) for status in sorted(ATTENDED)[1:]),
               getattr(summary, sorted(ATTENDED)[0]))


def meets(attended: int, sessions: int, min_pct: int, all_of=lambda *c: all(c)):
    """Rule 3: ``sessions > 0 and 100·attended >= min_pct·sessions``, for numbers, or for SQL
    columns with ``all_of=sqlalchemy.and_`` (the reports count completions in SQL)."""
    return all_of(sessions > 0, 100 * attended >= min_pct * sessions)


@dataclass(frozen=True)
class Completion:
    """One learner's standing in one class (pure: numbers in, numbers out)."""

    attended: int
    sessions: int
    min_pct: int

    @property
    def met(self) -> bool:
        return meets(self.attended, self.sessions, self.min_pct)

    @property
    def needed(self) -> int:
        """Sessions to attend to complete: ceil(min_pct · sessions / 100)."""
        return -(-self.min_pct * self.sessions // 100)

    @property
    def shortfall(self) -> int:
        return max(self.needed - self.attended, 0)

    @property
    def percent(self) -> int:
        return 100 * self.attended // self.sessions if self.sessions else 0

    @property
    def label(self) -> str:
        """"Đạt", "thiếu 1 buổi" (in the reader's language)."""
        if self.met:
            return _("Đạt")
        if not self.sessions:
            return _("Chưa có buổi học")
        return _("thiếu %(n)s buổi", n=self.shortfall)

    @property
    def badge(self) -> str:
        return "success" if self.met else "warning"


@dataclass(frozen=True)
class LearnerCompletion:
    application: Application
    completion: Completion

    @property
    def cadre(self):
        return self.application.cadre


def attended_counts(class_id: int) -> dict[int, int]:
    """Sessions attended per application of the class, in one grouped query."""
    return dict(db.session.execute(
        select(AttendanceMark.application_id, func.count())
        .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
        .where(ClassSession.class_id == class_id, attended_condition())
        .group_by(AttendanceMark.application_id)).all())


def admitted_applications(klass: TrainingClass) -> list[Application]:
    """The admitted applications with their cadres (one query), in Vietnamese name order."""
    applications = db.session.scalars(select(Application).where(
        Application.class_id == klass.id, Application.status == "admitted")
        .options(*cadre_facts(joinedload(Application.cadre)))).unique().all()
    return sorted(applications, key=lambda a: person_key(a.cadre))


def class_completion(klass: TrainingClass,
                     applications: list[Application] | None = None) -> list[LearnerCompletion]:
    """Every admitted learner's completion, in name order: the applications (one query, or
    given), the class's sessions (its relationship) and the attended counts (one query)."""
    applications = admitted_applications(klass) if applications is None else applications
    counts = attended_counts(klass.id)
    total = len(klass.sessions)
    return [LearnerCompletion(a, Completion(counts.get(a.id, 0), total, klass.min_attendance_pct))
            for a in applications]


def completion_of(klass: TrainingClass, application: Application) -> Completion:
    """One learner's completion (for the learner's own page)."""
    attended = db.session.scalar(
        select(func.count()).select_from(AttendanceMark)
        .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
        .where(ClassSession.class_id == klass.id, AttendanceMark.application_id == application.id,
               attended_condition())) or 0
    return Completion(attended, len(klass.sessions), klass.min_attendance_pct)


def trained_on(course_ids: list[int], exclude_class_id: int) -> Select:
    """Rule 4 as a query of cadre ids: those who attended a session of a started class of these
    courses (not the class being allocated), or were admitted to one where no attendance was
    taken at all. Registered as the classes feature's "trained before" rule."""
    marked = exists().where(AttendanceMark.application_id == Application.id,
                            attended_condition())
    class_marked = exists().where(
        AttendanceMark.session_id == ClassSession.id,
        ClassSession.class_id == TrainingClass.id)
    return (select(Application.cadre_id).join(TrainingClass)
            .where(TrainingClass.course_id.in_(course_ids), TrainingClass.id != exclude_class_id,
                   TrainingClass.has_started,
                   or_(marked, and_(Application.status == "admitted", ~class_marked))))


def completions_of(applications: list[Application]) -> dict[int, Completion]:
    """Each application's completion in its own class, for applications of several classes
    (a cadre's history): two grouped queries, the sessions per class and the sessions attended
    per application, whatever the number of classes. Keyed by application id."""
    if not applications:
        return {}
    sessions = dict(db.session.execute(
        select(ClassSession.class_id, func.count())
        .where(ClassSession.class_id.in_({a.class_id for a in applications}))
        .group_by(ClassSession.class_id)).all())
    attended = dict(db.session.execute(
        select(AttendanceMark.application_id, func.count())
        .where(AttendanceMark.application_id.in_([a.id for a in applications]),
               attended_condition())
        .group_by(AttendanceMark.application_id)).all())
    return {a.id: Completion(attended.get(a.id, 0), sessions.get(a.class_id, 0),
                             a.training_class.min_attendance_pct) for a in applications}
