"""Reading a photo of a signed sheet: find the page by its four ArUco corner markers,
straighten it, read its QR code, and say for each signature cell whether it is signed, blank,
unsure (for a person to look at) or outside the photo.

OpenCV (`opencv-python-headless`) finds the markers, straightens the page and thresholds it;
`zxing-cpp` reads the QR code. Plain functions over pixels (numpy arrays) and the cells'
boxes in mm as the sheet was printed (`sheets.SheetLayout`, kept by `prints.py`): no Flask,
no database. The method, as issue #19's prototype measured it:

- the page is warped by the markers (three are enough, with a warning; with two the photo is
  refused) to SCALE pixels per mm;
- the ink is found by an adaptive threshold (uneven light and shadows), the printed grid is
  removed by the known boxes of the cells, specks are dropped;
- an ink blob counts for a cell only when at least a fifth of it lies inside that cell, so a
  signature spilling into the next row is not read as that row's;
- a cell is signed above SIGNED, blank below BLANK, unsure between;
- a cell any corner of which lies outside the photo is "outside": never proposed absent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from app.documents import markers

SCALE = 5.0  # pixels per mm of the straightened page
QR_SCALE = 10.0  # pixels per mm when the QR code is read from the straightened page
MIN_SIDE = 900  # a photo narrower than this (pixels) is too small to read
MIN_MARKER = 14  # a marker's side in the photo (pixels) below which the page is too far
GRID_BAND_MM = 1.0  # the band inside each edge of a cell that is not measured
LINE_MM = 12.0  # a straight run of ink this long is a printed line, not a stroke
BRIDGE_MM = 1.4  # strokes cut by a removed line are joined across a gap this wide
MIN_BLOB_MM2 = 1.2  # ink blobs smaller than this are specks
OWN_SHARE = 0.2  # the share of a blob that must lie in a cell for the cell to count it
SHARED_SHARE = 0.4  # a blob this much in a cell is its own even if more lies elsewhere
SIGNED = 0.015  # ink share of a cell's inside above which it is signed
BLANK = 0.006  # below which it is blank (between the two: unsure)
DECISIONS = ("signed", "blank", "unsure", "outside")


class Unreadable(Exception):  # noqa: N818 - a reason, not a programming error
    """A photo that cannot be read: `reason` ("small", "far", "corners", "two_pages"), the
    markers found (by corner name)."""

    def __init__(self, reason: str, found: Sequence[str] = ()):
        super().__init__(reason)
        self.reason, self.found = reason, tuple(found)


@dataclass
class Located:
    """A page found in a photo: the homography from the photo's pixels to the page's mm, the
    corners whose marker was found, the photo's size (width, height)."""

    homography: np.ndarray
    found: tuple[str, ...]
    size: tuple[int, int]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c for c in markers.CORNERS if c not in self.found)


@dataclass
class CellResult:
    decision: str
    ink: float  # the share of the cell's inside that its own ink covers


@dataclass
class PageResult:
    cells: list[CellResult] = field(default_factory=list)


def decode(data: bytes) -> np.ndarray:
    """The photo as a grey image (the bytes of a JPG or PNG); ValueError if not an image."""
    gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise ValueError("not an image")
    return gray


def _detector():
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    return cv2.aruco.ArucoDetector(dictionary, cv2.aruco.DetectorParameters())


def locate(gray: np.ndarray, page_mm: tuple[float, float]) -> Located:
    """Find the page in the photo by its markers; Unreadable when it cannot be."""
    height, width = gray.shape[:2]
    if min(height, width) < MIN_SIDE:
        raise Unreadable("small")
    corners, ids, _rejected = _detector().detectMarkers(gray)
    seen: dict[int, np.ndarray] = {}
    twice = False
    for quad, marker in zip(corners, [] if ids is None else ids.ravel(), strict=False):
        if marker not in markers.PATTERNS:
            continue
        twice |= int(marker) in seen
        seen[int(marker)] = quad.reshape(4, 2)
    found = tuple(markers.CORNERS[m] for m in sorted(seen))
    if twice:
        raise Unreadable("two_pages", found)
    if len(seen) < 3:
        raise Unreadable("corners", found)
    sides = [np.linalg.norm(q[0] - q[1]) for q in seen.values()]
    if min(sides) < MIN_MARKER:
        raise Unreadable("far", found)
    places = markers.positions_mm(*page_mm)
    source, target = [], []
    s = markers.SIZE_MM
    for marker, quad in seen.items():
        x, y = places[marker]
        source += quad.tolist()
        target += [[x, y], [x + s, y], [x + s, y + s], [x, y + s]]
    homography, _mask = cv2.findHomography(np.float32(source), np.float32(target), 0)
    if homography is None:
        raise Unreadable("corners", found)
    return Located(homography, found, (width, height))


def _scaled(located: Located, scale: float, origin_mm=(0.0, 0.0)) -> np.ndarray:
    """The homography from the photo to the page in pixels at `scale`, `origin_mm` at 0,0."""
    shift = np.array([[scale, 0, -origin_mm[0] * scale], [0, scale, -origin_mm[1] * scale],
                      [0, 0, 1]])
    return shift @ located.homography


def straighten(gray: np.ndarray, located: Located, page_mm, scale: float = SCALE,
               box_mm=None) -> np.ndarray:
    """The page (or the part `box_mm` = (x, y, w, h) of it) as seen straight, `scale` px/mm;
    what lies outside the photo is white."""
    x, y, w, h = box_mm or (0.0, 0.0, *page_mm)
    size = (int(round(w * scale)), int(round(h * scale)))
    return cv2.warpPerspective(gray, _scaled(located, scale, (x, y)), size,
                               flags=cv2.INTER_LINEAR, borderValue=255)


def read_qr(gray: np.ndarray, located: Located | None, qr_box_mm) -> list[str]:
    """The texts of the QR codes found: in the straightened QR corner first (cheap and sharp),
    in the whole photo when that finds nothing."""
    import zxingcpp

    texts: list[str] = []
    if located is not None:
        x, y, side = qr_box_mm
        pad = 4.0
        crop = straighten(gray, located, None, QR_SCALE, (x - pad, y - pad, side + 2 * pad,
                                                           side + 2 * pad))
        texts = [r.text for r in zxingcpp.read_barcodes(crop) if r.text]
    if not texts:
        texts = [r.text for r in zxingcpp.read_barcodes(gray) if r.text]
    return texts


def _outside(located: Located, box) -> bool:
    """Any corner of the cell's box (mm) falls outside the photo."""
    x, y, w, h = box
    points = np.float32([[[x, y]], [[x + w, y]], [[x + w, y + h]], [[x, y + h]]])
    inverse = np.linalg.inv(located.homography)
    photo = cv2.perspectiveTransform(points, inverse).reshape(4, 2)
    width, height = located.size
    return bool(np.any(photo < 0) or np.any(photo[:, 0] >= width)
                or np.any(photo[:, 1] >= height))


def read_cells(gray: np.ndarray, located: Located, page_mm,
               boxes: Sequence[Sequence[float]]) -> PageResult:
    """The decision for each cell box (x, y, w, h in mm, as printed), in the order given:
    the printed order, row by row, left to right (a blob belongs to the first cell)."""
    result = PageResult()
    if not boxes:
        return result
    # Only the part of the page that holds the cells (and a margin) is straightened.
    left = max(min(b[0] for b in boxes) - 3, 0)
    top = max(min(b[1] for b in boxes) - 3, 0)
    right = min(max(b[0] + b[2] for b in boxes) + 3, page_mm[0])
    bottom = min(max(b[1] + b[3] for b in boxes) + 3, page_mm[1])
    area = (left, top, right - left, bottom - top)
    page = straighten(gray, located, page_mm, SCALE, area)
    block = int(SCALE * 8) | 1
    ink = cv2.adaptiveThreshold(page, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                block, 12)
    # The printed grid: long straight runs of ink (longer than any stroke of a signature is
    # straight) are lines, taken out; the strokes they cut are joined again (closing), so a
    # signature that crosses a line stays one blob.
    long = int(LINE_MM * SCALE)
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (long, 1))) | cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                                                        cv2.getStructuringElement(
                                                            cv2.MORPH_RECT, (1, long)))
    ink &= ~cv2.dilate(lines, np.ones((3, 3), np.uint8))
    # across a removed horizontal line a stroke is joined up and down, across a vertical one
    # left and right (the gap is the line's width and a pixel each side)
    bridge = int(BRIDGE_MM * SCALE) | 1
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8))
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8))
    band = max(1, int(round(GRID_BAND_MM * SCALE)))
    pixels = [(int(round((b[0] - left) * SCALE)), int(round((b[1] - top) * SCALE)),
               int(round((b[0] + b[2] - left) * SCALE)), int(round((b[1] + b[3] - top) * SCALE)))
              for b in boxes]
    count, labels, stats, _centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    sizes = stats[:, cv2.CC_STAT_AREA].astype(np.float64)
    sizes[0] = np.inf  # the background
    big = sizes >= MIN_BLOB_MM2 * SCALE * SCALE
    # Per cell, the pixels of each blob inside it; a blob belongs to one cell (below), and
    # counts in another only for "unsure" (a signature spilling into the next row).
    outside = [_outside(located, box) for box in boxes]
    held = np.zeros((len(boxes), count), np.float64)
    areas = np.ones(len(boxes))
    for n, (x0, y0, x1, y1) in enumerate(pixels):
        inside = labels[y0 + band:y1 - band, x0 + band:x1 - band]
        if inside.size and not outside[n]:
            held[n] = np.bincount(inside.ravel(), minlength=count)
            areas[n] = inside.size
    counted = (held >= OWN_SHARE * sizes) & big
    # Mine: the first cell (reading row by row, left to right) that holds a fifth of the blob
    # (a signature runs down or right into the next cell, hardly ever up or left), or a
    # cell that holds a large part of it (two signatures touching).
    first = np.zeros_like(counted)
    if len(boxes):
        first[counted.argmax(axis=0), np.arange(count)] = True
    major = counted & (first | (held >= SHARED_SHARE * sizes))
    for n in range(len(boxes)):
        if outside[n]:
            result.cells.append(CellResult("outside", 0.0))
            continue
        mine = float(held[n][major[n]].sum()) / areas[n]
        near = float(held[n][counted[n]].sum()) / areas[n]
        decision = "signed" if mine >= SIGNED else "unsure" if near >= BLANK else "blank"
        result.cells.append(CellResult(decision, round(float(mine), 4)))
    return result


def crop(gray: np.ndarray, located: Located, page_mm, box, scale: float = 4.0) -> np.ndarray:
    """The cell `box` (mm) as seen straight, a little wider than the cell, for a person."""
    x, y, w, h = box
    return straighten(gray, located, page_mm, scale, (x - 1, y - 1, w + 2, h + 2))
