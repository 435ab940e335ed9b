"""A QR code drawn on a paper is read back by a QR reader (app/documents/qr.py)."""

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from app.documents import pdf
from app.documents.qr import QRFlowable, dark_modules
from tests.documents.rasterize import pages, qr_texts

URL = "https://taphuan.example.vn/verify/K7QX-M2PA-9WTE"


def test_a_qr_code_on_a_page_reads_back_as_its_text():
    story = [Paragraph("Giấy chứng nhận", pdf.styles()["title"]), QRFlowable(URL, 30 * mm)]
    data = pdf.build_pdf(story, title="QR")
    [page] = pages(data)
    assert qr_texts(page) == [URL]


def test_the_matrix_is_computed_once_per_text():
    dark_modules.cache_clear()
    first = dark_modules(URL)
    assert dark_modules(URL) is first and dark_modules.cache_info().hits == 1


def test_the_code_prints_as_rectangles_in_page_coordinates_print():
    """The path in units of a module (`draw_qr`) prints the pixels of one rectangle per run of
    dark modules placed in page coordinates, at 150 dpi, for codes of several sizes."""
    from PIL import ImageChops
    from reportlab.pdfgen.canvas import Canvas

    from app.documents.qr import QUIET_MODULES, dark_runs, draw_qr

    def in_page_coordinates(canvas, text, x, y, size):
        modules, runs = dark_runs(text)
        unit = size / (modules + 2 * QUIET_MODULES)
        top, left = y + size - QUIET_MODULES * unit, x + QUIET_MODULES * unit
        path = canvas.beginPath()
        for row, column, n in runs:
            path.rect(left + column * unit, top - (row + 1) * unit, n * unit, unit)
        canvas.drawPath(path, stroke=0, fill=1)

    def page(draw) -> bytes:
        import io

        out = io.BytesIO()
        canvas = Canvas(out)
        for n, text in enumerate([URL, "taphuan:sheet:12:101.102.103.104.105:3", URL * 3]):
            draw(canvas, text, 31.7 + 160.3 * n, 600.2 - 170.9 * n, (17 + 11 * n) * mm)
        canvas.save()
        return out.getvalue()

    [ours], [theirs] = pages(page(draw_qr)), pages(page(in_page_coordinates))
    assert ImageChops.difference(ours, theirs).getbbox() is None
    assert sorted(qr_texts(ours)) == sorted([URL, "taphuan:sheet:12:101.102.103.104.105:3",
                                             URL * 3])
