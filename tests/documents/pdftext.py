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
from reportlab.pdfgen import textobject


@dataclass(frozen=True)
class Run:
    page: int
    font: str
    text: str
    y: float  # baseline in the drawing's own coordinates (page coordinates for text drawn
    #           straight on the canvas, such as page numbers; A4 portrait: 0 to 842)


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
    """Record the text runs drawn by reportlab inside the block (in drawing order)."""
    runs: list[Run] = []
    original = textobject.PDFTextObject._formatText

    def record(self, text):
        _check_glyphs(self._fontname, text)
        runs.append(Run(self._canvas.getPageNumber(), self._fontname, text,
                        round(self._y0 if self._y is None else self._y, 1)))
        return original(self, text)

    textobject.PDFTextObject._formatText = record
    try:
        yield runs
    finally:
        textobject.PDFTextObject._formatText = original


def texts(runs: list[Run], page: int | None = None) -> list[str]:
    return [r.text for r in runs if page is None or r.page == page]


def pages(runs: list[Run]) -> int:
    return max((r.page for r in runs), default=0)
