"""The report's one pass over the trainees and their attendance: a single SQL statement
grouped by class and commune (a few thousand rows at most, whatever the number of marks),
from which the additive figures are summed (`indicators`: person-times and their parts,
attendance, completions, allowances; `units`: by commune through the merger; by quarter; by
class). The people counted without repeats need their own query (`indicators.trainees`).
The marks are read as each learner's summary row (`app/attendance/summary.py`: counted as
they are written), never the marks themselves: 45,000 rows for a district's year, not 451,000.

Per trainee (an admitted application of the scope's classes):

- ``a``: sessions attended (present or late: `completion.attended`);
- ``n``: the sessions of the class; ``completed``: ``n > 0 and 100·a >= min_pct·n``
  (`completion.meets`);
- ``days``: the dates with a paid mark (the allowance settings' statuses), so
  ``meal = days × daily_rate`` unless on the payroll, and ``travel`` (typed, else the
  commune's unless on the payroll) once ``days > 0`` (`app/attendance/allowance.py`).

A class counts for attendance and completions when its attendance was taken (it has a mark:
a summary row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import aliased

from app.attendance import settings as attendance_settings
from app.attendance.completion import attended, meets
from app.attendance.models import AttendanceSummary, TravelAmount, TravelRate
from app.classes.models import ClassSession, TrainingClass
from app.extensions import db
from app.reports.basis import (
    LEVELS,
    POSITION_GROUPS,
    Scope,
    classes_of,
    count_if,
    minority,
    position_group,
    trainees_of,
)

# The people (without repeats) are counted at each person's first application of the scope
# (`trainees_of(first=True)`): summed over all the cells of the scope they are the scope's
# people, women, ethnic-minority people and grassroots leaders; summed over some of the cells
# (a quarter, a commune) they are not that part's people.
PEOPLE = ("people", "people_women", "people_minority", "people_leaders")
# The additive counts of a cell, in this order.
COUNTS = ("luot", "women", "minority", "leaders",
          *(f"level_{level}" for level in LEVELS), *(f"group_{g}" for g in POSITION_GROUPS),
          "attended", "due", "completed", "meal", "travel",
          *PEOPLE)


@dataclass(frozen=True)
class Cell:
    class_id: int
    code: str
    start_date: date
    commune_id: int
    marked: bool  # the class's attendance was taken
    counts: dict[str, int]


def cells(scope: Scope, paid: frozenset[str] | None = None) -> list[Cell]:
    """The trainees of the scope grouped by class and recorded commune (one query)."""
    paid = paid if paid is not None else attendance_settings.current().paid
    t = trainees_of(scope, first=True)
    s = AttendanceSummary  # per learner, the marks counted (app/attendance/summary.py)
    sessions = (select(ClassSession.class_id, func.count(ClassSession.id).label("n"))
                .where(ClassSession.class_id.in_(classes_of(scope)))
                .group_by(ClassSession.class_id).subquery("sessions"))
    a, n = func.coalesce(attended(s), 0), func.coalesce(sessions.c.n, 0)
    days = func.coalesce(s.days(paid), 0)
    payroll = t.c.on_payroll.is_(True)
    rate = case((payroll, literal(0)), else_=TrainingClass.daily_rate)
    travel = case((days == 0, literal(0)),
                  (TravelAmount.amount.is_not(None), TravelAmount.amount),
                  (payroll, literal(0)), else_=func.coalesce(TravelRate.amount, 0))
    any_row = aliased(AttendanceSummary)
    marked = exists().where(any_row.class_id == TrainingClass.id)
    leader = t.c.village_leader.is_(True)
    first = t.c.first == 1
    columns = [
        func.count(t.c.id), count_if(t.c.gender == "F"), count_if(minority(t)),
        count_if(leader), *[count_if(t.c.level == level) for level in LEVELS],
        *[count_if(position_group(t, g)) for g in POSITION_GROUPS],
        func.coalesce(func.sum(a), 0), func.coalesce(func.sum(n), 0),
        count_if(meets(a, n, TrainingClass.min_attendance_pct, and_)),
        func.coalesce(func.sum(days * rate), 0), func.coalesce(func.sum(travel), 0),
        func.coalesce(func.sum(t.c.first), 0), count_if(first & (t.c.gender == "F")),
        count_if(first & minority(t)), count_if(first & leader)]
    rows = db.session.execute(
        select(TrainingClass.id, TrainingClass.code, TrainingClass.start_date, t.c.commune_id,
               marked.label("marked"), *columns)
        .select_from(t)
        .join(TrainingClass, TrainingClass.id == t.c.class_id)
        .outerjoin(sessions, sessions.c.class_id == t.c.class_id)
        .outerjoin(s, s.application_id == t.c.id)
        .outerjoin(TravelAmount, TravelAmount.application_id == t.c.id)
        .outerjoin(TravelRate, TravelRate.commune_id == t.c.commune_id)
        .group_by(TrainingClass.id, TrainingClass.code, TrainingClass.start_date,
                  t.c.commune_id)).all()
    return [Cell(class_id, code, start, commune, bool(is_marked),
                 dict(zip(COUNTS, (int(v) for v in values), strict=True)))
            for class_id, code, start, commune, is_marked, *values in rows]


def totals(rows: list[Cell], *, marked_only: bool = False) -> dict[str, int]:
    """Every count of `COUNTS` summed over the cells, in one pass (column by column)."""
    picked = [cell.counts.values() for cell in rows if cell.marked or not marked_only]
    return dict(zip(COUNTS, (sum(column) for column in zip(*picked)), strict=True)) \
        if picked else dict.fromkeys(COUNTS, 0)
