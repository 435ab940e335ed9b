"""Figures for the coordinator's home page."""

from functools import lru_cache

from sqlalchemy import func, select

from app.extensions import db
from app.people import counts
from app.people.models import Unit


def overview(scope=None) -> dict:
    """Cadre figures for the home page, within `scope` (people/scope.py) when given: read from
    the kept counters (people/counts.py), not counted; one statement, built once per process."""
    scoped = scope is not None and not scope.whole
    row = db.session.execute(_statement(scoped), counts.scope_values(scope)).one()
    cadres, women, leaders = int(row[0]), int(row[1]), int(row[2])
    communes = 1 if scoped else int(row[3])
    return {"cadres": cadres, "women": women, "leaders": leaders, "communes": communes}


@lru_cache(maxsize=2)
def _statement(scoped: bool):
    """The counters' figures (`counts.overview_select`) and, for the whole province, the
    current communes counted in the same statement."""
    query = counts.overview_select(scoped)
    if scoped:
        return query
    unit = Unit.__table__.c
    return query.add_columns(
        select(func.count(unit.id))
        .where(unit.kind == "commune", unit.successor_id.is_(None)).scalar_subquery())
