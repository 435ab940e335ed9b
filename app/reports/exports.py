"""The report's files: `/reports/training.xlsx` (one sheet per table of `tables.build`) and
`/reports/training.pdf`, a report (báo cáo) in the form of Nghị định 30/2020/NĐ-CP: the
issuer's heading by its kind (app/documents/), "Số: ..../BC-..." left blank for the clerk,
place and date, the document's name and trích yếu naming the program and the period, the
tables, the signer block and "Nơi nhận". Plain functions: a `Report` and the settings in,
bytes out.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from xml.sax.saxutils import escape

from openpyxl.styles import Font
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from app.core.xlsx import Money
from app.documents import pdf, xlsx
from app.documents.models import OrgInfo
from app.numbers import format_money, format_number
from app.reports.tables import Report, Share, Table
from app.vietnamese import format_place_date

TITLE = "Báo cáo"
BLANK_NUMBER = "......."  # written in by the clerk (văn thư) once the report is issued
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"


def subject(program: str, period_label: str, unit: str) -> str:
    """The trích yếu: "Kết quả tập huấn, bồi dưỡng ... năm 2026 (xã Sơn Kỳ)"."""
    what = f"Kết quả tập huấn, bồi dưỡng thuộc {program}" if program else \
        "Kết quả tập huấn, bồi dưỡng"
    return f"{what} {period_label[:1].lower() + period_label[1:]}" + (f" ({unit})" if unit
                                                                       else "")


def number(org: OrgInfo) -> str:
    """"......./BC-UBND": a report's number as Nghị định 30 writes it, blank for the clerk."""
    return f"{BLANK_NUMBER}/BC" + (f"-{org.number_suffix}" if org.number_suffix else "")


# --------------------------------------------------------------------------- .xlsx


def report_xlsx(report: Report, org: OrgInfo, subject_line: str) -> bytes:
    """One sheet per table: the heading, the title and subject, the table with real headers,
    counts as integers, shares as percentages, amounts in đồng; A4 print setup."""
    book = None
    for table in report.tables:
        if book is None:
            book, sheet = xlsx.workbook(table.sheet)
        else:
            sheet = book.create_sheet(table.sheet)
        columns = len(table.header)
        xlsx.heading(sheet, org, columns=columns, split=max(columns // 2, 1))
        xlsx.lines(sheet, [(table.title.upper(), Font(bold=True, size=13)),
                           (subject_line, Font(italic=True))], columns)
        head = xlsx.table(sheet, table.header, [_xlsx_row(r) for r in table.rows],
                          table.widths, number_format=COUNT_FORMAT)
        for row in sheet.iter_rows(min_row=head + 1):
            for cell, value in zip(row, _raw(table, row[0].row - head - 1), strict=False):
                if isinstance(value, Share):
                    cell.number_format = PERCENT_FORMAT
    return xlsx.save(book)


def _raw(table: Table, index: int) -> tuple:
    return table.rows[index] if 0 <= index < len(table.rows) else ()


def _xlsx_row(row: tuple) -> list:
    return [value.fraction if isinstance(value, Share) else value for value in row]


# --------------------------------------------------------------------------- PDF


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Share):
        return "" if value.fraction is None else f"{format_number(100 * value.fraction, 1)}%"
    if isinstance(value, Money):
        return format_money(int(value))
    if isinstance(value, int):
        return format_number(value)
    return str(value)


@cache
def _section_style() -> ParagraphStyle:
    return ParagraphStyle("report_section", parent=pdf.styles()["body"],
                          fontName=pdf.SERIF_BOLD, spaceBefore=8, spaceAfter=4)


def _section(text: str) -> Paragraph:
    """A numbered section's title, in bold (the text is ours, escaped all the same)."""
    return Paragraph(escape(text), _section_style())


def recipients(org: OrgInfo) -> list[str]:
    """The body the report goes to is written in by hand (a dotted line), then the file copy."""
    return ["...............................;",
            f"Lưu: VT, {org.drafting_office}." if org.drafting_office else "Lưu: VT."]


def report_pdf(report: Report, org: OrgInfo, subject_line: str, today: date) -> bytes:
    """The report on A4 portrait, its tables numbered as sections, pages numbered."""
    width = pdf.frame_width()
    story = [pdf.national_heading(org, number=number(org),
                                  place_date=format_place_date(org.place_name, today)),
             *pdf.title_block(TITLE, subject=subject_line),
             pdf.para(f"Thực hiện nhiệm vụ tập huấn, bồi dưỡng nâng cao năng lực, "
                      f"{org.body_name} báo cáo kết quả {report.period.label[:1].lower()}"
                      f"{report.period.label[1:]} (từ ngày {report.period.start:%d/%m/%Y} "
                      f"đến ngày {report.period.end:%d/%m/%Y}) như sau:")]
    for n, table in enumerate(report.tables, start=1):
        story.append(_section(f"{n}. {table.title}"))
        widths = [w / sum(table.widths) * width for w in table.widths]
        rows = [[_text(v) for v in row] for row in table.rows] or \
            [["Không có số liệu"] + [""] * (len(table.header) - 1)]
        story.append(pdf.data_table([list(table.header)], rows, widths,
                                    align=["left" if isinstance(v, str) else "right"
                                           for v in (table.rows[0] if table.rows
                                                     else ["" for _ in table.header])]))
    story += [Spacer(1, 4 * mm), pdf.signature_block(org, recipients=recipients(org))]
    return pdf.build_pdf(story, title=f"{TITLE} - {subject_line}", author=org.body_name,
                         subject=subject_line, page_numbers="top")
