"""The allowance list (danh sách nhận tiền hỗ trợ): who is paid what for attending a class, a
settlement document (chứng từ quyết toán) that each attendee signs. PDF and .xlsx.

The rules are settings (`settings.py`), not code; this module applies them:

1. A paid day is a date on which the learner has a mark the settings count as paid (present
   and late by default) in at least one session: two half-day sessions of one date are one
   day of meals.
2. Meal support = paid days × the class's daily rate (`TrainingClass.daily_rate`, copied from
   the dated setting for who organises the class), only for attendees *not* on the state
   payroll (`Cadre.on_payroll`, "hưởng lương từ ngân sách").
3. Travel support, once per attendee with a paid day: the amount typed for that person in
   this class if any, else the amount set for their commune of residence for attendees not
   on the payroll (a cadre on the payroll travels on their own agency's công tác phí), else 0.
4. Everyone admitted with at least one paid day is listed, in Vietnamese name order; amounts
   are integers in đồng. The total is written in words (`vietnamese.money_in_words`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl.styles import Font
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.attendance import completion, queries, settings
from app.attendance.models import AttendanceMark
from app.attendance.sheets import SheetRefused
from app.classes import papers
from app.classes.models import Application, ClassSession, TrainingClass
from app.documents import pdf, xlsx
from app.documents.models import OrgInfo
from app.numbers import format_money
from app.vietnamese import format_place_date, money_in_words

TITLE = "DANH SÁCH NHẬN TIỀN HỖ TRỢ"
HEADER = ("STT", "Họ và tên", "Đơn vị", "Số ngày tham dự", "Mức hỗ trợ tiền ăn/ngày",
          "Tiền ăn", "Hỗ trợ đi lại", "Tổng cộng", "Ký nhận")


@dataclass(frozen=True)
class Line:
    number: int
    application: Application
    days: int
    rate: int  # the daily meal rate applied (0 for an attendee on the payroll)
    meal: int
    travel: int

    @property
    def cadre(self):
        return self.application.cadre

    @property
    def total(self) -> int:
        return self.meal + self.travel

    @property
    def unit_text(self) -> str:
        cadre = self.cadre
        parts = [cadre.village.title_cap if cadre.village else "",
                 cadre.commune.title if cadre.commune else ""]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class AllowanceList:
    lines: tuple[Line, ...]
    daily_rate: int

    @property
    def days(self) -> int:
        return sum(line.days for line in self.lines)

    @property
    def meal(self) -> int:
        return sum(line.meal for line in self.lines)

    @property
    def travel(self) -> int:
        return sum(line.travel for line in self.lines)

    @property
    def total(self) -> int:
        return self.meal + self.travel

    @property
    def in_words(self) -> str:
        """"Bằng chữ: Một triệu hai trăm nghìn đồng chẵn." """
        return f"Bằng chữ: {money_in_words(self.total, whole=True)}."


def paid_days(sessions: Sequence[ClassSession], application_id: int,
              marks: dict[tuple[int, int], AttendanceMark], paid: frozenset[str]) -> int:
    """Dates with a paid mark in at least one of their sessions (rule 1)."""
    return len({s.date for s in sessions
                if (m := marks.get((s.id, application_id))) is not None and m.status in paid})


def compute(klass: TrainingClass, applications: Sequence[Application],
            marks: dict[tuple[int, int], AttendanceMark], paid: frozenset[str],
            travel_by_commune: dict[int, int], typed: dict[int, int]) -> AllowanceList:
    """The list for the class (pure: everything is passed in). `applications` are the
    admitted ones in name order; `typed`: travel support typed per application."""
    sessions = list(klass.sessions)
    lines = []
    for application in applications:
        days = paid_days(sessions, application.id, marks, paid)
        if not days:
            continue
        cadre = application.cadre
        rate = 0 if cadre.on_payroll else klass.daily_rate
        if application.id in typed:
            travel = typed[application.id]
        elif cadre.on_payroll:
            travel = 0
        else:
            travel = travel_by_commune.get(cadre.commune_id, 0)
        lines.append(Line(len(lines) + 1, application, days, rate, days * rate, travel))
    return AllowanceList(tuple(lines), klass.daily_rate)


def of_class(klass: TrainingClass, applications: Sequence[Application] | None = None,
             paid: frozenset[str] | None = None) -> AllowanceList:
    """The class's list from the stored marks and settings (a constant number of queries):
    the one figure the allowance papers and the class's costs (app/costs) both show."""
    if applications is None:
        applications = completion.admitted_applications(klass)
    marks = queries.marks_of([s.id for s in klass.sessions])
    return compute(klass, applications, marks,
                   settings.current().paid if paid is None else paid,
                   settings.travel_rates(), settings.typed_travel([a.id for a in applications]))


def _check(org: OrgInfo, data: AllowanceList) -> None:
    problem = org.problem()
    if problem:
        raise SheetRefused(problem)
    if not data.lines:
        raise SheetRefused(_("Chưa có học viên nào có ngày tham dự được hỗ trợ: danh sách "
                             "nhận tiền trống không in để ký. Hãy điểm danh trước."))


def _rows(data: AllowanceList) -> list[list]:
    return [[str(line.number), line.cadre.full_name, line.unit_text, str(line.days),
             format_money(line.rate) if line.rate else "Hưởng lương NS",
             format_money(line.meal), format_money(line.travel), format_money(line.total), ""]
            for line in data.lines]


def _signers() -> list[pdf.Signer]:
    return [pdf.Signer(("NGƯỜI LẬP BIỂU",)), pdf.Signer(("KẾ TOÁN",)),
            pdf.Signer(("THỦ TRƯỞNG ĐƠN VỊ",), note="(Ký, ghi rõ họ tên, đóng dấu)")]


def allowance_pdf(klass: TrainingClass, data: AllowanceList, org: OrgInfo) -> bytes:
    _check(org, data)
    widths = [w * mm for w in (10, 39, 44, 17, 23, 23, 22, 25, 49)]
    body = _rows(data)
    footer = [["", "Tổng cộng", "", str(data.days), "", format_money(data.meal),
               format_money(data.travel), format_money(data.total), ""]]
    story = [
        pdf.national_heading(org),
        *pdf.title_block(TITLE, [papers.subject_line(klass), *papers.detail_lines(klass),
                                 f"Mức hỗ trợ tiền ăn: {format_money(data.daily_rate)} đồng/"
                                 "ngày (người không hưởng lương từ ngân sách nhà nước)"],
                         space_before=8),
        pdf.data_table([list(HEADER)], body + footer, widths, body_padding=8,
                       spans=[((1, len(body) + 1), (2, len(body) + 1))], footer_rows=1,
                       font_size=10,
                       align=["center", "left", "left", "center", "right", "right", "right",
                              "right", "left"]),
        Spacer(1, 6),
        pdf.para(data.in_words, "body"),
        pdf.signature_row(_signers(), place_date=format_place_date(org.place_name, None),
                          width=pdf.frame_width("landscape")),
    ]
    return pdf.build_pdf(story, title=f"{TITLE} - {klass.code}", author=org.body_name,
                         subject=klass.title, orientation="landscape", page_numbers="bottom")


def allowance_xlsx(klass: TrainingClass, data: AllowanceList, org: OrgInfo) -> bytes:
    _check(org, data)
    book, sheet = xlsx.workbook("Danh sách")
    xlsx.heading(sheet, org, columns=len(HEADER))
    xlsx.lines(sheet, [(TITLE, Font(bold=True, size=13)),
                       (papers.subject_line(klass), xlsx.BOLD)]
               + [(line, Font()) for line in papers.detail_lines(klass)], columns=len(HEADER))
    rows = [[line.number, line.cadre.full_name, line.unit_text, line.days, line.rate,
             line.meal, line.travel, line.total, ""] for line in data.lines]
    footer = [["", "Tổng cộng", "", data.days, None, data.meal, data.travel, data.total, ""]]
    xlsx.table(sheet, list(HEADER), rows, (6, 28, 30, 10, 14, 14, 14, 14, 20), footer=footer,
               number_format="#,##0")
    xlsx.append_row(sheet, [data.in_words])
    xlsx.append_row(sheet, [])
    xlsx.append_row(sheet, ["", "Người lập biểu", "", "", "Kế toán", "", "",
                            "Thủ trưởng đơn vị"])
    return xlsx.save(book)
