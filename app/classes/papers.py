"""The list of admitted learners ("Danh sách học viên được triệu tập") as PDF and .xlsx.

Plain functions: the class, its admitted cadres (already in Vietnamese name order), the
organisation settings and the date are passed in.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.classes.models import TrainingClass
from app.documents import pdf
from app.documents.models import OrgInfo
from app.people.models import Cadre
from app.vietnamese import format_date, format_place_date

TITLE = "Danh sách học viên được triệu tập"
BLANK_NUMBER = "\u00a0" * 10  # the number is written in by the clerk (văn thư)
HEADER = ("STT", "Họ và tên", "Năm sinh", "", "Dân tộc", "Chức vụ", "Thôn/Bản, Xã")


def _period(klass: TrainingClass) -> str:
    if klass.start_date == klass.end_date:
        return f"ngày {format_date(klass.start_date)}"
    return f"từ ngày {format_date(klass.start_date)} đến ngày {format_date(klass.end_date)}"


def subtitle_lines(klass: TrainingClass, org: OrgInfo) -> list[str]:
    lines = [f"Lớp: {klass.title} (mã lớp {klass.code})"]
    if klass.course is not None:
        lines.append(f"Chuyên đề: {klass.course.title}")
    lines.append(f"Thời gian: {_period(klass)}; địa điểm: {klass.place}")
    return lines


def _unit_text(cadre: Cadre) -> str:
    commune = cadre.commune.title if cadre.commune else ""
    if cadre.village is None:
        return commune[:1].upper() + commune[1:]
    return f"{cadre.village.title_cap}, {commune}"


def rows(cadres: Sequence[Cadre]) -> list[list[str]]:
    out = []
    for n, c in enumerate(cadres, 1):
        year = str(c.birth_date.year if c.birth_date else c.birth_year)
        out.append([str(n), c.full_name, year if c.gender == "M" else "",
                    year if c.gender == "F" else "", c.ethnicity_name,
                    c.position.name if c.position else "", _unit_text(c)])
    return out


def admitted_pdf(klass: TrainingClass, cadres: Sequence[Cadre], org: OrgInfo,
                 today: date) -> bytes:
    widths = [10 * mm, 40 * mm, 12 * mm, 12 * mm, 17 * mm, 37 * mm, 37 * mm]
    header = [list(HEADER), ["", "", "Nam", "Nữ", "", "", ""]]
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (3, 0)), ((4, 0), (4, 1)),
             ((5, 0), (5, 1)), ((6, 0), (6, 1))]
    body = rows(cadres)
    number = BLANK_NUMBER + (f"/DS-{org.number_suffix}" if org.number_suffix else "")
    women = sum(c.gender == "F" for c in cadres)
    leaders = sum(c.is_village_leader for c in cadres)
    story = [
        pdf.national_heading(org, number=number,
                             place_date=format_place_date(org.place_name, today)),
        *pdf.title_block(TITLE, subtitle_lines(klass, org)),
    ]
    if body:
        story.append(pdf.data_table(header, body, widths, spans=spans,
                                    align=["center", "left", "center", "center", "left",
                                           "left", "left"]))
    else:
        story.append(pdf.para("(Chưa có học viên nào được triệu tập.)", "body_center"))
    story.append(Spacer(1, 6))
    story.append(pdf.para(
        f"Danh sách có {len(cadres)} người ({women} nữ; {leaders} cán bộ cấp thôn); "
        f"số chỗ của lớp: {klass.capacity}.", "body"))
    story.append(pdf.signature_block(org, recipients=["Như danh sách;", "Lưu: VT."]))
    return pdf.build_pdf(story, title=f"{TITLE} - {klass.code}", author=org.body_name,
                         subject=klass.title)


def _append(sheet, values) -> None:
    """A row whose text stays text: never a formula (a setting, title or name beginning with
    "="), without the control characters a worksheet cannot hold (openpyxl would fail)."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                  for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def admitted_xlsx(klass: TrainingClass, cadres: Sequence[Cadre], org: OrgInfo,
                  today: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    bold = Font(bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    middle = Alignment(horizontal="center", vertical="center")
    left = [(line.text, line.bold) for line in pdf.heading_lines(org)]
    right = [(pdf.NATIONAL_NAME, True), (pdf.MOTTO, True)]
    for i in range(max(len(left), len(right))):  # the issuer's lines beside the national name
        text, strong = left[i] if i < len(left) else ("", False)
        national, _bold = right[i] if i < len(right) else ("", False)
        _append(sheet, [text or None, None, None, national or None, None, None, None])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=7)
        sheet.cell(row=row, column=1).font = Font(bold=strong)
        sheet.cell(row=row, column=4).font = bold
        for column in (1, 4):
            sheet.cell(row=row, column=column).alignment = middle
    _append(sheet, [TITLE.upper()])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=13)
    for line in subtitle_lines(klass, org):
        _append(sheet, [line])
    _append(sheet, [format_place_date(org.place_name, today)])
    sheet.append([])  # a blank line: openpyxl does not count it in max_row, so no max_row + 1
    _append(sheet, ["STT", "Họ và tên", "Năm sinh (Nam)", "Năm sinh (Nữ)", "Dân tộc",
                    "Chức vụ", "Thôn/Bản, Xã"])
    head = sheet.max_row  # the header row just written
    for cell in sheet[head]:
        cell.font = bold
        cell.alignment = center
        cell.border = border
    for row in rows(cadres):
        _append(sheet, [int(row[0]), *row[1:]])
        for cell in sheet[sheet.max_row]:
            cell.border = border
    sheet.freeze_panes = sheet.cell(row=head + 1, column=1)
    sheet.print_title_rows = f"{head}:{head}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    for letter, width in zip("ABCDEFG", (6, 28, 10, 10, 12, 34, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
