"""Shared blocks of a paper as a worksheet: the heading (issuer on the left, national name on
the right, the same lines as the PDF's `pdf.heading_lines`), centred title lines, a bordered
table whose header row repeats when printed, and the workbook's bytes. Cells, types and the
print setup come from `app/core/xlsx.py`, where every .xlsx of the app is made (numbers as
numbers, dates as dates, text never a formula, A4 one page wide).

    book, sheet = workbook("Danh sách")
    heading(sheet, org, columns=8)
    lines(sheet, [("DANH SÁCH ...", Font(bold=True, size=13))], columns=8)
    head = table(sheet, header, rows, widths)
    data = save(book)

Plain functions; no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side

from app.core import xlsx as cells
from app.documents import pdf
from app.documents.models import OrgInfo

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MIDDLE = Alignment(horizontal="center", vertical="center")
BOLD = cells.BOLD


def workbook(title: str):
    book = cells.book()
    sheet = book.active
    sheet.title = title
    return book, sheet


def append_row(sheet, values: Iterable, **style) -> None:
    """A row of typed cells (`app.core.xlsx.append`): text never a formula, numbers numbers."""
    cells.append(sheet, list(values), **style)


def heading(sheet, org: OrgInfo, columns: int, split: int | None = None) -> None:
    """The issuer's lines (as `pdf.heading_lines` decides them) merged over the first `split`
    columns, the national name and motto over the rest; then a blank row."""
    split = split or max(columns * 3 // 8, 1)
    left = [(line.text, line.bold) for line in pdf.heading_lines(org)]
    right = [(pdf.NATIONAL_NAME, True), (pdf.MOTTO, True)]
    for i in range(max(len(left), len(right))):
        text, strong = left[i] if i < len(left) else ("", False)
        national, _bold = right[i] if i < len(right) else ("", False)
        append_row(sheet, [text or None] + [None] * (split - 1) + [national or None]
                   + [None] * (columns - split - 1))
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=split)
        sheet.merge_cells(start_row=row, start_column=split + 1, end_row=row,
                          end_column=columns)
        sheet.cell(row=row, column=1).font = Font(bold=strong)
        sheet.cell(row=row, column=split + 1).font = BOLD
        for column in (1, split + 1):
            sheet.cell(row=row, column=column).alignment = MIDDLE
    sheet.append([])


def lines(sheet, texts: Sequence[tuple[str, Font]], columns: int) -> None:
    """Lines centred across the table's width (title, subject, details); a blank row after.
    A worksheet breaks no lines on its own: non-breaking spaces become plain ones, so that a
    search finds the text."""
    for text, font in texts:
        append_row(sheet, [text.replace("\u00a0", " ")])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        sheet.cell(row=row, column=1).font = font
        sheet.cell(row=row, column=1).alignment = CENTER
    sheet.append([])  # openpyxl does not count a blank row in max_row, so no max_row + 1


def table(sheet, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float],
          *, footer: Sequence[Sequence] = (), number_format: str | None = None,
          landscape: bool = False) -> int:
    """The bordered table: its header (bold, repeated on every printed page, the panes frozen
    under it), the rows, the footer rows in bold; `number_format` for the integer cells
    ("#,##0"). Printed A4 one page wide. Returns the header's row number."""
    cells.header(sheet, header, fill=None, alignment=CENTER, border=BORDER)
    head = sheet.max_row
    for values, bold in [(r, False) for r in rows] + [(r, True) for r in footer]:
        row = [v if isinstance(v, Cell) else cells.cell(sheet, v, border=BORDER,
                                                         font=BOLD if bold else None)
               for v in values]
        if number_format:  # on the row's own cells (`sheet[row]` would scan the whole sheet)
            for cell in row[1:]:
                if isinstance(cell.value, int):
                    cell.number_format = number_format
        append_row(sheet, row)
    cells.print_setup(sheet, head, landscape=landscape)
    cells.widths(sheet, widths)
    return head


def save(book) -> bytes:
    return cells.to_bytes(book)
