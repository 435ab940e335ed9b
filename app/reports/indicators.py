"""Training indicators for a period, a program and a unit: each defined once, here, and
computed in SQL (aggregates over the rows; never a Python loop over all of them).

What is counted (docs/REPORTS.md says it in Vietnamese for the people who send the reports):

- an activity is a class that took place: running or finished, starting in the period (a
  class running across the period's end counts in the period it started);
- a trainee is an admitted application of such a class: counted as person-times (lượt) and as
  distinct people (người);
- women: the cadre's gender; ethnic-minority people: any people but Kinh (code 01), a cadre
  whose people is not recorded is counted with neither; grassroots leaders: a village-level
  leader's position (`Position.village_leader`); level: the cadre's level (village, commune,
  province);
- attendance rate: sessions attended (present or late, `app.attendance.completion.ATTENDED`)
  over the sessions the trainees were due to attend, in the classes whose attendance was
  taken (a class with no mark at all is left out, not counted as all absent);
- completions: trainees who met their class's minimum attendance, by the rule of
  `app.attendance.completion` (``sessions > 0 and 100·attended >= min_pct·sessions``), out of
  the trainees of the classes whose attendance was taken;
- e-learning: enrolments in the self-paced courses started in the period, and those
  completed in the period (by the cadre linked to the account, for the unit filter).

A unit filter keeps the cadres of a commune (`commune_ids`: the commune and those merged into
it, as the cadres' records name them); a program filter keeps the classes recorded under that
program (and component).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, distinct, exists, func, select

from app.attendance.completion import attended_condition
from app.attendance.models import AttendanceMark
from app.classes.models import Application, ClassSession, TrainingClass
from app.classes.status import STARTED
from app.courses.models import CourseEnrollment
from app.extensions import db
from app.i18n_markers import N_
from app.people.models import Cadre, Position, Unit
from app.programs.models import ActivityType

KINH = "01"
LEVELS = ("village", "commune", "province")
# Every named indicator with its label, in the order reports show them (the names are what a
# province's own form and the API will use).
LABELS = {
    "so_hoat_dong": N_("Số lớp, hoạt động đã tổ chức"),
    "luot": N_("Số lượt người được tập huấn"),
    "nguoi": N_("Số người được tập huấn (không tính trùng)"),
    "luot_nu": N_("Lượt nữ"),
    "nguoi_nu": N_("Người là nữ"),
    "luot_dtts": N_("Lượt người dân tộc thiểu số"),
    "nguoi_dtts": N_("Người dân tộc thiểu số"),
    "luot_lanh_dao_co_so": N_("Lượt cán bộ chủ chốt cấp thôn"),
    "luot_cap_village": N_("Lượt cán bộ cấp thôn"),
    "luot_cap_commune": N_("Lượt cán bộ cấp xã"),
    "luot_cap_province": N_("Lượt cán bộ cấp tỉnh"),
    "buoi_du": N_("Số buổi tham dự / số buổi phải dự (lớp đã điểm danh)"),
    "hoan_thanh": N_("Số lượt hoàn thành lớp (đủ tỷ lệ tham dự)"),
    "hoc_truc_tuyen": N_("Lượt đăng ký học trực tuyến"),
    "hoan_thanh_truc_tuyen": N_("Lượt hoàn thành khóa học trực tuyến"),
}


@dataclass(frozen=True)
class Scope:
    """What a report covers: the period (inclusive dates), optionally a program (and one of
    its components) and a commune (the ids of the commune and of those merged into it)."""

    start: date
    end: date
    program_id: int | None = None
    component_id: int | None = None
    commune_ids: frozenset[int] | None = None


@dataclass(frozen=True)
class Figure:
    """A count and what it is a share of (None when it is a plain count)."""

    value: int
    of: int | None = None

    @property
    def percent(self) -> float | None:
        if not self.of:
            return None
        return 100 * self.value / self.of


def _classes(scope: Scope):
    """The activities of the scope: classes that took place, starting in the period."""
    query = select(TrainingClass.id).where(
        TrainingClass.status.in_(sorted(STARTED)),
        TrainingClass.start_date.between(scope.start, scope.end))
    if scope.program_id is not None:
        query = query.where(TrainingClass.program_id == scope.program_id)
    if scope.component_id is not None:
        query = query.where(TrainingClass.component_id == scope.component_id)
    return query


def _trainees(scope: Scope):
    """The admitted applications of the scope's classes, with their cadres (and the unit
    filter)."""
    query = (select(Application.id, Application.class_id, Application.cadre_id, Cadre.gender,
                    Cadre.ethnicity_code, Cadre.level, Cadre.commune_id,
                    Position.village_leader)
             .join(Cadre, Cadre.id == Application.cadre_id)
             .join(Position, Position.id == Cadre.position_id)
             .where(Application.status == "admitted",
                    Application.class_id.in_(_classes(scope))))
    if scope.commune_ids is not None:
        query = query.where(Cadre.commune_id.in_(sorted(scope.commune_ids)))
    return query.subquery("trainees")


def _marked_classes():
    """Classes whose attendance was taken (at least one mark)."""
    return select(ClassSession.class_id).where(exists().where(
        AttendanceMark.session_id == ClassSession.id))


def trainees(scope: Scope) -> dict[str, Figure]:
    """Person-times and people, and of them women, ethnic-minority people, grassroots leaders
    and each level: one query."""
    t = _trainees(scope)
    minority = and_(t.c.ethnicity_code.is_not(None), t.c.ethnicity_code != KINH)

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(select(
        func.count(t.c.id), func.count(distinct(t.c.cadre_id)),
        count_if(t.c.gender == "F"), count_if(minority),
        count_if(t.c.village_leader.is_(True)),
        *[count_if(t.c.level == level) for level in LEVELS],
        func.count(distinct(case((t.c.gender == "F", t.c.cadre_id)))),
        func.count(distinct(case((minority, t.c.cadre_id)))),
    )).one()
    times, people, women, em, leaders, *levels, women_people, em_people = row
    out = {
        "luot": Figure(times), "nguoi": Figure(people),
        "luot_nu": Figure(women, times), "luot_dtts": Figure(em, times),
        "luot_lanh_dao_co_so": Figure(leaders, times),
        "nguoi_nu": Figure(women_people, people), "nguoi_dtts": Figure(em_people, people),
    }
    for level, value in zip(LEVELS, levels, strict=True):
        out[f"luot_cap_{level}"] = Figure(value, times)
    return out


def activities(scope: Scope) -> list[tuple[str, int]]:
    """Activities by type (lớp tập huấn, đoàn học tập, hội thảo...; "chưa ghi loại" last)."""
    query = (select(ActivityType.name, func.count(TrainingClass.id))
             .select_from(TrainingClass)
             .outerjoin(ActivityType, ActivityType.id == TrainingClass.activity_type_id)
             .where(TrainingClass.id.in_(_classes(scope)))
             .group_by(ActivityType.name).order_by(ActivityType.name))
    if scope.commune_ids is not None:  # the activities that trained someone of the unit
        query = query.where(TrainingClass.id.in_(select(_trainees(scope).c.class_id)))
    rows = db.session.execute(query).all()
    return sorted(((name or "", count) for name, count in rows), key=lambda r: (not r[0], r[0]))


def attendance(scope: Scope) -> dict[str, Figure]:
    """The attendance rate and the completions, over the classes whose attendance was taken."""
    t = _trainees(scope)
    marked = t.c.class_id.in_(_marked_classes())
    sessions = (select(ClassSession.class_id, func.count(ClassSession.id).label("n"))
                .group_by(ClassSession.class_id).subquery("sessions"))
    attended = (select(AttendanceMark.application_id, func.count(AttendanceMark.id).label("a"))
                .where(attended_condition()).group_by(AttendanceMark.application_id)
                .subquery("attended"))
    a = func.coalesce(attended.c.a, 0)
    n = func.coalesce(sessions.c.n, 0)
    row = db.session.execute(
        select(func.coalesce(func.sum(a), 0), func.coalesce(func.sum(n), 0),
               func.coalesce(func.sum(case((and_(n > 0, 100 * a >= TrainingClass
                                                  .min_attendance_pct * n), 1), else_=0)), 0),
               func.count(t.c.id))
        .select_from(t)
        .join(TrainingClass, TrainingClass.id == t.c.class_id)
        .outerjoin(sessions, sessions.c.class_id == t.c.class_id)
        .outerjoin(attended, attended.c.application_id == t.c.id)
        .where(marked)).one()
    done, due, completed, counted = (int(v) for v in row)
    return {"buoi_du": Figure(done, due), "hoan_thanh": Figure(completed, counted)}


def _moment(day: date, last: bool = False) -> datetime:
    """The first (or past the last) moment of a local day, as the naive UTC stored."""
    return datetime.combine(day + timedelta(days=last), time()) - timedelta(hours=7)


def elearning(scope: Scope) -> dict[str, Figure]:
    """Self-paced course enrolments started in the period and completions in the period."""
    begin, after = _moment(scope.start), _moment(scope.end, last=True)
    query = select(
        func.coalesce(func.sum(case((CourseEnrollment.started_at.between(begin, after), 1),
                                    else_=0)), 0),
        func.coalesce(func.sum(case((CourseEnrollment.completed_at.between(begin, after), 1),
                                    else_=0)), 0))
    if scope.commune_ids is not None:
        query = query.join(Cadre, Cadre.user_id == CourseEnrollment.user_id).where(
            Cadre.commune_id.in_(sorted(scope.commune_ids)))
    started, completed = (int(v) for v in db.session.execute(query).one())
    return {"hoc_truc_tuyen": Figure(started), "hoan_thanh_truc_tuyen": Figure(completed)}


def by_commune(scope: Scope) -> list[tuple[str, int, int]]:
    """Person-times and of them women, per commune (today's communes), most first."""
    t = _trainees(scope)
    rows = db.session.execute(
        select(Unit.name, Unit.category, func.count(t.c.id),
               func.coalesce(func.sum(case((t.c.gender == "F", 1), else_=0)), 0))
        .select_from(t).join(Unit, Unit.id == t.c.commune_id)
        .group_by(Unit.id, Unit.name, Unit.category)
        .order_by(func.count(t.c.id).desc(), Unit.name)).all()
    return [(f"{category.capitalize()} {name}", times, women)
            for name, category, times, women in rows]


def summary(scope: Scope) -> dict[str, Figure]:
    """Every named indicator of the scope (the names a province's form may use)."""
    out = {"so_hoat_dong": Figure(sum(count for _n, count in activities(scope)))}
    out.update(trainees(scope))
    out.update(attendance(scope))
    out.update(elearning(scope))
    return out


def trainees_by_quarter(scope: Scope, quarters) -> list[tuple[str, int, int]]:
    """Person-times and, of them, women for each of `quarters` (periods with start, end and
    label, inside the scope's period: `Period.quarters()`), by the start date of the class:
    one GROUP BY query whatever the number of quarters. Rows: (label, person-times, women)."""
    if not quarters:
        return []
    t = _trainees(scope)
    start = TrainingClass.start_date
    quarter = case(*[(start.between(q.start, q.end), i) for i, q in enumerate(quarters)],
                   else_=None).label("quarter")
    rows = db.session.execute(
        select(quarter, func.count(t.c.id),
               func.coalesce(func.sum(case((t.c.gender == "F", 1), else_=0)), 0))
        .select_from(t).join(TrainingClass, TrainingClass.id == t.c.class_id)
        .group_by(quarter)).all()
    counts = {i: (times, women) for i, times, women in rows if i is not None}
    return [(q.label, *counts.get(i, (0, 0))) for i, q in enumerate(quarters)]
