"""The sign-in sheet (danh sách học viên ký nhận tham dự): the blank list the learners sign, for
one session or for all of them (a signature column per session). docs/PAPERS.md gives its
layout and what it is.

Built from the shared blocks (`app/documents/pdf.py`): the issuer's heading as the admitted
list has it (decided by the issuer's kind), the title, the table whose header repeats on every
page, "Trang x/y" at the foot, the count (`classes.papers.tally`) and the signatures. Every page
carries four corner marks and a QR code naming the class, the sessions and the page
(`qr_text`), so that a photograph of a signed page can be matched to its rows.

Plain functions: the class, its learners (in Vietnamese name order), the sessions and the
settings are passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from app.classes import papers
from app.classes.models import ClassSession, TrainingClass
from app.documents import pdf
from app.documents.models import OrgInfo
from app.people.models import Cadre
from app.vietnamese import format_date, format_place_date

SHEET_TITLE = "DANH SÁCH HỌC VIÊN KÝ NHẬN THAM DỰ LỚP TẬP HUẤN"
HEADER = ("STT", "Họ và tên", "Năm sinh", "Nam/Nữ", "Dân tộc", "Chức vụ", "Thôn", "Xã",
          "Ký tên", "Ghi chú")
# The fixed columns in mm (A4 landscape: 252 mm between the margins); the signature columns
# share what is left (102 mm: five sessions of 20.4 mm).
WIDTHS = (9, 35, 11, 16, 19, 20, 14, 14)
NOTE_WIDTH = 12
SIGN_ROOM = 9  # points above and below a row's text: room for a signature (rows >= 10 mm)
SIGN_MIN_MM = 20  # the narrowest signature cell a photograph is read in
FOOT_NOTE = "Ghi chú vắng/có phép vào cột Ghi chú, không ghi vào ô ký"


def per_part() -> int:
    """How many sessions' columns of at least SIGN_MIN_MM fit beside the fixed columns."""
    room = pdf.frame_width("landscape") / mm - sum(WIDTHS) - NOTE_WIDTH
    return max(1, int(room // SIGN_MIN_MM))


@dataclass(frozen=True)
class Cell:
    """A signature cell as drawn: the page, the learner, the session, the box in mm from the
    page's top-left corner (x, y, width, height)."""

    page: int
    cadre_id: int
    session_id: int | None
    box: tuple[float, float, float, float]


@dataclass
class SheetLayout:
    """Filled in while a sheet is built: the page size in mm, the pages and their cells."""

    page_mm: tuple[float, float] = (0.0, 0.0)
    pages: int = 0
    cells: list[Cell] = field(default_factory=list)


# Where a feature that records prints registers its printer (`register_printer`): the sheet's
# route then prints through it (attendance cannot import the later feature).
PRINTER = "attendance.sheet_printer"


def register_printer(app, printer) -> None:
    """`printer(actor, klass, cadres, sessions, org, *, every, title)` -> the PDF's bytes."""
    app.extensions[PRINTER] = printer


class SheetRefused(papers.PaperRefused):
    """A sheet that cannot be printed (409): no learner, or settings that head no paper."""


def qr_text(klass: TrainingClass, sessions: Sequence[ClassSession], page: int) -> str:
    """"taphuan:sheet:<class id>:<session ids joined by '.'>:<page>": what the QR code on each
    page says (the photograph of a signed page is matched to its class, sessions and rows)."""
    return f"taphuan:sheet:{klass.id}:{'.'.join(str(s.id) for s in sessions)}:{page}"


def session_label(session: ClassSession, short: bool) -> str:
    """"Sáng 05/11/2026" (one column), "S 05/11" (a column among many)."""
    part = "S" if session.part == "morning" else "C"
    if short:
        return f"{part} {session.date:%d/%m}"
    return f"{'Sáng' if session.part == 'morning' else 'Chiều'} {format_date(session.date)}"


def count_line(cadres: Sequence[Cadre]) -> str:
    """"Tổng số: 40 người; trong đó: 12 nam, 28 nữ; 39 người dân tộc thiểu số." """
    count = papers.tally(cadres)
    line = (f"Tổng số: {count.total} người; trong đó: {count.men} nam, {count.women} nữ; "
            f"{count.minority} người dân tộc thiểu số")
    if count.unknown:
        line += f"; {count.unknown} người chưa ghi dân tộc"
    return line + "."


def _row(n: int, cadre: Cadre, signatures: int) -> list[str]:
    year = cadre.birth_date.year if cadre.birth_date else cadre.birth_year
    return [str(n), cadre.full_name, str(year), "Nam" if cadre.gender == "M" else "Nữ",
            cadre.ethnicity_name, cadre.position.name if cadre.position else "",
            cadre.village.name if cadre.village else "",
            cadre.commune.name if cadre.commune else "", *[""] * signatures, ""]


def _details(klass: TrainingClass, sessions: Sequence[ClassSession], every: bool) -> list[str]:
    lines = [f"Lớp: {klass.title} (mã\u00a0lớp\u00a0{klass.code.replace(' ', chr(0xa0))})"]
    lines += papers.detail_lines(klass)
    if not every and sessions:
        s = sessions[0]
        lines.append(f"Buổi: {'sáng' if s.part == 'morning' else 'chiều'} ngày "
                     f"{format_date(s.date)}" + (f", {s.times_text}" if s.times_text else ""))
    return lines


def _part(klass: TrainingClass, cadres: Sequence[Cadre], sessions: Sequence[ClassSession],
          org: OrgInfo, *, every: bool, title: str, part: tuple[int, int],
          layout: SheetLayout | None, short: bool) -> list:
    """The story of one part of the sheet: heading, title, the table with a signature column
    per session of `sessions`, the count and the signatures."""
    columns = max(len(sessions), 1)
    fixed = [w * mm for w in WIDTHS]
    room = pdf.frame_width("landscape") - sum(fixed) - NOTE_WIDTH * mm
    widths = [*fixed, *[room / columns] * columns, NOTE_WIDTH * mm]
    labels = [session_label(s, short) for s in sessions] or [""]
    sign = len(WIDTHS)
    header = [[*HEADER[:sign], "Ký tên", *[""] * (columns - 1), "Ghi chú"],
              [*[""] * sign, *labels, ""]]
    spans = [((i, 0), (i, 1)) for i in range(sign)]
    spans += [((sign, 0), (sign + columns - 1, 0)), ((sign + columns, 0), (sign + columns, 1))]
    if not sessions:  # one blank column: its header over both rows
        spans[-2] = ((sign, 0), (sign, 1))
    body = [_row(n, c, columns) for n, c in enumerate(cadres, 1)]
    details = _details(klass, sessions, every)
    if part[1] > 1:
        details.append(f"Phần {part[0]}/{part[1]}: các buổi {session_label(sessions[0], True)}"
                       f" đến {session_label(sessions[-1], True)}")
    grid = pdf.data_table(header, body, widths, spans=spans, body_padding=SIGN_ROOM,
                          font_size=10,
                          align=["center", "left", "center", "center", "left", "left", "left",
                                 "left", *["center"] * columns, "left"])
    if layout is not None:
        grid.on_drawn = _recorder(layout, grid, cadres, sessions, sign)
    return [
        pdf.national_heading(org),
        *pdf.title_block(title, details, space_before=8),
        grid,
        Spacer(1, 6),
        pdf.para(count_line(cadres), "body"),
        pdf.signature_row([pdf.Signer(("NGƯỜI LẬP DANH SÁCH",)), pdf.org_signer(org)],
                          place_date=format_place_date(org.place_name, None),
                          width=pdf.frame_width("landscape")),
    ]


def _recorder(layout: SheetLayout, grid, cadres: Sequence[Cadre],
              sessions: Sequence[ClassSession], sign: int):
    """The table's `on_drawn`: adds the signature cells of the rows drawn on a page."""
    lefts = [0.0, *accumulate(grid.col_widths)]
    columns = [(session.id if session is not None else None, lefts[sign + n],
                round(grid.col_widths[sign + n] / mm, 2))
               for n, session in enumerate(sessions or [None])]

    def drawn(canvas, x, y, start, stop):
        page = canvas.getPageNumber()
        _width, height = canvas._pagesize
        top = y + sum(grid.body_heights[start:stop])  # the first row's top, from the foot
        at = [(session, round((x + left) / mm, 2), width) for session, left, width in columns]
        add = layout.cells.append
        for row in range(start, stop):
            row_height = grid.body_heights[row]
            down, tall, cadre = (round((height - top) / mm, 2), round(row_height / mm, 2),
                                 cadres[row].id)
            for session, left, width in at:
                add(Cell(page, cadre, session, (left, down, width, tall)))
            top -= row_height

    return drawn


def sign_in_pdf(klass: TrainingClass, cadres: Sequence[Cadre],
                sessions: Sequence[ClassSession], org: OrgInfo, *, every: bool,
                title: str = SHEET_TITLE, qr: Callable[[int], str] | None = None,
                layout: SheetLayout | None = None) -> bytes:
    """The sheet for `sessions` (all the class's when `every`, else the one chosen); a class
    without sessions gets one signature column; more sessions than fit (`per_part`) print in
    parts. `qr(page)` gives each page's QR text (default `qr_text`); `layout`, when given, is
    told where every signature cell was drawn. Refused (`SheetRefused`) without learners or
    with settings that head no paper."""
    problem = org.problem()
    if problem:
        raise SheetRefused(problem)
    if not cadres:
        raise SheetRefused(_("Lớp chưa có học viên được xét chọn: không có ai để ký danh "
                             "sách."))
    size = per_part()
    groups = [list(sessions[i:i + size]) for i in range(0, len(sessions), size)] or [[]]
    story: list = []
    for n, group in enumerate(groups, 1):
        if n > 1:
            story.append(PageBreak())
        story += _part(klass, cadres, group, org, every=every, title=title,
                       part=(n, len(groups)), layout=layout, short=len(sessions) > 2)

    def marks(canvas, page: int) -> None:
        pdf.page_marks(canvas, qr(page) if qr else qr_text(klass, sessions, page), FOOT_NOTE)
        if layout is not None:
            width, height = canvas._pagesize
            layout.page_mm = (round(width / mm, 2), round(height / mm, 2))
            layout.pages = max(layout.pages, page)

    return pdf.build_pdf(story, title=f"{title} - {klass.code}", author=org.body_name,
                         subject=klass.title, orientation="landscape",
                         page_numbers="bottom", on_page=marks)
