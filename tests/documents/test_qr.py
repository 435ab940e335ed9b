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
