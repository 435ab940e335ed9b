"""Lines of text written to a reportlab canvas byte for byte as `canvas.drawString` (and its
centred and right-aligned kin) writes them, at a fraction of the cost.

reportlab builds a text object for every string it draws, measures it and encodes it into the
embedded font's subsets each time; a paper repeats its texts (a sheet's commune, position,
"Nam"/"Nữ" in every row), so the encoded operators of a text are made once per document and
kept on its canvas. The font's subsets are filled in the same order as before (a text is
encoded the first time it is drawn), so the PDF is the same bytes
(`tests/documents/test_textrun.py`). Only for the embedded TrueType fonts on a bottom-up
canvas; anything else goes through reportlab's own methods.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

_CACHE = "_taphuan_shown"  # on the canvas: {(font, size, leading, text): operators}


@lru_cache(maxsize=8192)
def width(text: str, font_name: str, size: float) -> float:
    """`stringWidth`, remembered (fonts' metrics do not change)."""
    return stringWidth(text, font_name, size)


def fast(canvas) -> bool:
    """Whether the canvas's current font can be drawn here (an embedded TrueType font)."""
    return canvas.bottomup and getFont(canvas._fontname)._dynamicFont


def _segments(canvas, text: str) -> tuple[tuple[str, str], ...]:
    """`text` in the canvas's current font as (font operator, text operator) pairs, one per
    run of letters in one subset of the font: ("/F1+0 10 Tf 12 TL", "(...) Tj")."""
    key = (canvas._fontname, canvas._fontsize, canvas._leading, text)
    cache = canvas.__dict__.get(_CACHE)
    if cache is None:
        cache = canvas.__dict__[_CACHE] = {}
    found = cache.get(key)
    if found is None:
        font, doc = getFont(canvas._fontname), canvas._doc
        size = f"{fp_str(canvas._fontsize)} Tf {fp_str(canvas._leading)} TL"
        found = cache[key] = tuple(
            (f"{font.getSubsetInternalName(subset, doc)} {size}", f"({canvas._escape(chunk)}) Tj")
            for subset, chunk in font.splitString(text, doc))
    return found


def _shown(canvas, text: str) -> str:
    """The operators that show `text` in the canvas's current font, as reportlab's text object
    writes them ("/F1+0 10 Tf 12 TL (...) Tj T*")."""
    parts, current = [], None
    for font, shown in _segments(canvas, text):
        if font != current:
            parts.append(font)
            current = font
        parts.append(shown)
    return " ".join(parts) + " T*"


def draw(canvas, x: float, y: float, text: str, align: str = "LEFT") -> None:
    """`canvas.drawString(x, y, text)` ("LEFT"), `drawCentredString` ("CENTER", "CENTRE") or
    `drawRightString` ("RIGHT"), in the canvas's current font."""
    if not fast(canvas):
        {"LEFT": canvas.drawString, "RIGHT": canvas.drawRightString}.get(
            align, canvas.drawCentredString)(x, y, text)
        return
    if align != "LEFT":
        shift = width(text, canvas._fontname, canvas._fontsize)
        x = x - (shift if align == "RIGHT" else 0.5 * shift)
    canvas._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {_shown(canvas, text)} ET")


class Block:
    """Lines of text gathered into one text object (one BT ... ET, the font named when it
    changes), where `draw` writes a text object per line: what a page of a table draws, the
    same letters at the same places (a page's lines repeat nothing but their position)."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.code: list[str] = []
        self.font = ""
        self.fast: dict[str, bool] = {}  # by font name: whether `fast`

    def line(self, x: float, y: float, text: str, align: str = "LEFT") -> None:
        """As `draw`: `text` in the canvas's current font from (x, y), centred on x or ending
        at x."""
        canvas = self.canvas
        if not text:
            return  # an empty line draws nothing
        name = canvas._fontname
        plain = self.fast.get(name)
        if plain is None:
            plain = self.fast[name] = fast(canvas)
        if not plain:
            self.close()
            draw(canvas, x, y, text, align)
            return
        if align != "LEFT":
            shift = width(text, name, canvas._fontsize)
            x = x - (shift if align == "RIGHT" else 0.5 * shift)
        code = self.code
        code.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for font, shown in _segments(canvas, text):
            if font != self.font:
                code.append(font)
                self.font = font
            code.append(shown)

    def close(self) -> None:
        """Write the lines gathered so far to the canvas (before anything else is drawn)."""
        if self.code:
            self.canvas._code.append(f"BT {' '.join(self.code)} ET")
            self.code, self.font = [], ""
