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


def _shown(canvas, text: str) -> str:
    """The operators that show `text` in the canvas's current font, as reportlab's text object
    writes them ("/F1+0 10 Tf 12 TL (...) Tj T*")."""
    key = (canvas._fontname, canvas._fontsize, canvas._leading, text)
    cache = canvas.__dict__.get(_CACHE)
    if cache is None:
        cache = canvas.__dict__[_CACHE] = {}
    code = cache.get(key)
    if code is None:
        font, doc = getFont(canvas._fontname), canvas._doc
        size = f"{fp_str(canvas._fontsize)} Tf {fp_str(canvas._leading)} TL"
        parts, current = [], -1
        for subset, chunk in font.splitString(text, doc):
            if subset != current:
                parts.append(f"{font.getSubsetInternalName(subset, doc)} {size}")
                current = subset
            parts.append(f"({canvas._escape(chunk)}) Tj")
        code = cache[key] = " ".join(parts) + " T*"
    return code


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
