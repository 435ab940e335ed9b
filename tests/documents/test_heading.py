"""The issuer's heading by kind (Nghị định 30/2020/NĐ-CP, Phụ lục I), read back from the PDF:
a People's Committee heads with its own name written out and no parent; an office or a
department carries its parent above it, upright. The rules under the issuer and the motto
stand clear of the letters, at the lengths the decree gives."""

import pytest

from app.documents import pdf
from app.documents.fonts import SERIF, SERIF_BOLD
from app.documents.models import OrgInfo
from tests.documents.pdftext import drawn_lines, drawn_text

SON_HA = OrgInfo()  # the defaults: the People's Committee of xã Sơn Hà
KINDS = {
    "commune_pc": (SON_HA, [("ỦY BAN NHÂN DÂN", True), ("XÃ SƠN HÀ", True)]),
    "commune_office": (
        OrgInfo(issuer_kind="commune_office", office_name="Phòng Văn hóa - Xã hội"),
        [("ỦY BAN NHÂN DÂN XÃ SƠN HÀ", False), ("PHÒNG VĂN HÓA - XÃ HỘI", True)]),
    "province_pc": (
        OrgInfo(issuer_kind="province_pc", unit_title="tỉnh Quảng Ngãi"),
        [("ỦY BAN NHÂN DÂN", True), ("TỈNH QUẢNG NGÃI", True)]),
    "province_department": (
        OrgInfo(issuer_kind="province_department", unit_title="tỉnh Quảng Ngãi",
                office_name="Sở Nông nghiệp và Môi trường"),
        [("ỦY BAN NHÂN DÂN", False), ("TỈNH QUẢNG NGÃI", False), ("SỞ NÔNG NGHIỆP", True),
         ("VÀ MÔI TRƯỜNG", True)]),
    "district_pc": (
        OrgInfo(issuer_kind="district_pc", unit_title="huyện Sơn Hà"),
        [("ỦY BAN NHÂN DÂN", True), ("HUYỆN SƠN HÀ", True)]),
    "district_office": (
        OrgInfo(issuer_kind="district_office", unit_title="huyện Sơn Hà",
                office_name="Phòng Lao động - Thương binh và Xã hội"),
        [("ỦY BAN NHÂN DÂN", False), ("HUYỆN SƠN HÀ", False), ("PHÒNG LAO ĐỘNG -", True),
         ("THƯƠNG BINH VÀ XÃ HỘI", True)]),
}
FONT = {True: SERIF_BOLD, False: SERIF}


def _drawn(org):
    with drawn_text() as runs, drawn_lines() as lines:
        pdf.build_pdf([pdf.national_heading(org)], title="Thử")
    left = pdf.MARGINS["left"] + pdf.heading_columns()[0]
    return [r for r in runs if r.x < left], [r for r in runs if r.x >= left], lines


@pytest.mark.parametrize("kind", KINDS)
def test_heading_lines_by_kind_read_back_from_the_pdf(kind):
    org, expected = KINDS[kind]
    issuer, national, _lines = _drawn(org)
    assert [(r.text, r.font) for r in issuer] == [(t, FONT[b]) for t, b in expected]
    assert [(line.text, line.bold) for line in pdf.heading_lines(org)] == expected
    assert [r.text for r in national] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                          "Độc lập - Tự do - Hạnh phúc"]
    assert all(r.font == SERIF_BOLD for r in national)
    assert not any("UBND" in r.text for r in issuer)  # names written out
    assert all(12 <= r.size <= 13 for r in issuer + national[:1])  # Phụ lục I: 12-13 pt


def test_a_committee_has_no_parent_line():
    issuer, _national, _lines = _drawn(SON_HA)
    assert [r.text for r in issuer] == ["ỦY BAN NHÂN DÂN", "XÃ SƠN HÀ"]
    assert not any("TỈNH" in r.text for r in issuer)


def _box(run):
    """The run's ink from the lowest descender (or mark below, "ạ") to the highest mark."""
    return run.page_y - 0.25 * run.size, run.page_y + 0.95 * run.size


@pytest.mark.parametrize("kind", KINDS)
def test_rules_stand_clear_of_the_text_and_are_sized(kind):
    org, _expected = KINDS[kind]
    issuer, national, lines = _drawn(org)
    rules = sorted((line for line in lines if line.horizontal), key=lambda line: line.x1)
    assert len(rules) == 2
    under_issuer, under_motto = rules
    # Under the issuing body: below its last line, 1/3 to 1/2 of its longest bold line,
    # centred under it.
    bold = [r for r in issuer if r.font == SERIF_BOLD]
    longest = max(r.width for r in bold)
    length = under_issuer.x2 - under_issuer.x1
    assert longest / 3 <= length <= longest / 2
    centre = (under_issuer.x1 + under_issuer.x2) / 2
    assert abs(centre - (bold[-1].x + bold[-1].width / 2)) < 1
    assert under_issuer.y < _box(bold[-1])[0] - 2
    # Under the motto: as long as the motto, below its descenders ("lập", "phúc").
    motto = national[1]
    assert abs((under_motto.x2 - under_motto.x1) - motto.width) < 0.5
    assert under_motto.y < _box(motto)[0] - 2
    # No rule crosses any letter.
    for rule in rules:
        for run in issuer + national:
            overlaps = run.x < rule.x2 and rule.x1 < run.x + run.width
            low, high = _box(run)
            assert not (overlaps and low - 1.5 < rule.y < high + 1.5), (rule, run.text)


def test_the_preview_draws_the_same_lines_and_rules():
    org, expected = KINDS["province_department"]
    preview = pdf.heading_preview(org)
    texts = [(t.text, t.bold) for t in preview.texts]
    assert texts[:len(expected)] == expected
    assert texts[len(expected):] == [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
                                     ("Độc lập - Tự do - Hạnh phúc", True)]
    assert len(preview.rules) == 2
    left, right = pdf.heading_columns()
    assert preview.width == pytest.approx(left + right)


@pytest.mark.parametrize("kind", KINDS)
def test_every_heading_line_fits_its_column(kind):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    org, _expected = KINDS[kind]
    room = pdf.heading_columns()[0] - pdf.GUTTER
    for line in pdf.heading_lines(org):
        assert stringWidth(line.text, FONT[line.bold], pdf.HEADING_SIZE) <= room, line


def test_names_break_after_a_dash_or_before_va():
    """"SỞ NÔNG NGHIỆP" over "VÀ MÔI TRƯỜNG" (KINDS above), not "... VÀ MÔI" over "TRƯỜNG";
    a name typed short stays on one line."""
    org = OrgInfo(issuer_kind="commune_office", office_name="Văn phòng HĐND và UBND")
    assert [line.text for line in pdf.heading_lines(org) if line.bold] == [
        "VĂN PHÒNG HĐND VÀ UBND"]
