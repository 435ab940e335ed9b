"""Reporting by commune through the 2025 reorganisation (Nghị quyết 1677/NQ-UBTVQH15: from
1 July 2025 Sơn Hà's 14 communes are 5). A report whose period crosses that day shows its
figures either

- "then" (đơn vị tại thời điểm tổ chức): each trainee under the commune as it was on the day
  their class started: the commune on the cadre's record, or, if that commune had ended by
  then, its successor valid on that day (the merger lineage `Unit.successor_id`); or
- "today" (quy về đơn vị hiện nay): each trainee under the commune that carries their
  recorded commune today (the end of the lineage).

Both assign every trainee to exactly one commune, so both add up to the same totals (tested as
a property, tests/reports/test_units.py). The counting is SQL (the report's cells, grouped
by recorded commune and class: `cells`); the lineage step is `assign`, pure, over those
few rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.people.models import Unit
from app.reports import cells as cells_
from app.reports.basis import Scope

MODES = ("today", "then")


@dataclass(frozen=True)
class Link:
    """One unit of the lineage: its successor and its last valid day (None: still valid)."""

    successor: int | None
    valid_to: date | None


def assign(unit_id: int, day: date, mode: str, lineage: Mapping[int, Link]) -> int:
    """The commune a trainee recorded under `unit_id` is reported under, for a class that
    started on `day` (pure; a cycle in the lineage stops where it repeats)."""
    seen = {unit_id}
    while (link := lineage.get(unit_id)) is not None and link.successor is not None:
        if mode == "then" and (link.valid_to is None or day <= link.valid_to):
            break
        if link.successor in seen:
            break
        unit_id = link.successor
        seen.add(unit_id)
    return unit_id


def roll(rows: Iterable[tuple[int, date, tuple[int, ...]]], mode: str,
         lineage: Mapping[int, Link]) -> dict[int, tuple[int, ...]]:
    """Sum grouped rows (recorded unit, class start date, counts) per reported unit."""
    out: dict[int, list[int]] = {}
    for unit_id, day, counts in rows:
        target = out.setdefault(assign(unit_id, day, mode, lineage), [0] * len(counts))
        for i, value in enumerate(counts):
            target[i] += value
    return {unit: tuple(values) for unit, values in out.items()}


def lineage() -> dict[int, Link]:
    """Every commune's link (one query; communes are a few hundred rows)."""
    return {uid: Link(successor, valid_to) for uid, successor, valid_to in db.session.execute(
        select(Unit.id, Unit.successor_id, Unit.valid_to).where(Unit.kind == "commune"))}


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    label: str
    luot: int
    women: int
    minority: int
    former: bool  # a commune that no longer exists (ended by the merger)


def trainees_by_unit(scope: Scope, mode: str = "today",
                     rows: list[cells_.Cell] | None = None) -> list[UnitRow]:
    """Person-times, women and ethnic-minority person-times per commune, in `mode`, most
    first (from the report's cells: grouped by recorded commune and class)."""
    rows = cells_.cells(scope) if rows is None else rows
    totals = roll(((c.commune_id, c.start_date, (c.counts["luot"], c.counts["women"],
                                                 c.counts["minority"])) for c in rows),
                  mode, lineage())
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(totals))))}
    rows = [UnitRow(uid, units[uid].title_cap, *counts,
                    former=units[uid].successor_id is not None)
            for uid, counts in totals.items()]
    return sorted(rows, key=lambda r: (-r.luot, r.label))
