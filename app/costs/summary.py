"""Budget, spending and the disbursement rate (tỷ lệ giải ngân) over many classes, by funding
source, program and unit: each one `GROUP BY` over the stored lines (`ClassCost`), never a
Python loop over classes.

Which classes: those starting in the period, not cancelled, of the program if one is chosen,
and, for a unit, the classes that invite only that commune (and the communes merged into it)
or its villages, as a commune coordinator's scope is drawn (`app/classes/access.py`).

A class's unit is the commune it invites (a village counts as its commune); a class inviting
several communes (organised by the province, or the district before 1 July 2025) is counted
under "several communes". The figures are the lines as last saved on each class's costs page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, distinct, exists, func, select

from app.classes.models import TrainingClass, class_units
from app.classes.program_fields import program_condition
from app.costs.lines import disbursement
from app.costs.models import ClassCost
from app.extensions import db
from app.i18n_markers import N_
from app.people.models import Unit
from app.programs.models import FundingSource, Program
from app.vietnamese import text_sort_key

NO_SOURCE = N_("Chưa ghi nguồn kinh phí")
NO_PROGRAM = N_("Chưa ghi chương trình")
SEVERAL_COMMUNES = N_("Nhiều xã (cấp tỉnh, huyện tổ chức)")


@dataclass(frozen=True)
class Filter:
    """The classes a report covers: starting from `start` to `end` (inclusive), optionally of
    one program (and one of its components), optionally of one commune (`commune_ids`: the
    commune and those merged into it)."""

    start: date
    end: date
    program_id: int | None = None
    commune_ids: frozenset[int] | None = None
    component_id: int | None = None


@dataclass(frozen=True)
class Row:
    label: str  # a name, or one of the msgids above (the template translates them)
    budget: int
    spent: int
    classes: int = 0

    @property
    def rate(self) -> Decimal | None:
        return disbursement(self.spent, self.budget)


# The commune of an invited unit: a village's parent, else the unit itself.
_COMMUNE = case((Unit.kind == "village", Unit.parent_id), else_=Unit.id)


def in_communes(commune_ids: frozenset[int]):
    """SQL condition on TrainingClass: it invites at least one unit, and only units of these
    communes (or their villages)."""
    invited = class_units.c.class_id == TrainingClass.id
    outside = (select(class_units.c.class_id).join(Unit, Unit.id == class_units.c.unit_id)
               .where(invited, _COMMUNE.notin_(sorted(commune_ids))))
    return and_(exists().where(invited), ~exists(outside))


def class_condition(f: Filter):
    """The classes of the filter; the program and component as the indicators narrow them
    (`classes.program_fields.program_condition`, the one rule for both)."""
    conditions = [TrainingClass.start_date >= f.start, TrainingClass.start_date <= f.end,
                  ~TrainingClass.is_cancelled, program_condition(f)]
    if f.commune_ids is not None:
        conditions.append(in_communes(f.commune_ids))
    return and_(*conditions)


def _sums():
    return (func.coalesce(func.sum(ClassCost.budget), 0),
            func.coalesce(func.sum(ClassCost.spent), 0),
            func.count(distinct(ClassCost.class_id)))


def totals(f: Filter) -> Row:
    budget, spent, classes = db.session.execute(
        select(*_sums()).join(TrainingClass, TrainingClass.id == ClassCost.class_id)
        .where(class_condition(f))).one()
    return Row("", int(budget), int(spent), classes)


def by_source(f: Filter) -> list[Row]:
    rows = db.session.execute(
        select(FundingSource.name, *_sums())
        .join(TrainingClass, TrainingClass.id == ClassCost.class_id)
        .outerjoin(FundingSource, FundingSource.id == ClassCost.funding_source_id)
        .where(class_condition(f))
        .group_by(FundingSource.id, FundingSource.name, FundingSource.sort_order)
        .order_by(FundingSource.sort_order, FundingSource.name)).all()
    return [Row(name or NO_SOURCE, int(b), int(s), n) for name, b, s, n in rows]


def by_program(f: Filter) -> list[Row]:
    rows = db.session.execute(
        select(Program.short_name, *_sums())
        .join(TrainingClass, TrainingClass.id == ClassCost.class_id)
        .outerjoin(Program, Program.id == TrainingClass.program_id)
        .where(class_condition(f))
        .group_by(Program.id, Program.short_name)
        .order_by(Program.short_name)).all()
    return [Row(name or NO_PROGRAM, int(b), int(s), n) for name, b, s, n in rows]


def by_unit(f: Filter) -> list[Row]:
    """Per commune the classes invite (one commune each), and the classes of several."""
    single = (select(class_units.c.class_id.label("class_id"),
                     func.min(_COMMUNE).label("commune_id"))
              .join(Unit, Unit.id == class_units.c.unit_id)
              .group_by(class_units.c.class_id)
              .having(func.count(distinct(_COMMUNE)) == 1)).subquery()
    commune = Unit.__table__.alias("commune")
    rows = db.session.execute(
        select(commune.c.category, commune.c.name, *_sums())
        .join(TrainingClass, TrainingClass.id == ClassCost.class_id)
        .outerjoin(single, single.c.class_id == ClassCost.class_id)
        .outerjoin(commune, commune.c.id == single.c.commune_id)
        .where(class_condition(f))
        .group_by(commune.c.id, commune.c.category, commune.c.name)).all()
    found = [Row(f"{category[:1].upper()}{category[1:]} {name}" if name else SEVERAL_COMMUNES,
                 int(b), int(s), n) for category, name, b, s, n in rows]
    # the communes in Vietnamese order, the classes of several communes last
    return sorted(found, key=lambda r: (r.label == SEVERAL_COMMUNES, text_sort_key(r.label)))
