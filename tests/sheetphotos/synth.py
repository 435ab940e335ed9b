"""Synthetic photos of signed sheets, for the tests and the benchmark (bench/bench_sheet_photo.py).

A real sheet (the PDF the app prints, rendered by pypdfium2) is signed with synthetic
signatures (random strokes of varying pressure, some spilling into the next row) in the cells
chosen, then "photographed": perspective, rotation, blur, uneven light and a shadow, specks
of dirt, JPEG. Everything is drawn from a seeded random generator: the same seed gives the
same photo. These are synthetic figures: how the reader does on real phones is for a pilot
to measure (README, "Reading photos of signed sheets").
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

CORNER_SHIFT = (0.10, 0.0)  # where `cut="corner"` moves the page (share of the frame)
CORNER_ANGLE = -7.0


@dataclass
class Photo:
    jpeg: bytes
    signed: set[int]  # the indices (in the page's cells) of the cells signed
    outside: set[int]  # the cells that lie (partly) outside the photo
    corners_in: int  # how many corner markers are in the photo


def render(pdf: bytes, page: int, dpi: int = 300) -> np.ndarray:
    """The page (1-based) of the PDF as a grey image."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[page - 1].render(scale=dpi / 72, grayscale=True)
        image = np.array(bitmap.to_numpy()).copy()
    finally:
        document.close()
    return image[:, :, 0] if image.ndim == 3 else image


def _stroke(canvas: np.ndarray, rng, points: np.ndarray, width: float, ink: int) -> None:
    """A smooth stroke through `points` (px), its width and darkness varying (pressure)."""
    t = np.linspace(0, 1, 40)
    count = len(points)
    # a Catmull-Rom-like path: linear interpolation over a smoothed polyline
    smooth = np.array([np.interp(t * (count - 1), np.arange(count), points[:, k])
                       for k in (0, 1)]).T
    for (x0, y0), (x1, y1), pressure in zip(smooth[:-1], smooth[1:],
                                            rng.uniform(0.6, 1.2, len(smooth) - 1),
                                            strict=True):
        thickness = max(1, int(round(width * pressure)))
        shade = int(min(200, ink / pressure))
        cv2.line(canvas, (int(x0), int(y0)), (int(x1), int(y1)), shade, thickness,
                 cv2.LINE_AA)


def sign(page: np.ndarray, rng, boxes_px, chosen, spill: float = 0.25) -> None:
    """Draw a signature in each chosen cell box (x, y, w, h in px), in place; about `spill` of
    them run down into the row below."""
    for index in chosen:
        x, y, w, h = boxes_px[index]
        ink = int(rng.uniform(10, 90))
        width = rng.uniform(0.003, 0.007) * page.shape[1] / 3
        strokes = int(rng.integers(1, 4))
        spills = rng.random() < spill
        for stroke in range(strokes):
            n = int(rng.integers(4, 9))
            xs = np.sort(rng.uniform(x + 0.1 * w, x + 0.9 * w, n))
            ys = rng.uniform(y + 0.2 * h, y + 0.8 * h, n)
            if spills and stroke == strokes - 1:  # a tail or a loop down into the next row
                ys[int(rng.integers(1, n))] = y + h * rng.uniform(1.05, 1.45)
            _stroke(page, rng, np.stack([xs, ys], axis=1), width, ink)


def photograph(page: np.ndarray, rng, *, size=(4000, 3000), cut: str | None = None,
               quality: int | None = None) -> tuple[bytes, np.ndarray]:
    """The page photographed into an image of `size` (width, height): perspective, rotation,
    light, shadow, blur, specks, JPEG. `cut` ("left", "bottom"...) pushes that edge out of the
    frame. Returns the JPEG and the homography from the page's pixels to the photo's."""
    height, width = page.shape
    out_w, out_h = size
    fill = rng.uniform(0.78, 0.92) if cut != "corner" else 0.9
    scale = min(out_w / width, out_h / height) * fill
    angle = np.deg2rad(rng.uniform(-8, 8))
    wander = 0.03 if cut != "corner" else 0.0
    centre = np.array([out_w / 2, out_h / 2]) + rng.uniform(-wander, wander, 2) * [out_w, out_h]
    if cut == "bottom":
        centre[1] += out_h * 0.14
    elif cut == "left":
        centre[0] -= out_w * 0.16
    elif cut == "corner":  # the bottom-right corner out of the frame, the other three in
        angle = np.deg2rad(CORNER_ANGLE)
        centre += [out_w * CORNER_SHIFT[0], out_h * CORNER_SHIFT[1]]
    corners = np.array([[-width / 2, -height / 2], [width / 2, -height / 2],
                        [width / 2, height / 2], [-width / 2, height / 2]]) * scale
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    target = corners @ rotation.T + centre
    jitter = 0.035 if cut != "corner" else 0.01
    target += rng.uniform(-jitter, jitter, (4, 2)) * [out_w, out_h]  # perspective
    source = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    homography = cv2.getPerspectiveTransform(source, np.float32(target))
    background = int(rng.uniform(60, 140))
    photo = cv2.warpPerspective(page, homography, (out_w, out_h), flags=cv2.INTER_AREA,
                                borderValue=background).astype(np.float32)
    # uneven light: a gradient across the photo, and a soft shadow over part of it (made at an
    # eighth of the size, then enlarged: both are smooth)
    small = (out_w // 8, out_h // 8)
    xs, ys = np.meshgrid(np.linspace(-1, 1, small[0], dtype=np.float32),
                         np.linspace(-1, 1, small[1], dtype=np.float32))
    direction = rng.uniform(-1, 1, 2)
    light = 1 - 0.22 * rng.random() * (1 + direction[0] * xs + direction[1] * ys) / 2
    if rng.random() < 0.6:
        edge = rng.uniform(-0.6, 0.6)
        mask = (xs * rng.uniform(-1, 1) + ys * rng.uniform(-1, 1) > edge).astype(np.float32)
        mask = cv2.GaussianBlur(mask, (0, 0), small[0] / 60)
        light = light * (1 - mask * rng.uniform(0.25, 0.45))
    photo *= cv2.resize(light.astype(np.float32), (out_w, out_h),
                        interpolation=cv2.INTER_LINEAR)
    sigma = rng.uniform(0.4, 1.6)
    photo = cv2.GaussianBlur(photo, (0, 0), sigma)
    photo += rng.standard_normal(photo.shape, dtype=np.float32) * 3
    for _ in range(int(rng.integers(5, 40))):  # specks of dirt
        x, y = int(rng.integers(0, out_w)), int(rng.integers(0, out_h))
        cv2.circle(photo, (x, y), int(rng.integers(1, 4)), float(rng.uniform(20, 90)), -1)
    photo = np.clip(photo, 0, 255).astype(np.uint8)
    quality = quality or int(rng.integers(50, 89))
    ok, jpeg = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return jpeg.tobytes(), homography


def signed_photo(pdf: bytes, page: int, boxes_mm, seed: int, *, share: float = 0.7,
                 size=(4000, 3000), cut: str | None = None, dpi: int = 300,
                 chosen: set[int] | None = None, spill: float = 0.25,
                 quality: int | None = None) -> Photo:
    """A photo of page `page` of the sheet with about `share` of its cells (`boxes_mm`, the
    page's cells as the print recorded them) signed, or the cells `chosen`."""
    rng = np.random.default_rng(seed)
    image = render(pdf, page, dpi)
    per_mm = dpi / 25.4
    boxes_px = [tuple(v * per_mm for v in box) for box in boxes_mm]
    drawn = {i for i in range(len(boxes_px)) if rng.random() < share}
    chosen = drawn if chosen is None else set(chosen)
    sign(image, rng, boxes_px, sorted(chosen), spill)
    jpeg, homography = photograph(image, rng, size=size, cut=cut, quality=quality)
    outside = set()
    for i, (x, y, w, h) in enumerate(boxes_px):
        points = np.float32([[[x, y]], [[x + w, y]], [[x + w, y + h]], [[x, y + h]]])
        mapped = cv2.perspectiveTransform(points, homography).reshape(4, 2)
        if (mapped < 0).any() or (mapped[:, 0] >= size[0]).any() or \
                (mapped[:, 1] >= size[1]).any():
            outside.add(i)
    from app.documents import markers

    inside = 0
    for x, y in markers.positions_mm(image.shape[1] / per_mm, image.shape[0] / per_mm).values():
        s = markers.SIZE_MM
        points = np.float32([[[(x + dx) * per_mm, (y + dy) * per_mm]]
                             for dx in (0, s) for dy in (0, s)])
        mapped = cv2.perspectiveTransform(points, homography).reshape(4, 2)
        inside += bool((mapped >= 0).all() and (mapped[:, 0] < size[0]).all()
                       and (mapped[:, 1] < size[1]).all())
    return Photo(jpeg, chosen, outside, inside)
