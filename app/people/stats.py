"""Figures for the coordinator's home page."""

from sqlalchemy import func, select

from app.extensions import db
from app.people.models import Cadre, Position, Unit
from app.people.scope import WHOLE


def overview(scope=None) -> dict:
    """Cadre figures for the home page, within `scope` (people/scope.py) when given."""
    row = db.session.execute(
        select(
            func.count(Cadre.id),
            func.count(Cadre.id).filter(Cadre.gender == "F"),
            func.count(Cadre.id).filter(Position.village_leader.is_(True)),
        ).join(Position, Cadre.position_id == Position.id).where(
            Cadre.active.is_(True), (scope or WHOLE).cadre_condition())
    ).one()
    communes = 1 if scope is not None and not scope.whole else db.session.scalar(
        select(func.count(Unit.id)).where(Unit.kind == "commune", Unit.successor_id.is_(None))
    )
    return {"cadres": row[0], "women": row[1], "leaders": row[2], "communes": communes}
