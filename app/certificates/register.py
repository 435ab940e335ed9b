"""Sổ cấp giấy chứng nhận: the register of the certificates issued in a period, with their
status, as PDF (A4 landscape) and .xlsx. A register is a book, not one of the document types
of Nghị định 30/2020, so it carries the issuer's heading but no number of its own."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.certificates.models import Certificate
from app.classes.papers import append_row
from app.documents import pdf
from app.documents.models import OrgInfo
from app.vietnamese import format_date

TITLE = "SỔ CẤP GIẤY CHỨNG NHẬN"
HEADER = ("STT", "Số giấy chứng nhận", "Số vào sổ", "Họ và tên", "Ngày sinh", "Đơn vị",
          "Lớp tập huấn", "Ngày cấp", "Tình trạng")


def period_line(date_from: date | None, date_to: date | None) -> str:
    if date_from and date_to:
        return f"Từ ngày {format_date(date_from)} đến ngày {format_date(date_to)}"
    if date_from:
        return f"Từ ngày {format_date(date_from)}"
    if date_to:
        return f"Đến ngày {format_date(date_to)}"
    return "Tất cả các năm"


def status_text(certificate: Certificate) -> str:
    """"Còn hiệu lực"; "Đã thu hồi ngày 20/11/2026: <lý do>"; "..., cấp lại bằng số 016/..."."""
    if certificate.revoked_at is None:
        return "Còn hiệu lực"
    text = (f"Đã thu hồi ngày {format_date(certificate.revoked_on)}: "
            f"{certificate.revoke_reason}")
    if certificate.replaced_by is not None:
        text += f"; cấp lại bằng số {certificate.replaced_by.number}"
    return text


def rows(certificates: Sequence[Certificate]) -> list[list[str]]:
    return [[str(i), c.number, c.register_number, c.holder_name, c.holder_birth, c.holder_unit,
             f"{c.class_code}: {c.class_title}", format_date(c.issued_on), status_text(c)]
            for i, c in enumerate(certificates, 1)]


def register_pdf(certificates: Sequence[Certificate], org: OrgInfo, date_from: date | None,
                 date_to: date | None) -> bytes:
    width = pdf.frame_width("landscape")
    story = [pdf.national_heading(org, width=width),
             *pdf.title_block(TITLE, [period_line(date_from, date_to)])]
    widths = [10 * mm, 30 * mm, 20 * mm, 36 * mm, 22 * mm, 32 * mm, 0, 22 * mm, 36 * mm]
    widths[6] = width - sum(widths)
    body = rows(certificates) or [["", "", "", "Không có giấy chứng nhận nào được cấp trong "
                                   "kỳ này.", "", "", "", "", ""]]
    story.append(pdf.data_table([HEADER], body, widths,
                                align=["center", "left", "center", "left", "center", "left",
                                       "left", "center", "left"]))
    revoked = sum(c.revoked_at is not None for c in certificates)
    story.append(Spacer(1, 6))
    story.append(pdf.para(f"Tổng số: {len(certificates)} giấy chứng nhận; trong đó còn hiệu "
                          f"lực: {len(certificates) - revoked}, đã thu hồi: {revoked}.", "body"))
    return pdf.build_pdf(story, title=TITLE.capitalize(), orientation="landscape",
                         page_numbers="top")


def register_xlsx(certificates: Sequence[Certificate], org: OrgInfo, date_from: date | None,
                  date_to: date | None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ cấp GCN"
    bold = Font(bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = [(line.text, line.bold) for line in pdf.heading_lines(org)]
    right = [(pdf.NATIONAL_NAME, True), (pdf.MOTTO, True)]
    columns = len(HEADER)
    for i in range(max(len(left), len(right))):
        text, strong = left[i] if i < len(left) else ("", False)
        national = right[i][0] if i < len(right) else ""
        append_row(sheet, [text or None, None, None, None, national or None])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        sheet.merge_cells(start_row=row, start_column=5, end_row=row, end_column=columns)
        sheet.cell(row=row, column=1).font = Font(bold=strong)
        sheet.cell(row=row, column=5).font = bold
        for column in (1, 5):
            sheet.cell(row=row, column=column).alignment = center
    sheet.append([])
    for text, font in ((TITLE, Font(bold=True, size=13)),
                       (period_line(date_from, date_to), Font(italic=True))):
        append_row(sheet, [text])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        sheet.cell(row=row, column=1).font = font
        sheet.cell(row=row, column=1).alignment = center
    sheet.append([])
    append_row(sheet, list(HEADER))
    head = sheet.max_row
    for cell in sheet[head]:
        cell.font, cell.alignment, cell.border = bold, center, border
    for values in rows(certificates):
        append_row(sheet, [int(values[0]), *values[1:]])
        for cell in sheet[sheet.max_row]:
            cell.border = border
    sheet.freeze_panes = sheet.cell(row=head + 1, column=1)
    sheet.print_title_rows = f"{head}:{head}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    for letter, width in zip("ABCDEFGHI", (6, 18, 11, 26, 12, 28, 50, 12, 44), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
