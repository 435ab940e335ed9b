"""Training indicators for a period, a program and a unit: each defined once, here, and
computed in SQL (aggregates over the rows; never a Python loop over all of them).

`REGISTRY` is the one list of named indicators: name → label → the query that computes it
(`Indicator.group`, one of the functions below, each one SQL statement for all its figures).
The dashboard, the exports, a province's own form and the API read it; `LABELS` is its
name → label view.

What is counted (docs/REPORTS.md says it in Vietnamese for the people who send the reports):

- an activity is a class that took place: running or finished, starting in the period (a
  class running across the period's end counts in the period it started), by its activity
  type (programs' data: lớp tập huấn, đoàn học tập - trao đổi kinh nghiệm, hội thảo...);
- a trainee is an admitted application of such a class: counted as person-times (lượt) and as
  distinct people (người);
- women: the cadre's gender; ethnic-minority people: any people but Kinh (code 01), a cadre
  whose people is not recorded is counted with neither; grassroots leaders: a village-level
  leader's position (`Position.village_leader`); level: the cadre's level (village, commune,
  province); position group: grassroots leaders, other village-level positions, commune
  positions, district and province positions (by the position's level);
- attendance rate: sessions attended (present or late, `app.attendance.completion.ATTENDED`)
  over the sessions the trainees were due to attend, in the classes whose attendance was
  taken (a class with no mark at all is left out, not counted as all absent);
- completions: trainees who met their class's minimum attendance, by the rule of
  `app.attendance.completion` (``sessions > 0 and 100·attended >= min_pct·sessions``), out of
  the trainees of the classes whose attendance was taken;
- certificates issued in the period (their date of issue) and revoked in the period (the
  local day of revocation), of the program's classes and the unit's cadres;
- allowances: what the allowance lists of the period's activities pay, by the rules of
  `app.attendance.allowance` (paid days × the class's daily rate for attendees off the
  payroll, travel support typed or by commune), in đồng;
- e-learning: enrolments in the self-paced courses started in the period, and those
  completed in the period (by the cadre linked to the account, for the unit filter).

A unit filter keeps the cadres of a commune (`commune_ids`: the commune and those merged into
it, as the cadres' records name them); a program filter keeps the classes recorded under that
program (and component).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from app.certificates.models import Certificate
from app.classes.models import TrainingClass
from app.courses.models import CourseEnrollment
from app.extensions import db
from app.i18n_markers import N_
from app.people.models import Cadre, Unit
from app.programs.models import ActivityType
from app.reports import cells as cells_
from app.reports.basis import (  # noqa: F401 - the names reports and their readers use
    KINH,
    LEVELS,
    POSITION_GROUPS,
    Figure,
    Scope,
    classes_of,
    count_if,
    minority,
    moment,
    program_filter,
    trainees_of,
)
from app.reports.cells import Cell

# The activity types' stable codes (app/programs/reference.py) that have a named figure; any
# other type is counted in "so_hoat_dong_khac" (and by its name in `activities`).
ACTIVITY_CODES = {"tap-huan-boi-duong": "so_lop_tap_huan",
                  "hoc-tap-trao-doi-kinh-nghiem": "so_doan_hoc_tap",
                  "hoi-thao-hoi-nghi": "so_hoi_thao"}


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    group: str  # the query that computes it (a key of GROUPS)
    money: bool = False  # an amount in đồng, not a count


def _i(name: str, label: str, group: str, money: bool = False) -> Indicator:
    return Indicator(name, label, group, money)


# Every named indicator, in the order reports show them (the names are what a province's own
# form and the API use: never rename one).
REGISTRY: tuple[Indicator, ...] = (
    _i("so_hoat_dong", N_("Số lớp, hoạt động đã tổ chức"), "activities"),
    _i("so_lop_tap_huan", N_("Trong đó: lớp tập huấn, bồi dưỡng"), "activities"),
    _i("so_doan_hoc_tap", N_("Trong đó: đoàn học tập, trao đổi kinh nghiệm"), "activities"),
    _i("so_hoi_thao", N_("Trong đó: hội thảo, hội nghị"), "activities"),
    _i("so_hoat_dong_khac", N_("Trong đó: hoạt động khác, chưa ghi loại"), "activities"),
    _i("luot", N_("Số lượt người được tập huấn"), "trainees"),
    _i("nguoi", N_("Số người được tập huấn (không tính trùng)"), "trainees"),
    _i("luot_nu", N_("Lượt nữ"), "trainees"),
    _i("nguoi_nu", N_("Người là nữ"), "trainees"),
    _i("luot_dtts", N_("Lượt người dân tộc thiểu số"), "trainees"),
    _i("nguoi_dtts", N_("Người dân tộc thiểu số"), "trainees"),
    _i("luot_lanh_dao_co_so", N_("Lượt cán bộ chủ chốt cấp thôn"), "trainees"),
    _i("nguoi_lanh_dao_co_so", N_("Người là cán bộ chủ chốt cấp thôn"), "trainees"),
    _i("luot_nhom_lanh_dao_thon", N_("Lượt theo nhóm chức vụ: chủ chốt cấp thôn"), "trainees"),
    _i("luot_nhom_thon_khac", N_("Lượt theo nhóm chức vụ: khác ở thôn"), "trainees"),
    _i("luot_nhom_xa", N_("Lượt theo nhóm chức vụ: cán bộ, công chức xã"), "trainees"),
    _i("luot_nhom_huyen_tinh", N_("Lượt theo nhóm chức vụ: cấp huyện, tỉnh"), "trainees"),
    _i("luot_cap_village", N_("Lượt cán bộ cấp thôn"), "trainees"),
    _i("luot_cap_commune", N_("Lượt cán bộ cấp xã"), "trainees"),
    _i("luot_cap_province", N_("Lượt cán bộ cấp tỉnh"), "trainees"),
    _i("buoi_du", N_("Số buổi tham dự / số buổi phải dự (lớp đã điểm danh)"), "attendance"),
    _i("hoan_thanh", N_("Số lượt hoàn thành lớp (đủ tỷ lệ tham dự)"), "attendance"),
    _i("gcn_cap", N_("Số giấy chứng nhận đã cấp"), "certificates"),
    _i("gcn_thu_hoi", N_("Số giấy chứng nhận đã thu hồi"), "certificates"),
    _i("tien_ho_tro", N_("Tiền hỗ trợ học viên (đồng)"), "allowances", money=True),
    _i("tien_an", N_("Trong đó: tiền ăn (đồng)"), "allowances", money=True),
    _i("tien_di_lai", N_("Trong đó: hỗ trợ đi lại (đồng)"), "allowances", money=True),
    _i("hoc_truc_tuyen", N_("Lượt đăng ký học trực tuyến"), "elearning"),
    _i("hoan_thanh_truc_tuyen", N_("Lượt hoàn thành khóa học trực tuyến"), "elearning"),
)
LABELS = {i.name: i.label for i in REGISTRY}
BY_NAME = {i.name: i for i in REGISTRY}


def trainees(scope: Scope, rows: list[Cell] | None = None,
             people: list[cells_.People] | None = None) -> dict[str, Figure]:
    """Person-times and people, and of them women, ethnic-minority people, grassroots leaders,
    each position group and each level: the person-times summed from the report's cells, the
    people without repeats from `cells.people` (`people`: its rows, when already read)."""
    rows = cells_.cells(scope) if rows is None else rows
    sums = cells_.people_totals(cells_.people(scope, scope.end) if people is None else people)
    people = sums["people"]
    return times_of(rows) | {
        "nguoi": Figure(people), "nguoi_nu": Figure(sums["people_women"], people),
        "nguoi_dtts": Figure(sums["people_minority"], people),
        "nguoi_lanh_dao_co_so": Figure(sums["people_leaders"], people)}


def times_of(rows: list[Cell]) -> dict[str, Figure]:
    """The person-times of some cells (a quarter's, a commune's) and their parts."""
    sums = cells_.totals(rows)

    def sum_of(name: str) -> int:
        return sums[name]

    times = sum_of("luot")
    out = {"luot": Figure(times), "luot_nu": Figure(sum_of("women"), times),
           "luot_dtts": Figure(sum_of("minority"), times),
           "luot_lanh_dao_co_so": Figure(sum_of("leaders"), times)}
    for level in LEVELS:
        out[f"luot_cap_{level}"] = Figure(sum_of(f"level_{level}"), times)
    for group in POSITION_GROUPS:
        out[f"luot_nhom_{group}"] = Figure(sum_of(f"group_{group}"), times)
    return out


def activities(scope: Scope, kinds: list | None = None) -> list[tuple[str, int]]:
    """Activities by type (lớp tập huấn, đoàn học tập, hội thảo...; "chưa ghi loại" last).
    `kinds`: `activity_rows` of the scope, when already read."""
    kinds = activity_rows(scope) if kinds is None else kinds
    return [(name, count) for _code, name, count in kinds]


def activity_rows(scope: Scope) -> list[tuple[str | None, str, int]]:
    """(type code, type name, activities) per activity type of the scope (one query): what
    `activities` and `activity_figures` show."""
    query = (select(ActivityType.code, ActivityType.name, func.count(TrainingClass.id))
             .select_from(TrainingClass)
             .outerjoin(ActivityType, ActivityType.id == TrainingClass.activity_type_id)
             .where(TrainingClass.id.in_(classes_of(scope)))
             .group_by(ActivityType.code, ActivityType.name))
    if scope.commune_ids is not None:  # the activities that trained someone of the unit
        query = query.where(TrainingClass.id.in_(select(trainees_of(scope).c.class_id)))
    rows = db.session.execute(query).all()
    return sorted(((code, name or "", int(count)) for code, name, count in rows),
                  key=lambda r: (not r[1], r[1]))


def activity_figures(scope: Scope, kinds: list | None = None) -> dict[str, Figure]:
    """The activities in all and of each named type (`ACTIVITY_CODES`), with the total as
    denominator. `kinds`: `activity_rows` of the scope, when already read."""
    rows = activity_rows(scope) if kinds is None else kinds
    total = sum(count for _c, _n, count in rows)
    named = dict.fromkeys(ACTIVITY_CODES.values(), 0)
    other = 0
    for code, _name, count in rows:
        if code in ACTIVITY_CODES:
            named[ACTIVITY_CODES[code]] += count
        else:
            other += count
    out = {"so_hoat_dong": Figure(total), "so_hoat_dong_khac": Figure(other, total)}
    out.update({name: Figure(value, total) for name, value in named.items()})
    return out


def attendance(scope: Scope, rows: list[Cell] | None = None) -> dict[str, Figure]:
    """The attendance rate and the completions, over the classes whose attendance was taken."""
    rows = cells_.cells(scope) if rows is None else rows

    sums = cells_.totals(rows, marked_only=True)

    def marked(name: str) -> int:
        return sums[name]

    return {"buoi_du": Figure(marked("attended"), marked("due")),
            "hoan_thanh": Figure(marked("completed"), marked("luot"))}


def attendance_by_class(scope: Scope, rows: list[Cell] | None = None
                        ) -> list[tuple[str, int, int]]:
    """(class code, sessions attended, sessions due) per class whose attendance was taken,
    in class code order: the dashboard's "attendance by class"."""
    rows = cells_.cells(scope) if rows is None else rows
    by_class: dict[str, list[int]] = {}
    for cell in rows:
        if cell.marked:
            sums = by_class.setdefault(cell.code, [0, 0])
            sums[0] += cell.counts["attended"]
            sums[1] += cell.counts["due"]
    return [(code, a, n) for code, (a, n) in sorted(by_class.items())]


def certificates(scope: Scope) -> dict[str, Figure]:
    """Certificates issued in the period (date of issue) and revoked in it, of the program's
    classes (whenever they started) and the unit's cadres: one query."""
    begin, after = moment(scope.start), moment(scope.end, last=True)
    query = select(
        count_if(Certificate.issued_on.between(scope.start, scope.end)),
        count_if(and_(Certificate.revoked_at >= begin, Certificate.revoked_at < after)))
    if scope.program_id is not None or scope.component_id is not None:
        query = program_filter(query.join(TrainingClass,
                                           TrainingClass.id == Certificate.class_id), scope)
    if scope.commune_ids is not None:
        query = query.join(Cadre, Cadre.id == Certificate.cadre_id).where(
            Cadre.commune_id.in_(sorted(scope.commune_ids)))
    issued, revoked = (int(v) for v in db.session.execute(query).one())
    return {"gcn_cap": Figure(issued), "gcn_thu_hoi": Figure(revoked)}


def allowances(scope: Scope, paid: frozenset[str] | None = None,
               rows: list[Cell] | None = None) -> dict[str, Figure]:
    """What the allowance lists of the scope's activities pay (app/attendance/allowance.py,
    rules 1-3; summed from the report's cells, `cells`). `paid`: the marks that count as a
    paid day (the attendance settings' by default)."""
    rows = cells_.cells(scope, paid) if rows is None else rows
    sums = cells_.totals(rows)
    meal, trip = sums["meal"], sums["travel"]
    return {"tien_ho_tro": Figure(meal + trip), "tien_an": Figure(meal, meal + trip),
            "tien_di_lai": Figure(trip, meal + trip)}


def elearning(scope: Scope) -> dict[str, Figure]:
    """Self-paced course enrolments started in the period and completions in the period."""
    begin, after = moment(scope.start), moment(scope.end, last=True)
    query = select(
        count_if(and_(CourseEnrollment.started_at >= begin, CourseEnrollment.started_at < after)),
        count_if(and_(CourseEnrollment.completed_at >= begin,
                       CourseEnrollment.completed_at < after)))
    if scope.commune_ids is not None:
        query = query.join(Cadre, Cadre.user_id == CourseEnrollment.user_id).where(
            Cadre.commune_id.in_(sorted(scope.commune_ids)))
    started, completed = (int(v) for v in db.session.execute(query).one())
    return {"hoc_truc_tuyen": Figure(started), "hoan_thanh_truc_tuyen": Figure(completed)}


GROUPS: dict[str, Callable[..., dict[str, Figure]]] = {
    "activities": activity_figures, "trainees": trainees, "attendance": attendance,
    "certificates": certificates, "allowances": allowances, "elearning": elearning,
}
FROM_CELLS = frozenset({"trainees", "attendance", "allowances"})


def summary(scope: Scope, names: list[str] | None = None,
            rows: list[Cell] | None = None, kinds: list | None = None,
            people: list[cells_.People] | None = None) -> dict[str, Figure]:
    """The named indicators of the scope (all by default), in the registry's order: each
    group's query runs once, the report's cells (`cells`) at most once; `rows`, `kinds`
    (`activity_rows`) and `people` (`cells.people`) when the caller has read them already."""
    wanted = [BY_NAME[n] for n in names] if names is not None else list(REGISTRY)
    groups = list(dict.fromkeys(i.group for i in wanted))
    if rows is None and FROM_CELLS & set(groups):
        rows = cells_.cells(scope)
    computed: dict[str, Figure] = {}
    for group in groups:
        if group == "trainees":
            computed.update(trainees(scope, rows=rows, people=people))
        elif group in FROM_CELLS:
            computed.update(GROUPS[group](scope, rows=rows))
        elif group == "activities":
            computed.update(activity_figures(scope, kinds))
        else:
            computed.update(GROUPS[group](scope))
    return {i.name: computed[i.name] for i in wanted}


def by_commune(scope: Scope) -> list[tuple[str, int, int]]:
    """Person-times and of them women, per commune as recorded on the cadres, most first."""
    t = trainees_of(scope)
    rows = db.session.execute(
        select(Unit.name, Unit.category, func.count(t.c.id),
               func.coalesce(func.sum(case((t.c.gender == "F", 1), else_=0)), 0))
        .select_from(t).join(Unit, Unit.id == t.c.commune_id)
        .group_by(Unit.id, Unit.name, Unit.category)
        .order_by(func.count(t.c.id).desc(), Unit.name)).all()
    return [(f"{category.capitalize()} {name}", times, women)
            for name, category, times, women in rows]
