"""Liberation Serif 2 (SIL OFL, metric-compatible with Times New Roman, covers Vietnamese),
registered with reportlab once per process and embedded (subset) in every PDF."""

from __future__ import annotations

import threading
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SERIF = "LiberationSerif"
SERIF_BOLD = "LiberationSerif-Bold"
SERIF_ITALIC = "LiberationSerif-Italic"
SERIF_BOLD_ITALIC = "LiberationSerif-BoldItalic"
_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
_lock = threading.Lock()
_registered = False
registrations = 0  # how many times the fonts were actually loaded (tests: once per process)


def register_fonts() -> str:
    """Register the four faces and their family (bold/italic in Paragraph markup); idempotent
    and thread-safe. Returns the family name to use in styles."""
    global _registered, registrations
    if _registered:
        return SERIF
    with _lock:
        if _registered:
            return SERIF
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC,
                                      boldItalic=SERIF_BOLD_ITALIC)
        for bold, italic, name in ((0, 0, SERIF), (1, 0, SERIF_BOLD), (0, 1, SERIF_ITALIC),
                                   (1, 1, SERIF_BOLD_ITALIC)):
            addMapping(SERIF, bold, italic, name)
        registrations += 1
        _registered = True
    return SERIF
