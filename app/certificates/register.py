"""Sổ cấp giấy chứng nhận: the register of the certificates issued in a period, with their
status, as PDF (A4 landscape) and .xlsx. A register is a book, not one of the document types
of Nghị định 30/2020, so it carries the issuer's heading but no number of its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl.styles import Font
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.certificates.models import Certificate
from app.documents import pdf, xlsx
from app.documents.models import OrgInfo
from app.vietnamese import format_date, parse_date

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


def _birth(text: str) -> date | int | str:
    """The frozen birth as the sheet stores it: a date, a year (a number), or the text."""
    day, year = parse_date(text)
    return day or year or text


def register_xlsx(certificates: Sequence[Certificate], org: OrgInfo, date_from: date | None,
                  date_to: date | None) -> bytes:
    """The register as a worksheet, from the shared blocks of `app/documents/xlsx.py`."""
    columns = len(HEADER)
    book, sheet = xlsx.workbook("Sổ cấp GCN")
    xlsx.heading(sheet, org, columns=columns, split=4)
    xlsx.lines(sheet, [(TITLE, Font(bold=True, size=13)),
                       (period_line(date_from, date_to), Font(italic=True))], columns=columns)
    # Numbers and dates typed as such: the birth (a date, or a year alone) and the day issued.
    body = [[i, c.number, c.register_number, c.holder_name, _birth(c.holder_birth),
             c.holder_unit, f"{c.class_code}: {c.class_title}", c.issued_on, status_text(c)]
            for i, c in enumerate(certificates, 1)]
    xlsx.table(sheet, list(HEADER), body, (6, 18, 11, 26, 12, 28, 50, 12, 44))
    sheet.page_setup.orientation = "landscape"
    return xlsx.save(book)
