"""The period a report covers: a year, a half-year, a quarter or two dates (inclusive).

Plain values in, a `Period` or a `PeriodError` out (messages in the reader's language:
Flask-Babel's gettext falls back to Vietnamese outside a request)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app.core.refusal import Refusal

KINDS = ("year", "half", "quarter", "custom")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(Refusal):
    status = 400


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, inclusive
    label: str  # "Năm 2026", "6 tháng đầu năm 2026", "Quý III/2026", "01/03/2026 - 31/05/2026"

    def quarters(self) -> list[Period]:
        """The calendar quarters that meet the period, each cut to it (for charts by quarter)."""
        out = []
        for year in range(self.start.year, self.end.year + 1):
            for q in range(1, 5):
                first, last = _quarter(year, q)
                if last < self.start or first > self.end:
                    continue
                out.append(Period(max(first, self.start), min(last, self.end),
                                  f"Quý {ROMAN[q]}/{year}"))
        return out


def _quarter(year: int, q: int) -> tuple[date, date]:
    first = date(year, 3 * q - 2, 1)
    last = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def make_period(kind: str, year: int | None, part: int | None = None,
                start: date | None = None, end: date | None = None) -> Period:
    """The period of `kind`: "year" (year), "half" (year, part 1 or 2), "quarter" (year, part
    1-4) or "custom" (start, end)."""
    if kind == "custom":
        if start is None or end is None:
            raise PeriodError(_("Hãy ghi cả ngày bắt đầu và ngày kết thúc của kỳ báo cáo."))
        if end < start:
            raise PeriodError(_("Ngày kết thúc (%(end)s) phải từ ngày bắt đầu (%(start)s) trở "
                                "về sau.", end=f"{end:%d/%m/%Y}", start=f"{start:%d/%m/%Y}"))
        return Period(start, end, f"{start:%d/%m/%Y} - {end:%d/%m/%Y}")
    if kind not in KINDS:
        raise PeriodError(_("Không có loại kỳ báo cáo “%(kind)s”.", kind=kind))
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(_("Năm báo cáo phải từ %(first)s đến %(last)s.", first=FIRST_YEAR,
                            last=LAST_YEAR))
    if kind == "year":
        return Period(date(year, 1, 1), date(year, 12, 31), _("Năm %(y)s", y=year))
    if kind == "half":
        if part not in (1, 2):
            raise PeriodError(_("Hãy chọn 6 tháng đầu năm hoặc 6 tháng cuối năm."))
        if part == 1:
            return Period(date(year, 1, 1), date(year, 6, 30), _("6 tháng đầu năm %(y)s", y=year))
        return Period(date(year, 7, 1), date(year, 12, 31), _("6 tháng cuối năm %(y)s", y=year))
    if part not in (1, 2, 3, 4):
        raise PeriodError(_("Hãy chọn quý I, II, III hoặc IV."))
    first, last = _quarter(year, part)
    return Period(first, last, _("Quý %(q)s/%(y)s", q=ROMAN[part], y=year))
