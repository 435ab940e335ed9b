"""Figures for the coordinator's home page."""

from sqlalchemy import func, select

from app.extensions import db
from app.people import counts
from app.people.models import Unit


def overview(scope=None) -> dict:
    """Cadre figures for the home page, within `scope` (people/scope.py) when given: read from
    the kept counters (people/counts.py), not counted."""
    cadres, women, leaders = counts.overview(scope)
    communes = 1 if scope is not None and not scope.whole else db.session.scalar(
        select(func.count(Unit.id)).where(Unit.kind == "commune", Unit.successor_id.is_(None))
    )
    return {"cadres": cadres, "women": women, "leaders": leaders, "communes": communes}
