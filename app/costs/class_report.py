"""The results report of one class ("Báo cáo kết quả lớp tập huấn"), an official document
under Nghị định 30/2020/NĐ-CP: the issuer's heading with "Số: …/BC-…", the place and date
(blank until signed), the title and trích yếu, then the class's facts and the document that
convened it, attendance per session and overall, results (completions, the quiz when the
class uses one, certificates), the costs per line and per funding source, the signer and the
recipients ("Nơi nhận").

Every figure comes from the module that owns it: attendance from
`app/attendance/report.py` (the same rate as the attendance report), completions, the quiz and
certificates from `app/certificates/eligibility.py`, the costs from `lines.py`. `gather` reads
them (a constant number of queries); `report_pdf` lays them out (pure).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import func, select

from app.attendance import completion, queries, report
from app.attendance.sheets import session_label
from app.certificates import eligibility
from app.certificates.models import Certificate
from app.classes import papers
from app.classes.models import TrainingClass
from app.classes.service import CONVENE_LABELS
from app.core.refusal import Refusal
from app.costs import lines
from app.costs.models import LINE_LABELS
from app.documents import pdf
from app.documents.fonts import SERIF_BOLD
from app.documents.models import OrgInfo
from app.extensions import db
from app.numbers import format_money, format_number
from app.vietnamese import format_date, format_place_date

TITLE = "BÁO CÁO"
SUBJECT = "Kết quả lớp tập huấn “{title}” (mã lớp {code})"
STATUS_ORDER = ("present", "late", "excused", "absent")


class ReportRefused(Refusal):
    status = 409


@dataclass(frozen=True)
class SessionCount:
    label: str
    due: int
    counts: dict[str, int]  # by mark status

    @property
    def attended(self) -> int:
        return sum(self.counts.get(s, 0) for s in completion.ATTENDED)

    @property
    def rate_text(self) -> str:
        return percent_text(self.attended, self.due)


@dataclass(frozen=True)
class ReportData:
    klass: TrainingClass
    matrix: report.Matrix
    sessions: tuple[SessionCount, ...]
    quiz_passed: int | None  # None: the class uses no quiz
    certificates: int  # in force
    revoked: int
    costs: lines.Costs

    @property
    def learners(self) -> int:
        return len(self.matrix.rows)


def percent_text(part: int, whole: int) -> str:
    """"87,5%" (one decimal at most), "—" when there is nothing to divide by."""
    if not whole:
        return "—"
    return f"{format_number(100 * part / whole, 1)}%"


def gather(klass: TrainingClass) -> ReportData:
    """Everything the report prints, from the modules that own each figure."""
    standings = eligibility.standings(klass)
    learners = [completion.LearnerCompletion(s.application, s.completion) for s in standings]
    marks = queries.marks_of([s.id for s in klass.sessions])
    data = report.matrix(klass, learners, marks)
    admitted = {s.application.id for s in standings}
    sessions = []
    for session in klass.sessions:
        counts = Counter(m.status for (sid, aid), m in marks.items()
                         if sid == session.id and aid in admitted)
        sessions.append(SessionCount(session_label(session, short=False), len(admitted),
                                     dict(counts)))
    quiz_used = any(s.quiz_passed is not None for s in standings)
    revoked = db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.class_id == klass.id, Certificate.revoked_at.is_not(None))) or 0
    return ReportData(
        klass, data, tuple(sessions),
        sum(1 for s in standings if s.quiz_passed) if quiz_used else None,
        sum(1 for s in standings if s.certificate is not None), revoked,
        lines.costs_of(klass))


# --------------------------------------------------------------------------- the text


def convening_line(klass: TrainingClass) -> str:
    """"Căn cứ Quyết định số 15/QĐ-UBND ngày 05/11/2026 triệu tập lớp", or what is missing."""
    kind = CONVENE_LABELS.get(klass.convene_kind, CONVENE_LABELS["decision"])
    if not klass.convene_number:
        return f"Văn bản triệu tập lớp ({kind.lower()}): chưa ghi số, ngày."
    when = f" ngày {format_date(klass.convene_date)}" if klass.convene_date else ""
    return f"Văn bản triệu tập lớp: {kind} số {klass.convene_number}{when}."


def facts(klass: TrainingClass) -> list[str]:
    out = papers.detail_lines(klass)
    program = [x.label for x in (klass.program, klass.component) if x is not None]
    if program:
        out.append("Chương trình: " + " – ".join(program))
    if klass.activity_type is not None:
        out.append(f"Loại hoạt động: {klass.activity_type.name}")
    if klass.plan is not None:
        out.append(f"Theo kế hoạch: {klass.plan.label}")
    if klass.trainers:
        out.append("Giảng viên, báo cáo viên: " + ", ".join(t.full_name for t in klass.trainers))
    out.append(convening_line(klass))
    return out


def results(data: ReportData) -> list[str]:
    m, klass = data.matrix, data.klass
    cadres = [row.learner.cadre for row in m.rows]
    out = [f"Học viên được triệu tập: {papers.summary_line(cadres)}",
           f"Tỷ lệ tham dự của lớp: {m.rate_text} ({m.attended}/{m.possible} lượt buổi học).",
           f"Hoàn thành lớp (dự tối thiểu {klass.min_attendance_pct}% số buổi): {m.met}/"
           f"{data.learners} học viên ({percent_text(m.met, data.learners)})."]
    if data.quiz_passed is not None:
        out.append(f"Đạt bài kiểm tra: {data.quiz_passed}/{data.learners} học viên.")
    certificates = f"Giấy chứng nhận đã cấp: {data.certificates}"
    if data.revoked:
        certificates += f" (đã thu hồi: {data.revoked})"
    out.append(certificates + ".")
    return out


def _rate(value) -> str:
    return "—" if value is None else f"{format_number(value)}%"


def _heading(text: str):
    """A section's heading: bold, on the left."""
    style = ParagraphStyle("section", parent=pdf.styles()["body"], fontName=SERIF_BOLD,
                           spaceBefore=6, spaceAfter=2)
    return [Paragraph(escape(text), style)]


def attendance_table(data: ReportData):
    header = [["STT", "Buổi học", "Phải dự", "Có mặt", "Đi muộn", "Vắng có phép",
               "Vắng không phép", "Tỷ lệ dự"]]
    body = [[str(n), s.label, str(s.due), *(str(s.counts.get(k, 0)) for k in STATUS_ORDER),
             s.rate_text] for n, s in enumerate(data.sessions, 1)]
    widths = [10 * mm, 38 * mm, 17 * mm, 17 * mm, 17 * mm, 20 * mm, 22 * mm, 24 * mm]
    m = data.matrix
    footer = [["", "Cả lớp", str(m.possible), *(str(sum(s.counts.get(k, 0)
                                                        for s in data.sessions))
                                                 for k in STATUS_ORDER), m.rate_text]]
    return pdf.data_table(header, body + footer, widths, footer_rows=1,
                          align=["center", "left", *["center"] * 6])


def costs_table(costs: lines.Costs):
    header = [["STT", "Nội dung chi", "Nguồn kinh phí", "Dự toán (đồng)", "Thực hiện (đồng)",
               "Tỷ lệ giải ngân"]]
    body = [[str(n), LINE_LABELS[line.line], line.source_name, format_money(line.budget),
             format_money(line.spent), _rate(line.rate)]
            for n, line in enumerate(costs.lines, 1)]
    footer = [["", "Tổng cộng", "", format_money(costs.budget), format_money(costs.spent),
               _rate(costs.rate)]]
    widths = [10 * mm, 45 * mm, 35 * mm, 27 * mm, 27 * mm, 21 * mm]
    return pdf.data_table(header, body + footer, widths, footer_rows=1,
                          spans=[((1, len(body) + 1), (2, len(body) + 1))],
                          align=["center", "left", "left", "right", "right", "center"])


def sources_table(costs: lines.Costs):
    header = [["Nguồn kinh phí", "Dự toán (đồng)", "Thực hiện (đồng)", "Tỷ lệ giải ngân"]]
    body = [[s.source_name or "Chưa ghi nguồn kinh phí", format_money(s.budget),
             format_money(s.spent), _rate(s.rate)] for s in costs.by_source()]
    return pdf.data_table(header, body, [70 * mm, 32 * mm, 32 * mm, 31 * mm],
                          align=["left", "right", "right", "center"])


def recipients(org: OrgInfo) -> list[str]:
    return ["........................ (để báo cáo);",
            f"Lưu: VT, {org.drafting_office}." if org.drafting_office else "Lưu: VT."]


def check(org: OrgInfo, data: ReportData) -> None:
    problem = org.problem()
    if problem:
        raise ReportRefused(problem)
    if not data.learners:
        raise ReportRefused(_("Lớp chưa có học viên được triệu tập: chưa có kết quả để báo "
                              "cáo."))


def report_pdf(klass: TrainingClass, data: ReportData, org: OrgInfo) -> bytes:
    check(org, data)
    number = f"{papers.BLANK_NUMBER}/BC-{org.number_suffix}" if org.number_suffix \
        else f"{papers.BLANK_NUMBER}/BC"
    code = klass.code.replace(" ", papers.NBSP)
    story = [
        pdf.national_heading(org, number=number,
                             place_date=format_place_date(org.place_name, None)),
        *pdf.title_block(TITLE, subject=SUBJECT.format(title=klass.title, code=code)),
        *_heading("I. THÔNG TIN LỚP TẬP HUẤN"),
        *[pdf.para(f"- {line}", "body") for line in facts(klass)],
        *_heading("II. THAM DỰ"),
        attendance_table(data),
        Spacer(1, 4),
        pdf.para("Tỷ lệ dự mỗi buổi = số có mặt và đi muộn / số học viên phải dự; tỷ lệ cả "
                 "lớp tính trên mọi buổi của lớp.", "recipients"),
        *_heading("III. KẾT QUẢ"),
        *[pdf.para(f"- {line}", "body") for line in results(data)],
        *_heading("IV. KINH PHÍ"),
        costs_table(data.costs),
        Spacer(1, 6),
        pdf.para("Theo nguồn kinh phí:", "body"),
        sources_table(data.costs),
        pdf.signature_block(org, recipients=recipients(org)),
    ]
    return pdf.build_pdf(story, title=f"Báo cáo kết quả lớp tập huấn - {klass.code}",
                         author=org.body_name, subject=klass.title)
