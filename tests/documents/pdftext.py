"""What a PDF puts on paper, read without poppler: every text run reportlab draws, with its
page and font, recorded while the document is built.

    with drawn_text() as runs:
        data = papers.admitted_pdf(...)
    page_1 = lines(runs, page=1)

Each run is checked against its embedded font when recorded: a character the font has no
glyph for (it would print as an empty box) fails the test at once, so "the diacritics are
right" means both the exact text and a glyph for each of its letters.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas, textobject

from app.documents import textrun


@dataclass(frozen=True)
class Run:
    page: int
    font: str
    text: str
    y: float  # baseline in the drawing's own coordinates (page coordinates for text drawn
    #           straight on the canvas, such as page numbers; A4 portrait: 0 to 842)
    size: float = 0.0
    page_y: float = 0.0  # the baseline on the page (points from the bottom)
    x: float = 0.0  # where the run starts on the page
    width: float = 0.0  # how wide it is drawn


@dataclass(frozen=True)
class Line:
    """A straight line drawn on the page (rules, table borders), in page coordinates."""

    page: int
    x1: float
    x2: float
    y: float  # the height of a horizontal line (y1 for any other)
    horizontal: bool


class MissingGlyph(AssertionError):
    pass


def _check_glyphs(font_name: str, text: str) -> None:
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    glyphs = getattr(face, "charToGlyph", None)
    if glyphs is None:  # a standard Type 1 font: nothing embedded to check against
        raise MissingGlyph(f"{font_name} is not an embedded TrueType font: {text!r}")
    missing = sorted({ch for ch in text if ch.strip() and ord(ch) not in glyphs})
    if missing:
        raise MissingGlyph(f"{font_name} has no glyph for {missing} in {text!r}")


@contextmanager
def drawn_text():
    """Record the text runs drawn inside the block (in drawing order): by reportlab's text
    objects and by the papers' own (`textrun`)."""
    runs: list[Run] = []
    original = textobject.PDFTextObject._formatText

    def record(self, text):
        _check_glyphs(self._fontname, text)
        y = self._y0 if self._y is None else self._y
        x = self._x0 if getattr(self, "_x", None) is None else self._x
        a, _b, _c, d, e, f = self._canvas._currentMatrix
        runs.append(Run(self._canvas.getPageNumber(), self._fontname, text, round(y, 1),
                        self._fontsize, round(d * y + f, 2), round(a * x + e, 2),
                        round(pdfmetrics.stringWidth(text, self._fontname, self._fontsize)
                              * a, 2)))
        return original(self, text)

    def record_run(canvas, x, y, text, align="LEFT"):
        """The papers' own text runs (`app/documents/textrun.py`), recorded as reportlab's
        text object would record the same line (its y one leading below the baseline)."""
        if textrun.fast(canvas):
            font, size = canvas._fontname, canvas._fontsize
            _check_glyphs(font, text)
            shift = {"LEFT": 0, "RIGHT": 1}.get(align, 0.5) * textrun.width(text, font, size)
            below = y - canvas._leading
            a, _b, _c, d, e, f = canvas._currentMatrix
            runs.append(Run(canvas.getPageNumber(), font, text, round(below, 1), size,
                            round(d * below + f, 2), round(a * (x - shift) + e, 2),
                            round(pdfmetrics.stringWidth(text, font, size) * a, 2)))

    def draw(canvas, x, y, text, align="LEFT"):
        record_run(canvas, x, y, text, align)
        return drawn(canvas, x, y, text, align)

    def line(block, x, y, text, align="LEFT"):
        if text:
            record_run(block.canvas, x, y, text, align)
        return block_line(block, x, y, text, align)

    drawn, block_line = textrun.draw, textrun.Block.line
    textobject.PDFTextObject._formatText = record
    textrun.draw, textrun.Block.line = draw, line
    try:
        yield runs
    finally:
        textobject.PDFTextObject._formatText = original
        textrun.draw, textrun.Block.line = drawn, block_line


def texts(runs: list[Run], page: int | None = None) -> list[str]:
    return [r.text for r in runs if page is None or r.page == page]


def pages(runs: list[Run]) -> int:
    return max((r.page for r in runs), default=0)


@contextmanager
def drawn_lines():
    """Record the straight lines drawn inside the block (rules under the heading, the motto
    and the title; table borders), in page coordinates."""
    lines: list[Line] = []
    original = canvas.Canvas.line

    def record(self, x1, y1, x2, y2):
        a, _b, _c, d, e, f = self._currentMatrix
        lines.append(Line(self.getPageNumber(), round(a * x1 + e, 2), round(a * x2 + e, 2),
                          round(d * y1 + f, 2), abs(y1 - y2) < 0.01))
        return original(self, x1, y1, x2, y2)

    canvas.Canvas.line = record
    try:
        yield lines
    finally:
        canvas.Canvas.line = original
