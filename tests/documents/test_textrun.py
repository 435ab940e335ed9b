"""Text drawn by `textrun`: a line is what reportlab's own string drawing writes, byte for
byte; a table page's lines gathered into one text object print the same pixels."""

from unittest import mock

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table

from app.documents import table, textrun
from app.documents.fonts import SERIF, SERIF_BOLD, register_fonts
from app.documents.models import DEFAULTS

# Vietnamese with every tone, characters the PDF escapes, a no-break space, an empty line,
# and more letters than one subset of the font holds (256 codes).
TEXTS = ["Nguyễn Thị Ợi", "Đinh Văn Ỵ (Hrê)", "a\\b) (c", "mã\u00a0lớp", "",
         "Lã Thị Ảnh, Phạm Thị Hạnh, Lê Văn Mẫn, Hoàng Thị Mỵ, Trương Văn Thờ, Đinh Thị Ấu",
         "Nguyễn Thị Ợi", "Trưởng thôn, bản", "½ € ₫ “ ” …"]


def _many() -> list[str]:
    from reportlab.pdfbase.pdfmetrics import getFont

    codes = [c for c in sorted(getFont(SERIF).face.charToGlyph) if 0x20 < c < 0x2000]
    return ["".join(map(chr, codes[n:n + 60])) for n in range(0, 480, 60)]


def _drawn(draw) -> list[str]:
    register_fonts()
    canvas = Canvas("unused.pdf")
    for n, text in enumerate(TEXTS + _many() + TEXTS):
        canvas.setFont((SERIF, SERIF_BOLD)[n % 2], 10 + n % 3, 12)
        draw(canvas, 30.25 + n, 700 - 12.5 * n, text, ("LEFT", "CENTER", "RIGHT")[n % 3])
    return canvas._code


def test_lines_are_the_bytes_reportlab_writes():
    def reportlab(canvas, x, y, text, align):
        {"LEFT": canvas.drawString, "CENTER": canvas.drawCentredString,
         "RIGHT": canvas.drawRightString}[align](x, y, text)

    ours = _drawn(textrun.draw)
    assert ours == _drawn(reportlab)
    assert any("+1 " in line for line in ours)  # the font's second subset was used


def _sheet_bytes() -> bytes:
    """A sheet of 23 learners (some long names that wrap) over 7 sessions (two parts)."""
    from datetime import date

    from app.attendance import sheets
    from app.classes.models import ClassSession, TrainingClass
    from app.people.models import Cadre, Position, Unit

    klass = TrainingClass(id=7, code="TH-01", title="Lớp tập huấn giảm nghèo",
                          place="Hội trường UBND xã Sơn Kỳ", start_date=date(2026, 3, 2),
                          end_date=date(2026, 3, 5))
    klass.sessions = [ClassSession(id=10 + n, date=date(2026, 3, 2 + n // 2),
                                   part=("morning", "afternoon")[n % 2]) for n in range(7)]
    position = Position(id=1, code="tt", name="Trưởng thôn, bản", level="village")
    commune = Unit(id=5, name="Sơn Kỳ", kind="commune", category="xã")
    cadres = []
    for n in range(23):
        name = ("Tôn Nữ Thị Hoàng Phương Quỳnh Nguyễn Đặng Bảo Ngọc" if n % 7 == 3
                else f"Đinh Thị Ợi {n}")
        cadre = Cadre(id=n + 1, full_name=name, gender="FM"[n % 2], birth_year=1970 + n,
                      ethnicity_code="18", level="village")
        cadre.position, cadre.commune = position, commune
        cadres.append(cadre)
    return sheets.sign_in_pdf(klass, cadres, klass.sessions, DEFAULTS, every=True)


def _reportlabs(flowable_class):
    """reportlab's own drawing of a table page (a text object per line) instead of ours."""
    return mock.patch.multiple(flowable_class, draw=Table.draw, _drawCell=Table._drawCell,
                               _drawLines=Table._drawLines,
                               _calcSpanRanges=Table._calcSpanRanges)


def test_a_sheet_prints_what_reportlabs_table_prints(app):
    """The shared table's pages (`table._Page`: the lines of a page in one text object, the
    span map over the header rows only) against reportlab's own drawing: the same pixels at
    150 dpi, the same text, a smaller PDF."""
    from PIL import ImageChops

    from tests.documents.pdftext import drawn_text
    from tests.documents.rasterize import pages

    with app.app_context(), drawn_text() as runs:
        ours = _sheet_bytes()
    with app.app_context(), _reportlabs(table._Page), drawn_text() as their_runs:
        theirs = _sheet_bytes()
    assert ours != theirs and len(ours) < len(theirs)
    assert runs == their_runs
    drawn, expected = pages(ours), pages(theirs)
    assert len(drawn) == len(expected) >= 2
    for page, other in zip(drawn, expected, strict=True):
        assert ImageChops.difference(page, other).getbbox() is None
