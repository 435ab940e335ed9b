"""The 500-certificate class PDF, QR codes included (issue 11): 1.5 s, and at most 1.2 × a
floor built in the same run: 500 pages of the same text with the QR matrices from segno
(fixed mask), each drawn as one path, straight on a reportlab canvas.

Both render the same 500 certificates (transient model objects: the query that loads them is
not what is measured) with distinct verification codes, so no QR matrix is reused from a cache:
`qr.dark_runs` is emptied before each run. Best of three runs each.
"""

from __future__ import annotations

import io
import time
from datetime import date, datetime

from bench import Benchmark

PAGES = 500
RUNS = 3
_figures: dict[str, float] = {}


def _certificates():
    from app.certificates.codes import new_code
    from app.certificates.models import Certificate

    names = ["Đinh Thị Hoa", "Phạm Văn Ba", "Hồ Thị An", "Đinh Văn Út", "Nguyễn Thị Bích Ngọc"]
    return [Certificate(
        code=new_code(), number=f"{i:03d}/GCN-UBND", year=2026, seq=i,
        holder_name=f"{names[i % len(names)]}", holder_gender="MF"[i % 2],
        holder_birth=f"{1 + i % 28:02d}/03/19{60 + i % 40}", holder_unit="Thôn Gò Da, xã Sơn Hà",
        class_code="TH-01", class_title="Tập huấn Chương trình MTQG giảm nghèo bền vững cho "
        "cán bộ thôn", class_place="Hội trường UBND xã Sơn Hà", start_date=date(2026, 10, 5),
        end_date=date(2026, 10, 6), issuer_lines=[["ỦY BAN NHÂN DÂN", True], ["XÃ SƠN HÀ", True]],
        issuer_name="Ủy ban nhân dân xã Sơn Hà", place_name="Sơn Hà",
        issued_on=date(2026, 10, 9), signer_authority="KT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH", signer_name="Đinh Văn Minh", revoked_at=None,
        issued_at=datetime(2026, 10, 9)) for i in range(1, PAGES + 1)]


def _url(code: str) -> str:
    return f"https://taphuan.sonha.gov.vn/verify/{code}"


def _document(certificates) -> float:
    from app.certificates.document import certificates_pdf
    from app.documents.qr import dark_runs

    dark_runs.cache_clear()
    start = time.perf_counter()
    certificates_pdf(certificates, _url)
    return time.perf_counter() - start


def _texts(certificates):
    """What each page prints, as (x, y, font, size, text), computed before the floor's clock
    starts: the floor only draws."""
    from reportlab.pdfgen import canvas

    from app.certificates import document

    class Recorder(canvas.Canvas):
        runs: list = []

        def drawString(self, x, y, text, *a, **k):  # noqa: N802 - reportlab API
            self.runs.append((x, y, self._fontname, self._fontsize, text))

        def drawCentredString(self, x, y, text, *a, **k):  # noqa: N802
            self.runs.append((x - self.stringWidth(text) / 2, y, self._fontname,
                              self._fontsize, text))

    pages = []
    for certificate in certificates:
        recorder = Recorder(io.BytesIO(), pagesize=(document.WIDTH, document.HEIGHT))
        recorder.runs = []
        document._heading(recorder, certificate)
        document._body(recorder, certificate)
        document._foot(recorder, certificate, _url(certificate.code))
        pages.append((recorder.runs, _url(certificate.code)))
    return pages


def _floor(pages) -> float:
    import segno
    from reportlab.pdfgen import canvas

    from app.certificates.document import HEIGHT, QR_SIZE, WIDTH
    from app.documents.fonts import SERIF

    start = time.perf_counter()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT), initialFontName=SERIF, pageCompression=1)
    for runs, url in pages:
        for x, y, font, size, text in runs:
            c.setFont(font, size)
            c.drawString(x, y, text)
        matrix = segno.make(url, error="m", mask=0, micro=False).matrix
        unit = QR_SIZE / (len(matrix) + 4)
        path = c.beginPath()
        for row, bits in enumerate(matrix):
            for column, bit in enumerate(bits):
                if bit:
                    path.rect(70 + (column + 2) * unit, 57 + QR_SIZE - (row + 3) * unit, unit,
                              unit)
        c.drawPath(path, stroke=0, fill=1)
        c.showPage()
    c.save()
    return time.perf_counter() - start


def _measure() -> dict[str, float]:
    if not _figures:
        from app import create_app
        from app.documents.fonts import register_fonts

        register_fonts()
        with create_app("testing").app_context():
            certificates = _certificates()
            pages = _texts(certificates)
            document, floor = [], []
            for _ in range(RUNS):  # interleaved, so both see the same machine
                document.append(_document(certificates))
                floor.append(_floor(pages))
        _figures["document"] = min(document)
        _figures["floor"] = min(floor)
    return _figures


def class_pdf() -> float:
    return _measure()["document"]


def floor() -> float:
    return _measure()["floor"]


def ratio() -> float:
    figures = _measure()
    return figures["document"] / figures["floor"]


BENCHMARKS = [
    Benchmark("500-certificate class PDF with QR codes", class_pdf, 1.5),
    Benchmark("floor: 500 pages of the same text and QR paths", floor, 1.5),
    Benchmark("certificate PDF / floor", ratio, 1.2, "x"),
]
