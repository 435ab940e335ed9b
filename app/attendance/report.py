"""The attendance report (báo cáo điểm danh): the filled matrix of a class, learners × sessions
with their marks, each learner's attended sessions, percentage and completion, the learners
who attended each session, and the class's attendance rate. PDF and .xlsx.

The numbers come from `completion.py` (the one rule of what counts as attended); this module
only lays them out. Marks are printed with the key-back codes (`marking.CODE_OF`: c, m, p, v),
so the report reads like the sheet it was keyed from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from openpyxl.styles import Font
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.attendance import completion, marking
from app.attendance.models import AttendanceMark
from app.attendance.sheets import SheetRefused, session_label
from app.classes import papers
from app.classes.models import ClassSession, TrainingClass
from app.documents import pdf, xlsx
from app.documents.models import OrgInfo
from app.numbers import format_number
from app.vietnamese import format_place_date

TITLE = "BÁO CÁO ĐIỂM DANH LỚP TẬP HUẤN"
LEGEND = ("Ký hiệu: c = có mặt; m = đi muộn; p = vắng có phép; v = vắng không phép; ô trống "
          "= chưa điểm danh. Buổi được tính là đã dự: có mặt hoặc đi muộn.")


@dataclass(frozen=True)
class Row:
    number: int
    learner: completion.LearnerCompletion
    codes: tuple[str, ...]  # one per session, "" when unmarked

    @property
    def standing(self) -> str:
        """On paper, in Vietnamese whatever the reader's language: "Đạt", "Thiếu 1 buổi"."""
        c = self.learner.completion
        if c.met:
            return "Đạt"
        return f"Thiếu {c.shortfall} buổi" if c.sessions else "Chưa có buổi học"


@dataclass(frozen=True)
class Matrix:
    sessions: tuple[ClassSession, ...]
    rows: tuple[Row, ...]
    attended_per_session: tuple[int, ...]

    @property
    def attended(self) -> int:
        return sum(r.learner.completion.attended for r in self.rows)

    @property
    def possible(self) -> int:
        return len(self.rows) * len(self.sessions)

    @property
    def rate(self) -> Fraction | None:
        """Attended learner-sessions over possible ones (None without any)."""
        return Fraction(100 * self.attended, self.possible) if self.possible else None

    @property
    def rate_text(self) -> str:
        """"87,5%" (one decimal at most), "—" without sessions or learners."""
        rate = self.rate
        return "—" if rate is None else f"{format_number(round(float(rate), 1))}%"

    @property
    def met(self) -> int:
        return sum(1 for r in self.rows if r.learner.completion.met)


def matrix(klass: TrainingClass, learners: Sequence[completion.LearnerCompletion],
           marks: dict[tuple[int, int], AttendanceMark]) -> Matrix:
    """The report's numbers: `learners` from `completion.class_completion`, `marks` from
    `queries.marks_of` (by session and application)."""
    sessions = tuple(klass.sessions)
    rows = []
    for n, learner in enumerate(learners, 1):
        codes = []
        for s in sessions:
            mark = marks.get((s.id, learner.application.id))
            codes.append(marking.CODE_OF.get(mark.status, "") if mark else "")
        rows.append(Row(n, learner, tuple(codes)))
    per_session = tuple(
        sum(1 for learner in learners
            if (m := marks.get((s.id, learner.application.id))) is not None
            and m.status in completion.ATTENDED)
        for s in sessions)
    return Matrix(sessions, tuple(rows), per_session)


def _check(org: OrgInfo, data: Matrix) -> None:
    problem = org.problem()
    if problem:
        raise SheetRefused(problem)
    if not data.rows:
        from flask_babel import gettext as _

        raise SheetRefused(_("Lớp chưa có học viên được xét chọn: chưa có gì để báo cáo."))


def _summary(klass: TrainingClass, data: Matrix) -> list[str]:
    return [f"Tỷ lệ tham dự của lớp: {data.rate_text} ({data.attended}/{data.possible} lượt "
            f"buổi học); {data.met}/{len(data.rows)} học viên đạt yêu cầu tham dự (tối thiểu "
            f"{klass.min_attendance_pct}% số buổi).", LEGEND]


def report_pdf(klass: TrainingClass, data: Matrix, org: OrgInfo) -> bytes:
    _check(org, data)
    columns = max(len(data.sessions), 1)
    fixed = [10 * mm, 38 * mm, 20 * mm]
    tail = [13 * mm, 12 * mm, 22 * mm]
    room = pdf.frame_width("landscape") - sum(fixed) - sum(tail)
    widths = [*fixed, *[room / columns] * columns, *tail]
    labels = [session_label(s, short=True) for s in data.sessions] or [""]
    header = [["STT", "Họ và tên", "Xã", "Các buổi học", *[""] * (columns - 1), "Số buổi dự",
               "Tỷ lệ", "Hoàn thành"],
              ["", "", "", *labels, "", "", ""]]
    n = 3 + columns
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (2, 1)), ((3, 0), (n - 1, 0)),
             ((n, 0), (n, 1)), ((n + 1, 0), (n + 1, 1)), ((n + 2, 0), (n + 2, 1))]
    body = []
    for row in data.rows:
        c = row.learner.completion
        cadre = row.learner.cadre
        body.append([str(row.number), cadre.full_name,
                     cadre.commune.name if cadre.commune else "",
                     *(row.codes or ("",)), f"{c.attended}/{c.sessions}", f"{c.percent}%",
                     row.standing])
    totals = [str(t) for t in data.attended_per_session] or [""]
    footer = [["", "Số học viên đã dự", "", *totals, str(data.attended), data.rate_text, ""]]
    story = [
        pdf.national_heading(org),
        *pdf.title_block(TITLE, [papers.subject_line(klass), *papers.detail_lines(klass)],
                         space_before=8),
        pdf.data_table(header, body + footer, widths, spans=[*spans, ((1, len(body) + 2),
                                                                     (2, len(body) + 2))],
                       footer_rows=1, font_size=10,
                       align=["center", "left", "left", *["center"] * columns, "center",
                              "center", "left"]),
        Spacer(1, 6),
        *[pdf.para(line, "body") for line in _summary(klass, data)],
        pdf.signature_row([pdf.Signer(("NGƯỜI LẬP BÁO CÁO",)), pdf.org_signer(org)],
                          place_date=format_place_date(org.place_name, None),
                          width=pdf.frame_width("landscape")),
    ]
    return pdf.build_pdf(story, title=f"{TITLE} - {klass.code}", author=org.body_name,
                         subject=klass.title, orientation="landscape", page_numbers="bottom")


def report_xlsx(klass: TrainingClass, data: Matrix, org: OrgInfo) -> bytes:
    _check(org, data)
    labels = [session_label(s, short=True) for s in data.sessions]
    columns = 3 + len(labels) + 3
    book, sheet = xlsx.workbook("Điểm danh")
    xlsx.heading(sheet, org, columns=columns)
    xlsx.lines(sheet, [(TITLE, Font(bold=True, size=13)), (papers.subject_line(klass),
                                                          xlsx.BOLD)]
               + [(line, Font()) for line in papers.detail_lines(klass)], columns=columns)
    rows = []
    for row in data.rows:
        c = row.learner.completion
        cadre = row.learner.cadre
        rows.append([row.number, cadre.full_name, cadre.commune.name if cadre.commune else "",
                     *row.codes, c.attended, c.percent / 100, row.standing])
    footer = [["", "Số học viên đã dự", "", *data.attended_per_session, data.attended,
               float(data.rate / 100) if data.rate is not None else None, ""]]
    head = xlsx.table(sheet, ["STT", "Họ và tên", "Xã", *labels, "Số buổi dự", "Tỷ lệ",
                              "Hoàn thành"], rows,
                      (6, 28, 14, *[8] * len(labels), 10, 8, 16), footer=footer)
    rate_column = 3 + len(labels) + 2
    for r in range(head + 1, sheet.max_row + 1):
        sheet.cell(row=r, column=rate_column).number_format = "0.0%"
    for line in _summary(klass, data):
        xlsx.append_row(sheet, [line])
    return xlsx.save(book)
