"""Attendance papers: the sign-in sheet for 60 learners × 10 sessions (issue: 50 ms warm), the
attendance report for 200 learners × 10 sessions (issue: 0.3 s), each also as a ratio against
a plain reportlab table of the same size built in the same run (issue: at most 1.5 ×), and
the report for 1,000 learners against 200 (time per row; linear is 1).

The papers are built by their plain functions (`sheets.sign_in_pdf`, `report.report_pdf`)
from objects made in memory (no database), inside an application context for the settings'
defaults; each figure is the best of several warm runs (fonts and styles built once), in CPU
time of the process (`time.process_time`: the papers are built in one thread, so on a quiet
machine it is the wall-clock time, and on a machine busy with other work it is still what the
paper costs, which wall-clock time is not).
"""

import time
from datetime import date
from datetime import time as clock

from bench import Benchmark

_STATE: dict = {}


def _best_of(runs: int, func) -> float:
    func()  # warm: fonts, styles, QR matrices
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def _context():
    if "app" not in _STATE:
        from app import create_app
        from config import TestingConfig

        _STATE["app"] = create_app(TestingConfig)
    return _STATE["app"].app_context()


GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quỳnh",
         "Sơn", "Thảo", "Uyên", "Vững", "Xuân", "Yến", "Ảnh", "Ợi", "Ỵ"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đinh", "Hồ", "Võ", "Đặng", "Bùi"]


def _class(learners: int, sessions: int):
    """A class with `learners` admitted learners and `sessions` half-day sessions, in memory."""
    from app.classes.models import Application, ClassSession, TrainingClass
    from app.people.models import Cadre, Position, Unit

    klass = TrainingClass(id=1, code="TH-BENCH", title="Lớp tập huấn giảm nghèo bền vững",
                          place="Hội trường UBND xã Sơn Kỳ", start_date=date(2026, 3, 2),
                          end_date=date(2026, 3, 2 + (sessions - 1) // 2),
                          min_attendance_pct=80, daily_rate=100_000)
    klass.sessions = [ClassSession(id=100 + n, date=date(2026, 3, 2 + n // 2),
                                   part=("morning", "afternoon")[n % 2],
                                   starts_at=clock(7, 30) if n % 2 == 0 else clock(13, 30))
                      for n in range(sessions)]
    commune = Unit(id=5, name="Sơn Kỳ", kind="commune", category="xã")
    village = Unit(id=6, name="Gò Trá", kind="village", category="thôn")
    position = Position(id=1, code="truong-thon", name="Trưởng thôn, bản", level="village")
    applications = []
    for n in range(learners):
        cadre = Cadre(id=n + 1, full_name=f"{FAMILY[n % 10]} {'Thị' if n % 2 else 'Văn'} "
                      f"{GIVEN[n // 10 % 20]} {n // 200 or ''}".strip(),
                      gender="F" if n % 2 else "M", birth_year=1960 + n % 40,
                      ethnicity_code="18", level="village")
        cadre.position, cadre.commune, cadre.village = position, commune, village
        applications.append(Application(id=n + 1, cadre=cadre, status="admitted"))
    return klass, applications


def sheet_60x10() -> float:
    from app.attendance import sheets
    from app.documents.models import DEFAULTS

    with _context():
        klass, applications = _class(60, 10)
        cadres = [a.cadre for a in applications]
        return _best_of(5, lambda: sheets.sign_in_pdf(klass, cadres, klass.sessions, DEFAULTS,
                                                      every=True))


def _report(learners: int) -> float:
    from app.attendance import report
    from app.attendance.completion import Completion, LearnerCompletion
    from app.attendance.models import AttendanceMark
    from app.documents.models import DEFAULTS

    statuses = ["present"] * 7 + ["late", "excused", "absent"]
    with _context():
        klass, applications = _class(learners, 10)
        marks = {(s.id, a.id): AttendanceMark(status=statuses[(a.id + i) % 10])
                 for a in applications for i, s in enumerate(klass.sessions)}

        def build():
            rows = [LearnerCompletion(a, Completion(
                sum(marks[(s.id, a.id)].status in ("present", "late") for s in klass.sessions),
                10, 80)) for a in applications]
            return report.report_pdf(klass, report.matrix(klass, rows, marks), DEFAULTS)

        return _best_of(3, build)


def report_200x10() -> float:
    return _report(200)


def _plain_table(rows: int, columns: int, orientation="landscape", *, header_rows: int = 1,
                 widths=None, filled: int | None = None) -> float:
    """The floor: a plain reportlab table of strings, same size, the same embedded font, its
    `header_rows` repeated, in the same run; `widths` the columns' (reportlab's own when
    None), text in the first `filled` columns of each body row (all when None)."""
    import io

    from reportlab.lib import colors
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from app.documents import pdf

    pdf.register_fonts()
    filled = columns if filled is None else filled

    def build():
        data = [[f"h{c}" for c in range(columns)] for _ in range(header_rows)]
        data += [[(f"Nguyễn Văn Ợi {r}" if c == 1 else str(r)) if c < filled else ""
                  for c in range(columns)] for r in range(rows)]
        table = Table(data, colWidths=widths, repeatRows=header_rows)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "LiberationSerif"),
                                   ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=pdf.page_size(orientation)).build([table])
        return out.getvalue()

    return _best_of(5, build)


def sheet_ratio() -> float:
    """Over a plain table of the same size: ten sessions print in two parts of five signature
    columns (cells of at least 20 mm, issue #19), each part the 60 learners: 120 rows of 14
    columns under two header rows (the sheet's "Ký tên" over the sessions), the sheet's
    column widths, text in the eight columns the sheet fills (its signature and note cells
    are blank). The floor's rows keep reportlab's height: the sheet's room to sign is its
    own, and costs it more pages (14 against the floor's 5)."""
    from reportlab.lib.units import mm

    from app.attendance import sheets
    from app.documents import pdf

    size = sheets.per_part()
    parts = -(-10 // size)
    fixed = [w * mm for w in sheets.WIDTHS]
    room = pdf.frame_width("landscape") - sum(fixed) - sheets.NOTE_WIDTH * mm
    widths = [*fixed, *[room / size] * size, sheets.NOTE_WIDTH * mm]
    return sheet_60x10() / _plain_table(60 * parts, len(widths), header_rows=2, widths=widths,
                                        filled=len(fixed))


def report_ratio() -> float:
    return report_200x10() / _plain_table(200, 16)


def report_linearity() -> float:
    """Time per row for 1,000 learners over time per row for 200 (1.0: linear)."""
    return (_report(1000) / 1000) / (_report(200) / 200)


BENCHMARKS = [
    Benchmark("sign-in sheet, 60 learners × 10 sessions (warm)", sheet_60x10, 0.05),
    Benchmark("sign-in sheet over a plain reportlab table of that size", sheet_ratio, 1.5, "×"),
    Benchmark("attendance report, 200 learners × 10 sessions", report_200x10, 0.3),
    Benchmark("attendance report over a plain reportlab table of that size", report_ratio, 1.5,
              "×"),
    Benchmark("attendance report, time per row at 1,000 over 200 learners", report_linearity,
              1.2, "×"),
]
