"""The report's tables, built once from the indicators and shared by the .xlsx (one sheet per
table) and the official PDF. Values stay typed: integers, `Share` (a fraction shown as a
percentage), amounts (`Money`), text; each export formats them its own way.

The papers are in Vietnamese whatever the reader's language (as every paper of the app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.xlsx import Money
from app.reports import cells, indicators, units
from app.reports import coverage as coverage_
from app.reports.indicators import Figure, Scope
from app.reports.period import Period


@dataclass(frozen=True)
class Share:
    """value / of, shown as a percentage (blank when `of` is 0)."""

    value: int
    of: int

    @property
    def fraction(self) -> float | None:
        return self.value / self.of if self.of else None


@dataclass(frozen=True)
class Table:
    sheet: str  # the worksheet's name (at most 31 characters)
    title: str
    header: tuple[str, ...]
    rows: list[tuple]
    widths: tuple[float, ...]  # relative widths (xlsx characters)


@dataclass(frozen=True)
class Report:
    period: Period
    scope: Scope
    mode: str
    figures: dict[str, Figure]
    tables: list[Table]
    activities: list[tuple[str, int]]  # activities by type (the dashboard's list)


MODE_TITLES = {"today": "quy về xã hiện nay", "then": "theo đơn vị tại thời điểm tổ chức"}


def _figure_rows(figures: dict[str, Figure]) -> list[tuple]:
    rows = []
    for number, indicator in enumerate(indicators.REGISTRY, start=1):
        f = figures[indicator.name]
        value = Money(f.value) if indicator.money else f.value
        rows.append((number, indicator.label, value, f.of,
                     Share(f.value, f.of) if f.of is not None else None))
    return rows


def build(period: Period, scope: Scope, mode: str = "today", *,
          with_coverage: bool = True) -> Report:
    """Every table of the report (a constant number of queries, whatever the data); the
    dashboard leaves out the coverage table (its own page shows it)."""
    rows = cells.cells(scope)
    # the people without repeats, by commune and village: the figures and the coverage
    people = cells.people(scope, period.end)
    kinds = indicators.activity_rows(scope)  # read once: the figures and the table
    activities = indicators.activities(scope, kinds)
    figures = indicators.summary(scope, rows=rows, kinds=kinds, people=people)
    tables = [Table("Chỉ tiêu", "Các chỉ tiêu", ("STT", "Chỉ tiêu", "Số", "Trên tổng",
                                                  "Tỷ lệ"),
                    _figure_rows(figures), (6, 52, 14, 12, 10))]
    tables.append(Table("Loại hoạt động", "Số lớp, hoạt động theo loại",
                        ("Loại hoạt động", "Số lớp, hoạt động"),
                        [(name or "Chưa ghi loại hoạt động", count)
                         for name, count in activities], (50, 18)))
    tables.append(Table(
        "Theo xã", f"Lượt người được tập huấn theo xã ({MODE_TITLES[mode]})",
        ("Xã", "Lượt", "Nữ", "Tỷ lệ nữ", "Dân tộc thiểu số", "Tỷ lệ DTTS"),
        [(r.label + (" (trước sáp nhập)" if r.former else ""), r.luot, r.women,
          Share(r.women, r.luot), r.minority, Share(r.minority, r.luot))
         for r in units.trainees_by_unit(scope, mode, rows)], (32, 10, 10, 10, 14, 10)))
    quarters = []
    for q in period.quarters():
        f = indicators.times_of([c for c in rows if q.start <= c.start_date <= q.end])
        quarters.append((q.label, f["luot"].value, f["luot_nu"].value,
                         Share(f["luot_nu"].value, f["luot"].value), f["luot_dtts"].value,
                         Share(f["luot_dtts"].value, f["luot"].value)))
    tables.append(Table("Theo quý", "Lượt người, tỷ lệ nữ và dân tộc thiểu số theo quý",
                        ("Quý", "Lượt", "Nữ", "Tỷ lệ nữ", "Dân tộc thiểu số", "Tỷ lệ DTTS"),
                        quarters, (12, 10, 10, 10, 14, 10)))
    tables.append(Table("Điểm danh theo lớp", "Tỷ lệ tham dự theo lớp (lớp đã điểm danh)",
                        ("Mã lớp", "Số buổi tham dự", "Số buổi phải dự", "Tỷ lệ tham dự"),
                        [(code, a, n, Share(a, n))
                         for code, a, n in indicators.attendance_by_class(scope, rows)],
                        (20, 16, 16, 14)))
    if with_coverage:
        tables.append(coverage_table(scope, period.end, mode, people))
    return Report(period, scope, mode, figures, tables, activities)


def coverage_table(scope: Scope, as_of: date, mode: str,
                   people: list[cells.People] | None = None) -> Table:
    """The coverage on `as_of` (`people`: `cells.people` of the scope on that day, when read)."""
    rows = []
    for commune in coverage_.coverage(scope, as_of, mode, no_village="(chưa ghi thôn)",
                                      people=people):
        rows.append(_coverage_row(commune.label, commune))
        rows += [_coverage_row(f"   {v.label}", v) for v in commune.villages]
    return Table("Độ bao phủ", f"Độ bao phủ theo xã, thôn (cán bộ theo dõi đến ngày "
                 f"{as_of:%d/%m/%Y})",
                 ("Xã, thôn", "Cán bộ đang theo dõi", "Đã tập huấn trong kỳ",
                  "Tỷ lệ đã tập huấn", "Nữ trong số đã tập huấn", "Tỷ lệ nữ"),
                 rows, (32, 14, 14, 12, 14, 10))


def _coverage_row(label: str, line: coverage_.Line) -> tuple:
    return (label, line.on_record, line.trained, Share(line.trained, line.on_record),
            line.women_trained, Share(line.women_trained, line.trained))
