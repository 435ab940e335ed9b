"""Shared blocks of a paper as a worksheet (openpyxl): the heading (issuer on the left, national
name on the right, the same lines as the PDF's `pdf.heading_lines`), centred title lines, a
bordered table whose header row repeats when printed, and the workbook's bytes.

    book, sheet = workbook("Danh sách")
    heading(sheet, org, columns=8)
    lines(sheet, [("DANH SÁCH ...", Font(bold=True, size=13))], columns=8)
    head = table(sheet, header, rows, widths)
    data = save(book)

Plain functions; no Flask, no database. Text stays text: a cell beginning with "=" is never a
formula, and control characters a worksheet cannot hold are dropped.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from app.documents import pdf
from app.documents.models import OrgInfo

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MIDDLE = Alignment(horizontal="center", vertical="center")
BOLD = Font(bold=True)


def workbook(title: str):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    return book, sheet


def append_row(sheet, values: Iterable) -> None:
    """A row whose text stays text: never a formula (a setting, title or name beginning with
    "="), without the control characters a worksheet cannot hold (openpyxl would fail)."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                  for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


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
          *, footer: Sequence[Sequence] = (), number_format: str | None = None) -> int:
    """The bordered table: its header (bold, repeated on every printed page, the panes frozen
    under it), the rows, the footer rows in bold; `number_format` for the integer cells
    ("#,##0"). Returns the header's row number."""
    append_row(sheet, header)
    head = sheet.max_row
    for cell in sheet[head]:
        cell.font = BOLD
        cell.alignment = CENTER
        cell.border = BORDER
    for values, bold in [(r, False) for r in rows] + [(r, True) for r in footer]:
        append_row(sheet, values)
        for cell in sheet[sheet.max_row]:
            cell.border = BORDER
            if bold:
                cell.font = BOLD
            if number_format and isinstance(cell.value, int) and cell.column > 1:
                cell.number_format = number_format
    sheet.freeze_panes = sheet.cell(row=head + 1, column=1)
    sheet.print_title_rows = f"{head}:{head}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    return head


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
