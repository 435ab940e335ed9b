"""Text drawn by `textrun` is what reportlab's own string drawing writes, byte for byte."""

from unittest import mock

from reportlab import rl_config
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


def test_a_sheet_is_the_bytes_reportlabs_table_writes(app):
    """The shared table's text cells (`table._Page._drawCell`) against reportlab's own
    cell drawing: the same PDF."""
    with mock.patch.object(rl_config, "invariant", 1), app.app_context():
        ours = _sheet_bytes()
        with mock.patch.object(table._Page, "_drawCell", Table._drawCell):
            theirs = _sheet_bytes()
    assert ours == theirs
    assert ours.count(b"/Type /Page\n") >= 2
