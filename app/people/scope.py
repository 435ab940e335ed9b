"""A coordinator's scope: the one place that says whose cadres and classes they see.

- An admin, and a coordinator with no unit or a provincial (or, before 1/7/2025, district)
  unit: the whole province, everything.
- A coordinator of a commune: the cadres recorded under that commune or any commune merged
  into it (history rolls up, as `queries.commune_family_ids`), and the classes that invite
  only that commune or its villages (`classes.access.in_scope`): since 1/7/2025 a commune
  convenes its own villages, a class for several communes is organised by the province.
- A former commune given as the unit stands for the commune that carries it today.

The admin sets the unit on the account form (`admin`, through `unit_choices`). Features
take the `Scope` as an argument; `scope_of(user)` computes it once per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import select, true

from app.extensions import db
from app.people.models import Cadre, Unit
from app.people.queries import commune_family_ids
from app.vietnamese import text_sort_key


@dataclass(frozen=True)
class Scope:
    """`commune` None: the whole province. Otherwise the commune (today's) and the ids of
    its family (`commune_ids`) and of the family's villages (`unit_ids`, communes too)."""

    commune: Unit | None = None
    commune_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()

    @property
    def whole(self) -> bool:
        return self.commune is None

    def covers_commune(self, commune_id: int | None) -> bool:
        return self.whole or commune_id in self.commune_ids

    def covers_cadre(self, cadre: Cadre) -> bool:
        return self.covers_commune(cadre.commune_id)

    def covers_class(self, klass) -> bool:
        """Every unit the class invites is in scope, and it invites one at least. The whole
        province covers every class: its invited units are not read (a statement saved on
        every class route of a province's coordinator)."""
        if self.whole:
            return True
        ids = {unit.id for unit in klass.invited_units}
        return bool(ids) and ids <= self.unit_ids

    def cadre_condition(self):
        """SQL condition on Cadre for the cadre lists, export and nominating."""
        return true() if self.whole else cadres_within(sorted(self.commune_ids))


def cadres_within(commune_ids):
    """The cadres recorded under these communes (a scope's family): a list of ids, or an
    expanding parameter of a statement built once (people/queries.py)."""
    return Cadre.__table__.c.commune_id.in_(commune_ids)


WHOLE = Scope()


def scope_for_unit(unit: Unit | None) -> Scope:
    if unit is None or unit.kind not in ("commune", "village"):
        return WHOLE
    if unit.kind == "village":
        unit = unit.parent
    commune = unit.current()
    communes = frozenset(commune_family_ids(commune.id))
    villages = db.session.scalars(select(Unit.id).where(Unit.kind == "village",
                                                        Unit.parent_id.in_(communes)))
    return Scope(commune, communes, communes | frozenset(villages))


def scope_of(user) -> Scope:
    """The user's scope (computed once per request). Only coordinators are limited: admins
    and everyone else get the whole province (their routes and object checks say the rest)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return WHOLE
    if user.has_role("admin") or not user.has_role("coordinator") or user.unit_id is None:
        return WHOLE
    cache = g.setdefault("_scopes", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = scope_for_unit(db.session.get(Unit, user.unit_id))
    return cache[user.id]


def unit_choices() -> list[tuple[int | str, str]]:
    """The units an account may work for: none (the whole province), the provinces, the
    communes valid today."""
    units = db.session.scalars(select(Unit).where(
        Unit.kind.in_(("province", "commune")), Unit.successor_id.is_(None))).all()
    provinces = [u for u in units if u.kind == "province"]
    communes = [u for u in units if u.kind == "commune" and u.is_current]
    return ([(u.id, u.title_cap) for u in sorted(provinces, key=lambda u: text_sort_key(u.name))]
            + [(u.id, u.title_cap) for u in sorted(communes, key=lambda u: text_sort_key(u.name))])
