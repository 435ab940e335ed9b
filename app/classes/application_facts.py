"""A class's applications with their cadres' facts as plain values, read in one statement, for
the applications page and its allocation preview (`enrolment.class_applications`).

Building 600 applications and their cadres as ORM objects (identity map, instrumented
attributes, joined positions and units per row) cost about 35 ms of CPU, and the preview read
their attributes through the instrumentation some 18,000 times more: here the rows are plain
slotted objects (about 6 ms), their units the few ORM rows they name, the positions plain
objects too (a SQLAlchemy row read by name costs a microsecond an attribute). They read like
the models (`a.cadre.commune.title`, `a.status_label`): the labels and derived facts are
the models' own properties, not copies. Nothing here is written back: a change (confirming,
overriding, withdrawing) reads the applications it changes as ORM objects under the class's
lock (`enrolment._applications`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select

from app.classes.models import Application
from app.extensions import db
from app.people.models import Cadre, Position, Unit


@dataclass(slots=True, eq=False)
class PositionFacts:
    id: int
    code: str
    name: str
    level: str
    village_leader: bool


@dataclass(slots=True, eq=False)
class CadreFacts:
    id: int
    full_name: str
    sort_key: str
    gender: str
    birth_date: date | None
    birth_year: int
    ethnicity_code: str | None
    active: bool
    commune_id: int
    village_id: int | None
    position: PositionFacts
    commune: Unit
    village: Unit | None

    gender_label = Cadre.gender_label
    birth_text = Cadre.birth_text
    ethnicity_name = Cadre.ethnicity_name
    is_village_leader = Cadre.is_village_leader


@dataclass(slots=True, eq=False)
class ApplicationFacts:
    id: int
    class_id: int
    cadre_id: int
    status: str
    waitlist_rank: int | None
    source: str
    applied_at: datetime
    decided_at: datetime | None
    score: float | None
    reasons: list | None
    note: str | None
    cadre: CadreFacts

    status_label = Application.status_label
    status_badge = Application.status_badge
    is_active = Application.is_active
    source_label = Application.source_label


_APPLICATION = (Application.id, Application.class_id, Application.cadre_id, Application.status,
                Application.waitlist_rank, Application.source, Application.applied_at,
                Application.decided_at, Application.score, Application.reasons,
                Application.note)
_CADRE = (Cadre.full_name, Cadre.sort_key, Cadre.gender, Cadre.birth_date, Cadre.birth_year,
          Cadre.ethnicity_code, Cadre.active, Cadre.commune_id, Cadre.village_id,
          Cadre.position_id)
_POSITION = (Position.code, Position.name, Position.level, Position.village_leader)
_COMMUNE, _VILLAGE = (len(_APPLICATION) + [c.key for c in _CADRE].index(key)  # in a row
                      for key in ("commune_id", "village_id"))
# made once: the class is a parameter
_ROWS = (select(*_APPLICATION, *_CADRE, *_POSITION)
         .join(Cadre, Cadre.id == Application.cadre_id)
         .join(Position, Position.id == Cadre.position_id)
         .where(Application.class_id == bindparam("class_id"))
         .order_by(Application.id))
_UNITS = select(Unit).where(Unit.id.in_(bindparam("ids", expanding=True)))


def of_class(class_id: int) -> list[ApplicationFacts]:
    """Every application of the class with its cadre's facts and position, in the order of
    their ids: one statement for the rows, one for the units they name."""
    # on the session's connection, as Core: the ORM's result made each row again in Python.
    # Flushed first, as the session's own execute does: what this request changed is read.
    db.session.flush()
    rows = db.session.connection().execute(_ROWS, {"class_id": class_id}).all()
    # unpacked, not read by name: a row's attribute by name goes through SQLAlchemy's
    # `Row.__getattr__` (about 1 µs each: 21 of them for 600 rows were 13 ms a request)
    unit_ids = {r[_COMMUNE] for r in rows} | {r[_VILLAGE] for r in rows if r[_VILLAGE]}
    units = {u.id: u for u in db.session.scalars(_UNITS, {"ids": sorted(unit_ids)})} \
        if unit_ids else {}
    positions: dict[int, PositionFacts] = {}
    out = []
    for (id_, class_id_, cadre_id, status, rank, source, applied_at, decided_at, score, reasons,
         note, full_name, sort_key, gender, birth_date, birth_year, ethnicity_code, active,
         commune_id, village_id, position_id, code, name, level, leader) in rows:
        position = positions.get(position_id)
        if position is None:
            position = positions[position_id] = PositionFacts(position_id, code, name, level,
                                                              leader)
        # a class has one application per cadre (`class_cadre`): a cadre's facts, once
        cadre = CadreFacts(cadre_id, full_name, sort_key, gender, birth_date, birth_year,
                           ethnicity_code, active, commune_id, village_id, position,
                           units[commune_id], units.get(village_id) if village_id else None)
        out.append(ApplicationFacts(id_, class_id_, cadre_id, status, rank, source, applied_at,
                                    decided_at, score, reasons, note, cadre))
    return out
