"""The costs part of the dashboard (/reports/): budget, spending and the disbursement rate by
funding source, program and unit for the dashboard's period, program and unit, summed in SQL
by `app/costs/summary.py`, with the chart "budget against spending" per unit drawn by
`charts.bars` (the budget light, the spending dark inside it, in millions of đồng)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup

from app.costs import summary
from app.reports import charts

MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class CostsSection:
    total: summary.Row
    by_source: list[summary.Row]
    by_program: list[summary.Row]
    by_unit: list[summary.Row]
    chart: Markup


def _millions(amount: int) -> Decimal:
    return (Decimal(amount) / MILLION).quantize(Decimal("0.1"))


def section(start: date, end: date, program_id: int | None = None,
            commune_ids: frozenset[int] | None = None,
            component_id: int | None = None) -> CostsSection:
    f = summary.Filter(start, end, program_id, commune_ids, component_id)
    by_unit = summary.by_unit(f)
    rows = [(_("Nhiều xã") if r.label == summary.SEVERAL_COMMUNES else r.label,
             _millions(r.budget), _millions(r.spent)) for r in by_unit if r.budget or r.spent]
    chart = charts.bars(rows, title=_("Dự toán và thực hiện theo đơn vị (triệu đồng)"),
                        part_label=_("thực hiện"), total_label=_("triệu đồng dự toán"))
    return CostsSection(summary.totals(f), summary.by_source(f), summary.by_program(f), by_unit,
                        chart)
