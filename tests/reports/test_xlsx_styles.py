"""The shared writer (app/core/xlsx.py) finds a set of style objects in the workbook once and
copies it to the next cells: the workbook read back has the styles and number formats that
openpyxl's own setters give, and a cell changed afterwards changes alone."""

import io
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side

from app.core import xlsx

THIN = Side(style="thin")
STYLES = [{}, {"font": xlsx.BOLD}, {"font": Font(italic=True, size=13)},
          {"fill": xlsx.HEADER_FILL, "alignment": Alignment(wrap_text=True)},
          {"border": Border(left=THIN, right=THIN, top=THIN, bottom=THIN), "font": xlsx.BOLD}]
VALUES = ["chữ", "=1+1", 12, 1.5, xlsx.Money(1200000), date(2025, 7, 1),
          datetime(2025, 7, 1, 8, 30), None]


def _read(book):
    sheet = load_workbook(io.BytesIO(xlsx.to_bytes(book))).active
    return [[(c.value, c.number_format, c.font.b, c.font.i, c.font.sz, c.fill.fgColor.rgb,
              c.alignment.wrap_text, c.border.left.style) for c in row]
            for row in sheet.iter_rows()]


def _by_setters(write_only: bool):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("a") if write_only else book.active
    for style in STYLES:
        for _ in range(2):
            row = []
            for value in VALUES:
                made = xlsx.WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    made.data_type = "s"
                    made.number_format = xlsx.TEXT_FORMAT
                elif isinstance(value, datetime):
                    made.number_format = xlsx.MOMENT_FORMAT
                elif isinstance(value, date):
                    made.number_format = xlsx.DATE_FORMAT
                elif isinstance(value, xlsx.Money):
                    made.number_format = xlsx.MONEY_FORMAT
                for name, obj in style.items():
                    setattr(made, name, obj)
                row.append(made)
            sheet.append(row)
    return book


def _by_writer(write_only: bool):
    book = xlsx.book(write_only=write_only)
    sheet = book.create_sheet("a") if write_only else book.active
    for style in STYLES:
        for _ in range(2):
            xlsx.append(sheet, VALUES, **style)
    return book


def test_the_cached_styles_are_openpyxls_own():
    for write_only in (False, True):
        assert _read(_by_writer(write_only)) == _read(_by_setters(write_only))


def test_a_cell_restyled_afterwards_changes_alone():
    book = xlsx.book()
    sheet = book.active
    first = xlsx.cell(sheet, 5, font=xlsx.BOLD)
    second = xlsx.cell(sheet, 6, font=xlsx.BOLD)
    first.number_format = "0.0%"
    first.font = Font(italic=True)
    sheet.append([first, second])
    (a, b), = _read(book)
    assert a[1] == "0.0%" and a[3] and not a[2]
    assert b[1] == "General" and b[2] and not b[3]
