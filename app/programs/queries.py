"""Read-only queries: the lists page, the choices a class is offered, the entry in force on a
class's dates, and the uses of a program inside this feature (its components and plans)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.programs.models import (
    CHOICE_MODELS,
    ActivityType,
    Component,
    FundingSource,
    Plan,
    Program,
)
from app.programs.usage import Use, uses
from app.timeutil import local_today


def _ordered(model):
    if model is Program:
        return (Program.valid_from.desc(), Program.short_name)
    if model is Component:
        return (Program.valid_from.desc(), Component.code)
    if model is Plan:
        return (Plan.issued_on.desc(), Plan.number)
    return (model.sort_order, model.name)


def covering(model, start: date, end: date):
    """The SQL condition "valid on every day from start to end"."""
    return (or_(model.valid_from.is_(None), model.valid_from <= start)
            & or_(model.valid_to.is_(None), model.valid_to >= end))


def _offered(model, start: date | None, end: date | None):
    """Active entries valid on the class's dates; without dates, those not ended by today."""
    query = select(model).where(model.active.is_(True))
    if model is Component:
        query = query.join(Program, Component.program_id == Program.id) \
            .where(Program.active.is_(True))
    if start and end:
        query = query.where(covering(model, start, end))
        if model is Component:
            query = query.where(covering(Program, start, end))
    else:
        today = local_today()
        query = query.where(or_(model.valid_to.is_(None), model.valid_to >= today))
        if model is Component:
            query = query.where(or_(Program.valid_to.is_(None), Program.valid_to >= today))
    return query.order_by(*_ordered(model))


def choices(start: date | None, end: date | None,
            chosen: Mapping[str, int | None]) -> dict[str, list[tuple[int, str]]]:
    """What the class form offers in each field: the entries valid on the class's dates (or,
    before the dates are known, not yet ended), and the entry chosen even when it is not (so
    it stays shown with its error)."""
    offered: dict[str, list[tuple[int, str]]] = {}
    for name, model in CHOICE_MODELS.items():
        entries = list(db.session.scalars(_offered(model, start, end)).unique())
        ids = {e.id for e in entries}
        wanted = chosen.get(name)
        if wanted and wanted not in ids and (extra := db.session.get(model, wanted)):
            entries.append(extra)
        offered[name] = [(e.id, e.choice_label) for e in entries]
    return offered


def in_force(model, start: date, end: date) -> list:
    """The active entries of `model` valid on every day from `start` to `end`."""
    return list(db.session.scalars(_offered(model, start, end)).unique())


def the_one_in_force(model, start: date, end: date):
    """The entry in force on those dates when there is exactly one, else None."""
    found = in_force(model, start, end)
    return found[0] if len(found) == 1 else None


@dataclass
class Lists:
    """Everything the lists page shows, with the uses of each entry."""

    programs: list[Program]
    activity_types: list[ActivityType]
    funding_sources: list[FundingSource]
    plans: list[Plan]
    used: dict[tuple[type, int], list[Use]] = field(default_factory=dict)

    def uses_of(self, entry) -> list[Use]:
        return self.used.get((type(entry), entry.id), [])


def lists() -> Lists:
    """A constant number of queries, whatever the number of entries."""
    programs = list(db.session.scalars(
        select(Program).options(selectinload(Program.components))
        .order_by(*_ordered(Program))))
    found = Lists(
        programs=programs,
        activity_types=list(db.session.scalars(select(ActivityType)
                                               .order_by(*_ordered(ActivityType)))),
        funding_sources=list(db.session.scalars(select(FundingSource)
                                                .order_by(*_ordered(FundingSource)))),
        plans=list(db.session.scalars(select(Plan).order_by(*_ordered(Plan))).unique()))
    groups: list[tuple[type, Sequence]] = [
        (Program, programs), (Component, [c for p in programs for c in p.components]),
        (ActivityType, found.activity_types), (FundingSource, found.funding_sources),
        (Plan, found.plans)]
    for model, entries in groups:
        for entry_id, entry_uses in uses(model, [e.id for e in entries]).items():
            found.used[(model, entry_id)] = entry_uses
    return found


def program_parts(model: type, ids: Sequence[int]) -> Iterable[Use]:
    """The uses of programs inside this feature: their components and plans, with the dates
    each must stay within (a usage finder, registered by init_app)."""
    if model is not Program:
        return []
    parts = [Use(c.program_id, _("hợp phần %(code)s", code=c.code), c.valid_from, c.valid_to)
             for c in db.session.scalars(select(Component).where(Component.program_id.in_(ids)))
             .unique()]
    parts += [Use(p.program_id, _("kế hoạch %(name)s", name=p.label), p.valid_from, p.valid_to)
              for p in db.session.scalars(select(Plan).where(Plan.program_id.in_(ids))).unique()]
    return parts
