"""The admitted list as PDF and .xlsx: official format, Vietnamese order, settings used."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from app.classes import papers
from app.documents.models import OrgInfo

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
    assert values[0] == ["UBND HUYỆN SƠN HÀ"] + [None] * 6
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    names = [row[1] for row in values[header + 1:]]
    assert [n for n in names if n in NAMES] == ORDER
    assert values[header + 1][0] == 1 and len(names) == 40


def test_pdf_is_a4_with_embedded_font_and_several_pages(client, login, allocated, db):
    from app.documents.models import save_settings

    save_settings(None, {"parent_body": "UBND TỈNH QUẢNG NGÃI", "issuing_body": "UBND XÃ SƠN KỲ",
                         "issuing_office": "", "place_name": "Sơn Kỳ", "number_suffix": "UBND",
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
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                              capture_output=True, check=True).stdout.decode()
        for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                      "UBND XÃ SƠN KỲ", "Sơn Kỳ, ngày", "DANH SÁCH HỌC VIÊN ĐƯỢC TRIỆU TẬP",
                      "Đinh Văn Thử", "TM. ỦY BAN NHÂN DÂN", "/DS-UBND"):
            assert words in text, words
        assert text.count("Họ và tên") >= 2  # the header is repeated on page 2
        positions = [text.index(name) for name in ORDER]
        assert positions == sorted(positions)


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
    if shutil.which("pdftotext"):
        data = client.get(f"/classes/{klass.id}/admitted.pdf").data
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                              capture_output=True, check=True).stdout.decode()
        rows = [line for line in text.splitlines() if "Đinh Thị Trùng" in line]
        assert ["1975" in rows[0], "Sơn Kỳ" in rows[1], "Sơn Hà" in rows[2]] == [True] * 3


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
