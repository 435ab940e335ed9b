"""Every .xlsx the app writes is made here (issue 14), so that an office can use and print it:

- numbers are stored as numbers (birth years, counts, money), dates as dates shown
  dd/mm/yyyy, text as text: never a formula, whatever it starts with ("=", "+", "@"), and
  without the control characters a worksheet cannot hold;
- a printed sheet is A4, fits one page wide (as many pages down as it needs) and repeats its
  header row on every page; the screen keeps the header row in view (frozen panes).

Works for write-only books (long lists, streamed) and ordinary ones (merged heading cells):
cells are made with `cell()`, rows appended with `append()`, the sheet finished with
`print_setup()`, the book turned into bytes by `to_bytes()`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from copy import copy
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

DATE_FORMAT = "dd/mm/yyyy"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
MONEY_FORMAT = "#,##0"
TEXT_FORMAT = "@"
PAPER_A4 = "9"  # the paper size code of A4 in a worksheet's page setup
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


class Money(Decimal):
    """An amount of đồng: a number shown with thousands grouped ("1.200.000" in Excel set
    to Vietnamese)."""


def book(*, write_only: bool = False) -> Workbook:
    """A new workbook; an ordinary one has its first sheet ready (`.active`)."""
    return Workbook(write_only=write_only)


def cell(sheet, value, *, font: Font | None = None, fill: PatternFill | None = None,
         alignment: Alignment | None = None, border=None, text: bool = False):
    """One typed cell for `sheet` (write-only or not). `text` keeps a number-like string
    ("0905…", "05/03/1980") as text."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value == "":
            value = None
    made = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        made.data_type = "s"  # never a formula
        number_format = TEXT_FORMAT
    elif isinstance(value, datetime):
        number_format = MOMENT_FORMAT
    elif isinstance(value, date):
        number_format = DATE_FORMAT
    elif isinstance(value, Money):
        number_format = MONEY_FORMAT
    elif text and value is not None:
        number_format = TEXT_FORMAT
    else:
        number_format = None
    made._style = _style(sheet, number_format, font, fill, alignment, border)
    return made


def _style(sheet, number_format, font, fill, alignment, border) -> StyleArray:
    """A cell's style (indexes into the workbook's fonts, fills... lists) for this set of style
    objects, found once per workbook and copied after: openpyxl finds each style object in
    its list by hashing it, which cost half of a report's workbook when done per cell. The
    objects are keyed by identity (the callers pass shared constants) and kept alive by the
    cache, so an id is never reused while it is a key."""
    book = sheet.parent
    cache = book.__dict__.setdefault("_taphuan_styles", {})
    key = (number_format, id(font), id(fill), id(alignment), id(border))
    found = cache.get(key)
    if found is None:
        probe = Cell(sheet, row=1, column=1)
        if number_format is not None:
            probe.number_format = number_format
        for name, value in (("font", font), ("fill", fill), ("alignment", alignment),
                            ("border", border)):
            if value is not None:
                setattr(probe, name, value)
        found = cache[key] = (probe._style, font, fill, alignment, border)
    return copy(found[0])


def append(sheet, values: Iterable, *, text_columns: Iterable[int] = (), **style) -> None:
    """A row of typed cells (see `cell`); values already made into cells are kept as they are.
    `text_columns` (0-based) keep their strings as text when typed again in Excel."""
    texts = set(text_columns)
    sheet.append([v if isinstance(v, Cell) else cell(sheet, v, text=i in texts, **style)
                  for i, v in enumerate(values)])


def header(sheet, labels: Iterable[str], *, fill: PatternFill | None = HEADER_FILL,
           alignment: Alignment | None = None, border=None) -> None:
    """The header row: bold, shaded, wrapped."""
    align = alignment or Alignment(vertical="center", wrap_text=True)
    sheet.append([cell(sheet, label, font=BOLD, fill=fill, alignment=align, border=border)
                  for label in labels])


def widths(sheet, values: Iterable[float]) -> None:
    for index, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def print_setup(sheet, header_row: int | None, *, landscape: bool = False) -> None:
    """A4, one page wide (as many pages down as needed), the header row repeated on every
    printed page and kept in view on screen. Call before the first row of a write-only
    sheet is written or at any time on an ordinary one."""
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.freeze_panes = f"A{header_row + 1}"


def to_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
