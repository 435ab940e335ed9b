"""The report's one pass over the trainees and their attendance: a single SQL statement
grouped by class and commune (a few thousand rows at most, whatever the number of marks),
from which the additive figures are summed (`indicators`: person-times and their parts,
attendance, completions, allowances; `units`: by commune through the merger; by quarter; by
class). The marks are read as each learner's summary row (`app/attendance/summary.py`:
counted as they are written), never the marks themselves: 45,000 rows for a district's year,
not 451,000.

The people counted without repeats are not additive over the cells: they are counted by
`people`, over the distinct cadres of the scope's trainees (a hashed semi-join: no sort of
the trainees by person), grouped by commune and village and by whether the record is on file
on a day, so that the coverage (`coverage.py`) reads its trained cadres from the same rows.

Per trainee (an admitted application of the scope's classes):

- ``a``: sessions attended (present or late: `completion.attended`);
- ``n``: the sessions of the class; ``completed``: ``n > 0 and 100·a >= min_pct·n``
  (`completion.meets`);
- ``days``: the dates with a paid mark (the allowance settings' statuses), so
  ``meal = days × daily_rate`` unless on the payroll, and ``travel`` (typed, else the
  commune's unless on the payroll) once ``days > 0`` (`app/attendance/allowance.py`).

A class counts for attendance and completions when its attendance was taken (it has a mark:
a summary row); which classes were taken is read by its own small statement (`_marked`, one
probe of the summaries' class index per class), not evaluated in the grouped statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, and_, case, cast, exists, func, literal, select

from app.attendance import settings as attendance_settings
from app.attendance.completion import attended, meets
from app.attendance.models import AttendanceSummary, TravelAmount, TravelRate
from app.classes.models import ClassSession, TrainingClass
from app.extensions import db
from app.people.models import Cadre, Position
from app.reports.basis import (
    LEVELS,
    POSITION_GROUPS,
    Scope,
    classes_of,
    count_if,
    minority,
    moment,
    position_group,
    trainee_cadre_ids,
    trainees_of,
)

# The additive counts of a cell, in this order.
COUNTS = ("luot", "women", "minority", "leaders",
          *(f"level_{level}" for level in LEVELS), *(f"group_{g}" for g in POSITION_GROUPS),
          "attended", "due", "completed", "meal", "travel")
# The people without repeats (`people`): in all, women, ethnic-minority, grassroots leaders.
PEOPLE = ("people", "people_women", "people_minority", "people_leaders")


@dataclass(frozen=True)
class Cell:
    class_id: int
    code: str
    start_date: date
    commune_id: int
    marked: bool  # the class's attendance was taken
    counts: dict[str, int]


@dataclass(frozen=True)
class People:
    """The distinct trainee cadres of a commune and village (as their records say), on file
    or not on the day `people` was given (active and created by then: the coverage's "on
    record")."""

    commune_id: int
    village_id: int | None
    recorded: bool
    counts: dict[str, int]  # the keys of PEOPLE


def cells(scope: Scope, paid: frozenset[str] | None = None) -> list[Cell]:
    """The trainees of the scope grouped by class and recorded commune (one grouped
    statement, and one for the classes whose attendance was taken)."""
    paid = paid if paid is not None else attendance_settings.current().paid
    t = trainees_of(scope)
    s = AttendanceSummary  # per learner, the marks counted (app/attendance/summary.py)
    # a whole number (PostgreSQL's count is a bigint, whose sum is a slow numeric)
    sessions = (select(ClassSession.class_id,
                       cast(func.count(ClassSession.id), Integer).label("n"))
                .where(ClassSession.class_id.in_(classes_of(scope)))
                .group_by(ClassSession.class_id).subquery("sessions"))
    a, n = func.coalesce(attended(s), 0), func.coalesce(sessions.c.n, 0)
    days = func.coalesce(s.days(paid), 0)
    payroll = t.c.on_payroll.is_(True)
    rate = case((payroll, literal(0)), else_=TrainingClass.daily_rate)
    travel = case((days == 0, literal(0)),
                  (TravelAmount.amount.is_not(None), TravelAmount.amount),
                  (payroll, literal(0)), else_=func.coalesce(TravelRate.amount, 0))
    leaders = count_if(t.c.village_leader.is_(True))
    groups = {g: leaders if g == "lanh_dao_thon" else count_if(position_group(t, g))
              for g in POSITION_GROUPS}  # the leaders' group is the leaders: counted once
    columns = [
        func.count(t.c.id), count_if(t.c.gender == "F"), count_if(minority(t)), leaders,
        *[count_if(t.c.level == level) for level in LEVELS], *groups.values(),
        func.coalesce(func.sum(a), 0), func.coalesce(func.sum(n), 0),
        count_if(meets(a, n, TrainingClass.min_attendance_pct, and_)),
        func.coalesce(func.sum(days * rate), 0), func.coalesce(func.sum(travel), 0)]
    rows = db.session.execute(
        select(TrainingClass.id, TrainingClass.code, TrainingClass.start_date, t.c.commune_id,
               *columns)
        .select_from(t)
        .join(TrainingClass, TrainingClass.id == t.c.class_id)
        .outerjoin(sessions, sessions.c.class_id == t.c.class_id)
        .outerjoin(s, s.application_id == t.c.id)
        .outerjoin(TravelAmount, TravelAmount.application_id == t.c.id)
        .outerjoin(TravelRate, TravelRate.commune_id == t.c.commune_id)
        .group_by(TrainingClass.id, TrainingClass.code, TrainingClass.start_date,
                  t.c.commune_id)).all()
    marked = _marked(scope) if rows else set()
    return [Cell(class_id, code, start, commune, class_id in marked,
                 dict(zip(COUNTS, map(int, values), strict=True)))
            for class_id, code, start, commune, *values in rows]


def _marked(scope: Scope) -> set[int]:
    """The scope's classes whose attendance was taken (a summary row: a learner's mark)."""
    return set(db.session.scalars(
        select(TrainingClass.id).where(
            TrainingClass.id.in_(classes_of(scope)),
            exists().where(AttendanceSummary.class_id == TrainingClass.id))))


def people(scope: Scope, as_of: date) -> list[People]:
    """The scope's trainees counted without repeats (each cadre admitted to one of its
    classes once, whatever the number of their applications), with the women, the
    ethnic-minority people and the grassroots leaders among them, grouped by recorded
    commune and village and by whether the record was on file on `as_of` (one statement)."""
    recorded = and_(Cadre.active.is_(True), Cadre.created_at < moment(as_of, last=True))
    query = (select(Cadre.commune_id, Cadre.village_id, recorded.label("recorded"),
                    func.count(Cadre.id), count_if(Cadre.gender == "F"),
                    count_if(minority(Cadre.__table__)),
                    count_if(Position.village_leader.is_(True)))
             .join(Position, Position.id == Cadre.position_id)
             .where(Cadre.id.in_(trainee_cadre_ids(scope)))
             .group_by(Cadre.commune_id, Cadre.village_id, recorded))
    if scope.commune_ids is not None:
        query = query.where(Cadre.commune_id.in_(sorted(scope.commune_ids)))
    return [People(commune, village, bool(on_file),
                   dict(zip(PEOPLE, map(int, values), strict=True)))
            for commune, village, on_file, *values in db.session.execute(query)]


def totals(rows: list[Cell], *, marked_only: bool = False) -> dict[str, int]:
    """Every count of `COUNTS` summed over the cells, in one pass (column by column)."""
    picked = [cell.counts.values() for cell in rows if cell.marked or not marked_only]
    return dict(zip(COUNTS, (sum(column) for column in zip(*picked)), strict=True)) \
        if picked else dict.fromkeys(COUNTS, 0)


def people_totals(rows: list[People]) -> dict[str, int]:
    """The scope's people (`PEOPLE`), summed over the groups of `people`."""
    return {name: sum(row.counts[name] for row in rows) for name in PEOPLE}
