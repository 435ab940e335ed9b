"""The admitted list as PDF and .xlsx: official format, Vietnamese order, settings used."""

import io

import pytest
from openpyxl import load_workbook

from app.classes import papers
from app.documents.models import OrgInfo
from app.timeutil import local_today
from tests.documents.pdftext import drawn_text, pages, texts

NAMES = ["Nguyễn Văn Đức", "Đinh Thị Ánh", "Phạm Thị Anh", "Hồ Văn Ân", "Lê Thị Ảnh"]
# Given name first, then tones (none < hook < acute), then middle and family names.
ORDER = ["Phạm Thị Anh", "Lê Thị Ảnh", "Đinh Thị Ánh", "Hồ Văn Ân", "Nguyễn Văn Đức"]


@pytest.fixture()
def allocated(db, make_class, make_cadre, apply_for):
    klass = make_class(capacity=40, title="Lớp giảm nghèo bền vững")
    people = [make_cadre(name, gender="M" if "Văn" in name else "F") for name in NAMES]
    people += [make_cadre(f"Đinh Thị Thêm{i}", birth_year=1960 + i) for i in range(35)]
    for app in apply_for(klass, people):
        app.status = "admitted"
    klass.status, klass.admitted_count = "allocated", len(people)
    db.session.commit()
    return klass


def test_xlsx_lists_admitted_in_vietnamese_name_order(client, login, allocated):
    login("coordinator")
    response = client.get(f"/classes/{allocated.id}/admitted.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "ỦY BAN NHÂN DÂN" and values[1][0] == "XÃ SƠN HÀ"
    assert values[0][3] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    names = [row[1] for row in values[header + 1:]]
    assert [n for n in names if n in NAMES] == ORDER
    assert values[header + 1][0] == 1 and len(names) == 40


def test_pdf_is_a4_with_embedded_font_and_several_pages(client, login, allocated, db, son_ha):
    from app.documents.models import save_settings

    save_settings(None, {"issuer_kind": "commune_pc", "unit_id": son_ha["new:son-ky"].id,
                         "office_name": "", "head_title": "Chủ tịch", "place_name": "Sơn Kỳ",
                         "number_suffix": "UBND", "drafting_office": "",
                         "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH",
                         "signer_name": "Đinh Văn Thử"})
    db.session.commit()
    login("coordinator")
    response = client.get(f"/classes/{allocated.id}/admitted.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.data
    assert data.startswith(b"%PDF") and b"/FontFile2" in data and b"LiberationSerif" in data
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4
    assert data.count(b"/Type /Page\n") >= 2 or data.count(b"/Type /Page ") >= 2
    with drawn_text() as runs:
        client.get(f"/classes/{allocated.id}/admitted.pdf")
    first = texts(runs, page=1)
    # A commune People's Committee: its own name written out, no provincial line above.
    assert first[:2] == ["ỦY BAN NHÂN DÂN", "XÃ SƠN KỲ"]
    assert "DANH SÁCH HỌC VIÊN ĐƯỢC TRIỆU TẬP" in first
    assert not any("TỈNH" in t or "UBND XÃ" in t for t in first)
    bold = {r.text for r in runs if r.font.endswith("-Bold")}
    assert {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            "ỦY BAN NHÂN DÂN", "XÃ SƠN KỲ", "DANH SÁCH HỌC VIÊN ĐƯỢC TRIỆU TẬP", "CHỦ TỊCH",
            "Đinh Văn Thử"} <= bold
    assert any(t.startswith("Số:") and t.endswith("/DS-UBND") for t in first)
    today = local_today()
    place_date = f"Sơn Kỳ, ngày {today:%d} tháng {today:%m} năm {today:%Y}"
    assert [r.font for r in runs if r.text == place_date] == ["LiberationSerif-Italic"]
    start, end = allocated.start_date, allocated.end_date
    assert (f"Thời gian: từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
            in " ".join(first))
    # The names exactly as typed (NFC, every tone mark drawn by the embedded font), in
    # Vietnamese name order, once each, across the pages.
    people = [t for t in texts(runs) if t in NAMES or t.startswith("Đinh Thị Thêm")]
    assert [t for t in people if t in NAMES] == ORDER and len(people) == 40
    assert pages(runs) >= 2
    for page in range(1, pages(runs) + 1):
        assert "Họ và tên" in texts(runs, page)  # the table header on every page
    top = [(r.page, r.text) for r in runs if r.y > 780]  # in the top margin
    assert top == [(n, str(n)) for n in range(2, pages(runs) + 1)]  # numbered from page 2
    last = texts(runs, pages(runs))
    assert last[-2:] == ["Đinh Văn Thử", str(pages(runs))]  # the signer, then the number
    assert "TM. ỦY BAN NHÂN DÂN" in last
    assert "Danh sách có 40 người (38 nữ; 40 cán bộ cấp thôn); số chỗ của lớp: 40." in " ".join(
        last)


def test_xlsx_header_row_is_styled_repeated_and_frozen(client, login, allocated):
    login("coordinator")
    sheet = load_workbook(io.BytesIO(client.get(
        f"/classes/{allocated.id}/admitted.xlsx").data)).active
    head = next(row[0].row for row in sheet.iter_rows() if row[0].value == "STT")
    assert sheet.cell(row=head - 1, column=1).value is None  # the blank line above it
    assert all(cell.font.b for cell in sheet[head])
    assert all(cell.border.top.style == "thin" for cell in sheet[head])
    assert not sheet.cell(row=head - 1, column=1).font.b
    assert sheet.print_title_rows.replace("$", "") == f"{head}:{head}"
    assert sheet.freeze_panes == f"A{head + 1}"
    assert sheet.cell(row=head + 1, column=1).value == 1


def test_namesakes_keep_one_order_on_the_page_and_both_papers(client, db, login, make_class,
                                                               make_cadre, apply_for, son_ha):
    """Identical full names: birth year, then the cadre's id, everywhere."""
    klass = make_class(capacity=10)
    young = make_cadre("Đinh Thị Trùng", birth_year=1995)  # smallest id, youngest
    old = make_cadre("Đinh Thị Trùng", birth_year=1975)
    same_year = make_cadre("Đinh Thị Trùng", birth_year=1995, commune=son_ha["new:son-ha"])
    for app in apply_for(klass, [same_year, young, old]):
        app.status = "admitted"
    klass.status, klass.admitted_count = "allocated", 3
    db.session.commit()
    expected = [old.id, young.id, same_year.id]
    from app.classes import enrolment

    assert [c.id for c in enrolment.admitted_cadres(klass)] == expected
    assert [a.cadre_id for a in enrolment.class_applications(klass)] == expected
    login("coordinator")
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    positions = [page.index(f'data-cadre="{i}"') for i in expected]
    assert positions == sorted(positions)
    sheet = load_workbook(io.BytesIO(client.get(
        f"/classes/{klass.id}/admitted.xlsx").data)).active
    rows = [r for r in sheet.iter_rows() if r[1].value == "Đinh Thị Trùng"]
    assert [r[2].value or r[3].value for r in rows] == ["1975", "1995", "1995"]
    assert [r[6].value for r in rows][1:] == ["Xã Sơn Kỳ", "Xã Sơn Hà"]
    with drawn_text() as runs:
        client.get(f"/classes/{klass.id}/admitted.pdf")
    drawn = texts(runs)
    rows = [drawn[i:i + 6] for i, t in enumerate(drawn) if t == "Đinh Thị Trùng"]
    assert [row[1] for row in rows] == ["1975", "1995", "1995"]
    assert ["Sơn Kỳ" in " ".join(rows[1]), "Sơn Hà" in " ".join(rows[2])] == [True, True]


def test_pdf_references_no_unembedded_font(db, make_class):
    import re

    klass = make_class()
    data = papers.admitted_pdf(klass, [], OrgInfo(), klass.start_date)
    assert b"Helvetica" not in data
    fonts = set(re.findall(rb"/BaseFont /([A-Za-z+-]+)", data))
    assert fonts and all(b"LiberationSerif" in f for f in fonts)
    assert any(f.endswith(b"LiberationSerif-BoldItalic") for f in fonts)  # "Nơi nhận:"


def test_empty_list_still_prints(db, make_class):
    klass = make_class()
    data = papers.admitted_pdf(klass, [], OrgInfo(), klass.start_date)
    assert data.startswith(b"%PDF")
