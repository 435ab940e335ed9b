"""QR codes on papers: the matrix from segno, drawn by reportlab as one path.

Measured for a 500-page batch (DESIGN.md §3): reportlab's own QR widget costs about 12 s, the
segno matrix drawn as one path 3.2 s, and with a fixed mask 1.25 s. The mask is fixed (segno
would otherwise try all eight to pick the best-looking one): every mask gives a valid code a
phone reads. The path holds one rectangle per run of dark modules in a row (not one per
module: about 2.4 times fewer), in units of one module from the code's top-left corner
("3 5 2 1 re": whole numbers, no formatting, a third of the bytes of page coordinates, which
a sign-in sheet's page streams and their compression are mostly made of); poppler prints the
same pixels as the rectangles in page coordinates did (tests/documents/test_qr.py). Plain
functions; no Flask, no database.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

MASK = 0
QUIET_MODULES = 2  # the light border a reader needs (4 by the standard; 2 reads reliably)


@lru_cache(maxsize=4096)
def dark_modules(text: str, error: str = "m") -> tuple[int, tuple[tuple[int, int], ...]]:
    """(size in modules, the (column, row) of every dark module) of `text`'s QR code,
    row 0 at the top. Cached: a batch of papers repeats few texts per page."""
    code = segno.make(text, error=error, mask=MASK, micro=False)
    matrix = code.matrix
    dark = tuple((x, y) for y, row in enumerate(matrix) for x, bit in enumerate(row) if bit)
    return len(matrix), dark


@lru_cache(maxsize=4096)
def dark_runs(text: str, error: str = "m") -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(size in modules, the (row, first column, length) of every run of dark modules in a
    row), row 0 at the top."""
    matrix = segno.make(text, error=error, mask=MASK, micro=False).matrix
    runs = []
    for row, bits in enumerate(matrix):
        column, width = 0, len(bits)
        while column < width:
            if bits[column]:
                start = column
                while column < width and bits[column]:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return len(matrix), tuple(runs)


def draw_qr(canvas, text: str, x: float, y: float, size: float, *, error: str = "m") -> None:
    """Draw `text`'s QR code with its bottom-left corner at (x, y), `size` points wide
    (quiet border included), as one filled path in units of a module."""
    modules, _runs = dark_runs(text, error)
    unit = size / (modules + 2 * QUIET_MODULES)
    top = y + size - QUIET_MODULES * unit
    left = x + QUIET_MODULES * unit
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    # a module's side as the unit, rows counted down from the code's top-left corner, then
    # "column row length 1 re" per run, filled as reportlab's drawPath(fill=1) fills ("f*")
    canvas._code.append(f"{fp_str(unit)} 0 0 {fp_str(-unit)} {fp_str(left, top)} cm")
    canvas._code.append(_path(text, error))
    canvas.restoreState()


@lru_cache(maxsize=4096)
def _path(text: str, error: str) -> str:
    return " ".join([f"{column} {row} {n} 1 re" for row, column, n in dark_runs(text, error)[1]]
                    ) + " f*"


class QRFlowable(Flowable):
    """A QR code in a story (a paper's body), `size` points square."""

    def __init__(self, text: str, size: float, error: str = "m"):
        super().__init__()
        self.text, self.size, self.error = text, size, error

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        draw_qr(self.canv, self.text, 0, 0, self.size, error=self.error)
