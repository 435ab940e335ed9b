"""Corner markers of a paper read back from a photograph: four ArUco markers (the 4×4 family of
50, ids 0 to 3), one in each corner of the page, which a reader finds with OpenCV and by
which it straightens the page (`app/sheetphotos/reader.py`).

ArUco markers rather than plain squares: their inner pattern says which corner each is, and
plain black squares were confused with the QR code's own finder patterns in 1 photo in 10 of
a prototype (issue #19). The patterns are written out below (not taken from OpenCV when a
paper is printed, so printing needs no OpenCV); a test compares them with OpenCV's
dictionary. Plain functions, no Flask.
"""

from __future__ import annotations

import re

from reportlab.lib import colors
from reportlab.lib.units import mm

# The inner 4×4 bits of ArUco DICT_4X4_50 ids 0-3, top row first ("1" is white); a black
# border of one cell goes round them, so a marker is 6 cells wide.
PATTERNS = {
    0: ("1011", "0101", "0011", "0010"),
    1: ("0000", "1111", "1001", "1010"),
    2: ("0011", "0011", "0010", "1101"),
    3: ("1001", "1001", "0100", "0110"),
}
SIZE_MM = 10.0  # a marker's side (6 cells of 1.67 mm)
INSET_MM = 6.0  # from the paper's edges, inside what a printer prints
# Which marker sits in which corner: top left, top right, bottom right, bottom left.
CORNERS = ("top left", "top right", "bottom right", "bottom left")


def positions_mm(page_width_mm: float, page_height_mm: float) -> dict[int, tuple[float, float]]:
    """The top-left corner (x, y from the page's top-left, in mm) of each marker, by id."""
    right = page_width_mm - INSET_MM - SIZE_MM
    bottom = page_height_mm - INSET_MM - SIZE_MM
    return {0: (INSET_MM, INSET_MM), 1: (right, INSET_MM), 2: (right, bottom),
            3: (INSET_MM, bottom)}


def _runs(marker: int) -> list[tuple[int, int, int]]:
    """(row, first column, length) of every run of black cells (the border included): one
    rectangle per run, so no hairline shows between two black cells."""
    runs = []
    for row in range(6):
        bits = "0" * 6 if row in (0, 5) else f"0{PATTERNS[marker][row - 1]}0"
        for found in re.finditer("0+", bits):
            runs.append((row, found.start(), found.end() - found.start()))
    return runs


def draw_markers(canvas) -> None:
    """Draw the four markers on the canvas's page: a form XObject made on the document's first
    page of that size (one filled path per marker: the black cells), used by every page."""
    width, height = canvas._pagesize
    name = f"aruco-corners-{width:.0f}x{height:.0f}"
    if not canvas.hasForm(name):
        canvas.beginForm(name)
        _draw(canvas, width, height)
        canvas.endForm()
    canvas.doForm(name)


def _draw(canvas, width: float, height: float) -> None:
    cell = SIZE_MM * mm / 6
    canvas.saveState()
    canvas.setFillColor(colors.black)
    for marker, (x_mm, y_mm) in positions_mm(width / mm, height / mm).items():
        left, top = x_mm * mm, height - y_mm * mm
        path = canvas.beginPath()
        for row, start, length in _runs(marker):
            path.rect(left + start * cell, top - (row + 1) * cell, length * cell, cell)
        canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
