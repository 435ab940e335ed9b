"""Shared PDF blocks: fonts once per process, heading, table, signer, page numbers."""

import shutil
import subprocess

from reportlab.platypus import Paragraph, Table

from app.documents import fonts, pdf
from app.documents.models import DEFAULTS, OrgInfo


def _texts(flowable) -> list[str]:
    """Plain text of the paragraphs inside a flowable (tables included)."""
    if isinstance(flowable, Paragraph):
        return [flowable.getPlainText()]
    if isinstance(flowable, Table):
        out = []
        for row in flowable._cellvalues:
            for cell in row:
                for item in (cell if isinstance(cell, list) else [cell]):
                    out += _texts(item)
        return out
    if hasattr(flowable, "_content"):
        return [t for f in flowable._content for t in _texts(f)]
    return []


def test_fonts_are_registered_once_per_process():
    fonts.register_fonts()
    before = fonts.registrations
    for _ in range(3):
        assert fonts.register_fonts() == fonts.SERIF
        pdf.build_pdf([pdf.para("Tiếng Việt có dấu: ắ ặ ễ ự ỹ Đ")], title="x")
    assert fonts.registrations == before == 1


def test_national_heading_and_signer_come_from_the_settings():
    org = OrgInfo(parent_body="UBND tỉnh Quảng Ngãi", issuing_body="UBND xã Sơn Hà",
                  signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH",
                  signer_name="Đinh Thị Ký")
    heading = _texts(pdf.national_heading(org, number="12/DS-UBND",
                                          place_date="Sơn Hà, ngày 05 tháng 3 năm 2025"))
    assert heading == ["UBND TỈNH QUẢNG NGÃI", "UBND XÃ SƠN HÀ", "Số: 12/DS-UBND",
                       "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                       "Sơn Hà, ngày 05 tháng 3 năm 2025"]
    signer = _texts(pdf.signature_block(org, recipients=["Lưu: VT."]))
    assert signer == ["Nơi nhận:", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đinh Thị Ký"]


def test_table_repeats_its_header_and_pages_are_numbered():
    rows = [[str(i), f"Người thứ {i}"] for i in range(1, 121)]
    table = pdf.data_table([["STT", "Họ và tên"]], rows, [40, 300])
    assert table.repeatRows == 1
    for mode in ("top", "bottom"):
        data = pdf.build_pdf([pdf.national_heading(DEFAULTS), table], title="Thử",
                             page_numbers=mode)
        assert data.startswith(b"%PDF") and b"/FontFile2" in data
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                                  capture_output=True, check=True).stdout.decode()
            pages = text.split("\f")
            assert sum("Họ và tên" in p for p in pages) >= 3
            if mode == "bottom":
                assert "Trang 1/" in pages[0] and "Trang 3/" in text
            else:
                assert pages[1].lstrip().startswith("2")


def test_recipients_heading_is_bold_italic_and_helvetica_is_never_referenced():
    block = pdf.signature_block(DEFAULTS, recipients=["Lưu: VT."])
    heading = block._content[1]._cellvalues[0][0][0]
    assert heading.getPlainText() == "Nơi nhận:"
    assert heading.style.fontName == fonts.SERIF_BOLD_ITALIC
    story = [pdf.national_heading(DEFAULTS), pdf.data_table([["STT"]], [["1"]], [40]), block]
    for mode in ("top", "bottom", None):
        data = pdf.build_pdf(story, title="Thử", page_numbers=mode)
        assert b"Helvetica" not in data, mode


def test_paragraph_text_is_escaped():
    assert pdf.para("<b>không phải thẻ</b> & ký tự").getPlainText() == (
        "<b>không phải thẻ</b> & ký tự")
