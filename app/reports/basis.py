"""What every report counts over: the `Scope` (period, program, commune), a `Figure` (a count and
what it is a share of), the period's activities (`classes_of`) and their trainees
(`trainees_of`, the subquery every trainee figure counts over). The rules are stated in
`app/reports/indicators.py`, where the named indicators are defined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select

from app.classes.models import Application, TrainingClass
from app.classes.program_fields import program_condition
from app.people.models import Cadre, Position

KINH = "01"
LEVELS = ("village", "commune", "province")
# Position groups, by the position's level and leader flag (`position_group`).
POSITION_GROUPS = ("lanh_dao_thon", "thon_khac", "xa", "huyen_tinh")


@dataclass(frozen=True)
class Scope:
    """What a report covers: the period (inclusive dates), optionally a program (and one of
    its components) and a commune (the ids of the commune and of those merged into it)."""

    start: date
    end: date
    program_id: int | None = None
    component_id: int | None = None
    commune_ids: frozenset[int] | None = None

    def narrowed(self, start: date, end: date) -> Scope:
        """The same filters over another period (a quarter of it)."""
        return Scope(start, end, self.program_id, self.component_id, self.commune_ids)


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


def count_if(condition):
    """The rows that meet `condition` (``count(*) FILTER (WHERE ...)``: cheaper than summing a
    CASE, on PostgreSQL and SQLite alike; 0 over no rows)."""
    return func.count().filter(condition)


def program_filter(query, scope: Scope):
    return query.where(program_condition(scope))


def classes_of(scope: Scope):
    """The activities of the scope: classes that took place, starting in the period."""
    return program_filter(select(TrainingClass.id).where(
        TrainingClass.has_started,
        TrainingClass.start_date.between(scope.start, scope.end)), scope)


def admitted_to(scope: Scope):
    """The condition on an application: admitted to one of the scope's classes."""
    return and_(Application.status == "admitted", Application.class_id.in_(classes_of(scope)))


def trainee_cadre_ids(scope: Scope):
    """The cadres of `trainees_of` (its ``cadre_id`` column) read from the applications alone,
    for a caller that filters the cadres by the unit itself: every cadre has a position (a
    required key), so `trainees_of`'s join to the positions drops nobody."""
    return select(Application.cadre_id).where(admitted_to(scope))


def trainees_of(scope: Scope):
    """The admitted applications of the scope's classes, with their cadres (and the unit
    filter): the subquery every trainee figure counts over."""
    query = (select(Application.id, Application.class_id, Application.cadre_id,
                    Cadre.gender, Cadre.ethnicity_code, Cadre.level, Cadre.commune_id,
                    Cadre.village_id, Cadre.on_payroll, Position.village_leader,
                    Position.level.label("position_level"))
             .join(Cadre, Cadre.id == Application.cadre_id)
             .join(Position, Position.id == Cadre.position_id)
             .where(admitted_to(scope)))
    if scope.commune_ids is not None:
        query = query.where(Cadre.commune_id.in_(sorted(scope.commune_ids)))
    return query.subquery("trainees")


def minority(t):
    """Ethnic minority: a recorded people other than Kinh."""
    return and_(t.c.ethnicity_code.is_not(None), t.c.ethnicity_code != KINH)


def position_group(t, group: str):
    leader = t.c.village_leader.is_(True)
    return {"lanh_dao_thon": leader,
            "thon_khac": and_(t.c.position_level == "village", ~leader),
            "xa": t.c.position_level == "commune",
            "huyen_tinh": t.c.position_level.in_(("district", "province"))}[group]


def moment(day: date, last: bool = False) -> datetime:
    """The first (or past the last) moment of a local day, as the naive UTC stored."""
    return datetime.combine(day + timedelta(days=last), time()) - timedelta(hours=7)
