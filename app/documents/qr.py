"""QR codes on papers: the matrix from segno, drawn by reportlab as one path.

Measured for a 500-page batch (DESIGN.md §3): reportlab's own QR widget costs about 12 s, the
segno matrix drawn as one path 3.2 s, and with a fixed mask 1.25 s. The mask is fixed (segno
would otherwise try all eight to pick the best-looking one): every mask gives a valid code a
phone reads. The path holds one rectangle per run of dark modules in a row (not one per
module: about 2.4 times fewer), its numbers formatted once per column and row, which halves
the cost of drawing (bench/bench_certificates.py). Plain functions; no Flask, no database.
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
    (quiet border included), as one filled path."""
    modules, runs = dark_runs(text, error)
    unit = size / (modules + 2 * QUIET_MODULES)
    top = y + size - QUIET_MODULES * unit
    left = x + QUIET_MODULES * unit
    xs = [fp_str(left + column * unit) for column in range(modules)]
    ys = [fp_str(top - (row + 1) * unit) for row in range(modules)]
    widths = [fp_str(n * unit) for n in range(modules + 1)]
    height = fp_str(unit)
    path = canvas.beginPath()
    # PDFPathObject.rect, with the numbers formatted above: "x y w h re" per run.
    path._code.extend([f"{xs[column]} {ys[row]} {widths[n]} {height} re"
                       for row, column, n in runs])
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


class QRFlowable(Flowable):
    """A QR code in a story (a paper's body), `size` points square."""

    def __init__(self, text: str, size: float, error: str = "m"):
        super().__init__()
        self.text, self.size, self.error = text, size, error

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        draw_qr(self.canv, self.text, 0, 0, self.size, error=self.error)
