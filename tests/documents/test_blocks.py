"""Shared PDF blocks: fonts once per process, heading, table, signer, page numbers."""

from reportlab.platypus import Paragraph, Table

from app.documents import fonts, pdf
from app.documents.models import DEFAULTS, OrgInfo
from tests.documents.pdftext import MissingGlyph, drawn_text, pages, texts


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


def test_signer_comes_from_the_settings():
    org = OrgInfo(signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH",
                  signer_name="Đinh Thị Ký")
    signer = _texts(pdf.signature_block(org, recipients=["Lưu: VT."]))
    assert signer == ["Nơi nhận:", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đinh Thị Ký"]


def test_number_and_date_lines_when_a_paper_has_them():
    heading = _texts(pdf.national_heading(DEFAULTS, number="12/QĐ-UBND",
                                          place_date="Sơn Hà, ngày 05 tháng 3 năm 2025"))
    assert heading[-4:] == ["Số: 12/QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                            "Độc lập - Tự do - Hạnh phúc", "Sơn Hà, ngày 05 tháng 3 năm 2025"]
    assert not any(t.startswith("Số:") for t in _texts(pdf.national_heading(DEFAULTS)))


def test_table_repeats_its_header_and_pages_are_numbered():
    rows = [[str(i), f"Người thứ {i}"] for i in range(1, 121)]
    table = pdf.data_table([["STT", "Họ và tên"]], rows, [40, 300])
    assert table.repeatRows == 1
    for mode in ("top", "bottom"):
        with drawn_text() as runs:
            data = pdf.build_pdf([pdf.national_heading(DEFAULTS), table], title="Thử",
                                 page_numbers=mode)
        assert data.startswith(b"%PDF") and b"/FontFile2" in data
        total = pages(runs)
        assert total >= 3
        assert all("Họ và tên" in texts(runs, n) for n in range(1, total + 1))
        if mode == "bottom":
            numbers = [(r.page, r.text) for r in runs if r.text.startswith("Trang ")]
            assert numbers == [(n, f"Trang {n}/{total}") for n in range(1, total + 1)]
            assert all(r.y < 40 for r in runs if r.text.startswith("Trang "))
        else:
            numbers = [(r.page, r.text) for r in runs if r.y > 780]  # the top margin
            assert numbers == [(n, str(n)) for n in range(2, total + 1)]


def test_text_drawn_is_checked_against_the_embedded_font():
    """The helper the paper tests use: exact text, and a glyph for every letter."""
    import pytest

    with drawn_text() as runs:
        pdf.build_pdf([pdf.para("Đinh Thị Ánh Hồng, ắ ặ ễ ự ỹ")], title="x")
    assert texts(runs) == ["Đinh Thị Ánh Hồng, ắ ặ ễ ự ỹ"]
    assert runs[0].font == fonts.SERIF
    with pytest.raises(MissingGlyph), drawn_text():
        pdf.build_pdf([pdf.para("漢字")], title="x")  # no such glyphs: would print boxes


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
