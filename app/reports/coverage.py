"""Coverage and planning: who on record has been trained, and which grassroots leaders not yet.

- **Coverage** per commune and village: the cadres on record as of a day (records created by
  that day and not deactivated: the record keeps no date of deactivation, so a deactivated
  record counts nowhere), of them those trained at least once in the period (admitted to an
  activity of the period: `indicators.trainees_of`), the share trained, and the share of
  women among those trained. Communes as in `units` (today's, or as they were on the day).
- **Not yet trained on a topic**: the active grassroots leaders (`Position.village_leader`)
  of the scope who are not "trained on" the course by the allocation's own rule
  (`app.attendance.completion.trained_on`, rule 4), in Vietnamese name order: what a
  coordinator needs to plan the next class of that course.

SQL aggregates; plain arguments in, values out (no request, no current user).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, select

from app.attendance.completion import trained_on
from app.classes.models import TrainingClass
from app.classes.status import ENROLLING
from app.extensions import db
from app.people.models import Cadre, Position, Unit
from app.people.queries import ordered
from app.reports import cells as cells_
from app.reports import units as units_
from app.reports.basis import Scope, moment


@dataclass
class Line:
    label: str
    on_record: int = 0
    trained: int = 0  # of those on record
    women_trained: int = 0

    @property
    def share_trained(self) -> float | None:
        return 100 * self.trained / self.on_record if self.on_record else None

    @property
    def share_women(self) -> float | None:
        return 100 * self.women_trained / self.trained if self.trained else None

    def add(self, on_record: int, trained: int, women: int) -> None:
        self.on_record += on_record
        self.trained += trained
        self.women_trained += women


@dataclass
class CommuneLine(Line):
    villages: list[Line] = field(default_factory=list)


def coverage(scope: Scope, as_of: date, mode: str = "today", no_village: str = "",
             people: list[cells_.People] | None = None) -> list[CommuneLine]:
    """Per commune (in `mode`, on `as_of`) and village: on record, trained, women trained.
    `no_village` labels the cadres whose village is not recorded; `people`: the scope's
    `cells.people` on `as_of`, when already read (the report's figures count them too)."""
    recorded = (Cadre.active.is_(True), Cadre.created_at < moment(as_of, last=True))
    within = (() if scope.commune_ids is None
              else (Cadre.commune_id.in_(sorted(scope.commune_ids)),))
    # the cadres on record from the index on (commune, village, active, created) alone; those
    # trained are the scope's people on record that day (`cells.people`: the distinct
    # cadres of the period's admitted applications, filtered by the same unit)
    counts = {(c, v): n for c, v, n in db.session.execute(
        select(Cadre.commune_id, Cadre.village_id, func.count())
        .where(*recorded, *within).group_by(Cadre.commune_id, Cadre.village_id))}
    people = cells_.people(scope, as_of) if people is None else people
    trained = {(p.commune_id, p.village_id): (p.counts["people"], p.counts["people_women"])
               for p in people if p.recorded}
    grouped = [(c, v, n, *trained.get((c, v), (0, 0))) for (c, v), n in counts.items()]
    lineage = units_.lineage()
    ids = {c for c, _v, *_ in grouped} | {v for _c, v, *_ in grouped if v}
    ids |= {units_.assign(c, as_of, mode, lineage) for c, _v, *_ in grouped}
    names = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(sorted(ids))))}
    communes: dict[int, CommuneLine] = {}
    villages: dict[tuple[int, int | None], Line] = {}
    for commune_id, village_id, on_record, n_trained, women in grouped:
        target = units_.assign(commune_id, as_of, mode, lineage)
        line = communes.setdefault(target, CommuneLine(names[target].title_cap))
        line.add(on_record, n_trained, int(women))
        key = (target, village_id)
        if key not in villages:
            villages[key] = Line(names[village_id].title_cap if village_id else no_village)
            line.villages.append(villages[key])
        villages[key].add(on_record, n_trained, int(women))
    for line in communes.values():
        line.villages.sort(key=lambda v: (not v.label or v.label == no_village, v.label))
    return sorted(communes.values(), key=lambda c: c.label)


def untrained_leaders(course_id: int, commune_ids: frozenset[int] | None) -> Select:
    """The active grassroots leaders of the communes (all: None) not yet trained on the
    course, in name order (a query, for paging)."""
    query = (select(Cadre).join(Position, Position.id == Cadre.position_id)
             .where(Cadre.active.is_(True), Position.village_leader.is_(True),
                    Cadre.id.not_in(trained_on([course_id], exclude_class_id=0))))
    if commune_ids is not None:
        query = query.where(Cadre.commune_id.in_(sorted(commune_ids)))
    return ordered(query)


def classes_to_nominate(course_id: int, class_condition) -> list[TrainingClass]:
    """The classes of the course that still take nominations, within the coordinator's
    scope (`class_condition`: `classes.access.scope_condition`), soonest first."""
    return list(db.session.scalars(
        select(TrainingClass).where(TrainingClass.course_id == course_id,
                                    TrainingClass.status.in_(sorted(ENROLLING)),
                                    class_condition)
        .order_by(TrainingClass.start_date, TrainingClass.code)))
