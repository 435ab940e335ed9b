"""The certificate as printed: A4 landscape, one page per certificate, in the layout of
Nghị định 30/2020/NĐ-CP, Phụ lục I (docs/PAPERS.md, "The certificate").

    ┌──────────────────────────────────────────────────────────────────────┐
    │  ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM        │
    │    XÃ SƠN HÀ                    Độc lập - Tự do - Hạnh phúc          │
    │  Số: 015/GCN-UBND                                                    │
    │                       GIẤY CHỨNG NHẬN                                │
    │               Chứng nhận bà: ĐINH THỊ RIN                            │
    │        Sinh ngày ... · Đơn vị ... · Đã hoàn thành lớp tập huấn ...   │
    │  [QR] Mã xác minh              Sơn Hà, ngày 08 tháng 11 năm 2026     │
    │       Số vào sổ                 KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name   │
    └──────────────────────────────────────────────────────────────────────┘

Drawn straight on the canvas (no layout engine): a page is about twenty strings and the QR
code as one path (`app.documents.qr`), so 500 pages cost little more than the floor the
benchmark builds (bench/bench_certificates.py). Everything printed comes from the frozen
certificate; the verification address from the caller. Plain functions, no Flask.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

from app.documents import pdf
from app.documents.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts
from app.documents.qr import draw_qr
from app.vietnamese import format_date, format_place_date

WIDTH, HEIGHT = landscape(A4)
LEFT, RIGHT = 25 * mm, WIDTH - 20 * mm
TOP = HEIGHT - 22 * mm
TITLE = "GIẤY CHỨNG NHẬN"
TITLE_COLOUR = colors.Color(0.72, 0.07, 0.07)
QR_SIZE = 27 * mm


@lru_cache(maxsize=1)
def _columns() -> tuple[float, float, float]:
    """The centres of the heading's two columns and the left one's width."""
    register_fonts()
    left_w, right_w = pdf.heading_columns(RIGHT - LEFT)
    return LEFT + left_w / 2, LEFT + left_w + right_w / 2, left_w


def _centred(c, text: str, x: float, y: float, font: str, size: float) -> None:
    c.setFont(font, size)
    c.drawCentredString(x, y, text)


def _rule(c, x: float, y: float, width: float) -> None:
    c.setLineWidth(0.6)
    c.line(x - width / 2, y, x + width / 2, y)


def _frame(c) -> None:
    c.setStrokeColor(TITLE_COLOUR)
    c.setLineWidth(2)
    c.rect(10 * mm, 10 * mm, WIDTH - 20 * mm, HEIGHT - 20 * mm)
    c.setLineWidth(0.6)
    c.rect(12 * mm, 12 * mm, WIDTH - 24 * mm, HEIGHT - 24 * mm)
    c.setStrokeColor(colors.black)


def _heading(c, certificate) -> None:
    left_x, right_x, left_w = _columns()
    lines = [pdf.HeadingLine(text, bool(bold)) for text, bold in certificate.issuer_lines]
    y = TOP
    for line in lines:
        _centred(c, line.text, left_x, y, SERIF_BOLD if line.bold else SERIF, pdf.HEADING_SIZE)
        y -= 15
    _rule(c, left_x, y + 15 - 5, pdf.rule_width(lines))
    _centred(c, f"Số: {certificate.number}", left_x, y - 8, SERIF, 13)
    _centred(c, pdf.NATIONAL_NAME, right_x, TOP, SERIF_BOLD, pdf.NATIONAL_SIZE)
    _centred(c, pdf.MOTTO, right_x, TOP - 15.5, SERIF_BOLD, 13)
    _rule(c, right_x, TOP - 15.5 - 5, stringWidth(pdf.MOTTO, SERIF_BOLD, 13))


def holder_word(gender: str) -> str:
    return "bà" if gender == "F" else "ông"


def body_lines(certificate) -> list[tuple[str, str, float]]:
    """The body as (text, font, size) lines under the title, centred."""
    birth = certificate.holder_birth
    born = f"Sinh ngày: {birth}" if "/" in birth else f"Năm sinh: {birth}"
    lines = [(born, SERIF, 14)]
    if certificate.holder_unit:
        lines.append((f"Đơn vị: {certificate.holder_unit}", SERIF, 14))
    lines.append(("Đã hoàn thành lớp tập huấn", SERIF, 14))
    for part in simpleSplit(f"“{certificate.class_title}”", SERIF_BOLD, 16, RIGHT - LEFT - 80):
        lines.append((part, SERIF_BOLD, 16))
    when = (f"Mã lớp {certificate.class_code}, từ ngày {format_date(certificate.start_date)} "
            f"đến ngày {format_date(certificate.end_date)}, tại {certificate.class_place}.")
    for part in simpleSplit(when, SERIF, 14, RIGHT - LEFT - 80):
        lines.append((part, SERIF, 14))
    return lines


def _body(c, certificate) -> None:
    middle = (LEFT + RIGHT) / 2
    c.setFillColor(TITLE_COLOUR)
    _centred(c, TITLE, middle, TOP - 95, SERIF_BOLD, 32)
    c.setFillColor(colors.black)
    lead = f"Chứng nhận {holder_word(certificate.holder_gender)}: "
    name = certificate.holder_name.upper()
    lead_w, name_w = stringWidth(lead, SERIF, 15), stringWidth(name, SERIF_BOLD, 17)
    y = TOP - 138
    x = middle - (lead_w + name_w) / 2
    c.setFont(SERIF, 15)
    c.drawString(x, y, lead)
    c.setFont(SERIF_BOLD, 17)
    c.drawString(x + lead_w, y, name)
    y -= 28
    for text, font, size in body_lines(certificate):
        _centred(c, text, middle, y, font, size)
        y -= size + 10


def _foot(c, certificate, url: str) -> None:
    _left_x, right_x, _w = _columns()
    bottom = 20 * mm
    draw_qr(c, url, LEFT, bottom, QR_SIZE)
    x = LEFT + QR_SIZE + 4
    c.setFont(SERIF, 11)
    c.drawString(x, bottom + QR_SIZE - 16, "Mã xác minh:")
    c.setFont(SERIF_BOLD, 13)
    c.drawString(x, bottom + QR_SIZE - 31, certificate.shown_code)
    c.setFont(SERIF, 10)
    c.drawString(x, bottom + QR_SIZE - 45, "Quét mã QR hoặc nhập mã tại")
    c.drawString(x, bottom + QR_SIZE - 57, url.rsplit("/", 1)[0])
    c.drawString(x, bottom + 4, f"Số vào sổ: {certificate.register_number}")
    y = bottom + 112
    _centred(c, format_place_date(certificate.place_name, certificate.issued_on), right_x, y,
             SERIF_ITALIC, 14)
    y -= 19
    for line in (certificate.signer_authority, certificate.signer_title):
        if line:
            _centred(c, line.upper(), right_x, y, SERIF_BOLD, 14)
            y -= 17
    _centred(c, certificate.signer_name, right_x, bottom + 4, SERIF_BOLD, 14)


def _revoked_mark(c, certificate) -> None:
    c.saveState()
    c.setFillColor(colors.Color(0.8, 0, 0, alpha=0.35))
    c.translate(WIDTH / 2, HEIGHT / 2)
    c.rotate(20)
    _centred(c, "ĐÃ THU HỒI", 0, 0, SERIF_BOLD, 64)
    when = format_date(certificate.revoked_on)
    _centred(c, f"ngày {when}", 0, -30, SERIF_BOLD, 22)
    c.restoreState()


def draw_page(c, certificate, url: str) -> None:
    _frame(c)
    _heading(c, certificate)
    _body(c, certificate)
    _foot(c, certificate, url)
    if certificate.revoked_at is not None:
        _revoked_mark(c, certificate)
    c.showPage()


def certificates_pdf(certificates: Sequence, verify_url: Callable[[str], str], *,
                     title: str = "Giấy chứng nhận") -> bytes:
    """One page per certificate, in the order given; `verify_url(code)` is the address the QR
    code and the foot print."""
    register_fonts()
    out = io.BytesIO()
    c = rl_canvas.Canvas(out, pagesize=(WIDTH, HEIGHT), initialFontName=SERIF,
                         initialFontSize=13, pageCompression=1, lang="vi")
    c.setTitle(title)
    c.setCreator("taphuan")
    for certificate in certificates:
        draw_page(c, certificate, verify_url(certificate.code))
    c.save()
    return out.getvalue()
