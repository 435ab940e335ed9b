"""The admitted list as PDF and .xlsx: the annex of the document convening the class (no
number of its own), headed by the issuer, "triệu tập" only for people under the issuer, the
count line, recipients, Vietnamese order; an empty list or a summons for people who may only
be invited is refused, not printed for signature."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.classes import papers
from app.documents.models import OrgInfo, save_settings
from tests.documents.pdftext import drawn_text, pages, texts

NAMES = ["Nguyễn Văn Đức", "Đinh Thị Ánh", "Phạm Thị Anh", "Hồ Văn Ân", "Lê Thị Ảnh"]
# Given name first, then tones (none < hook < acute), then middle and family names.
ORDER = ["Phạm Thị Anh", "Lê Thị Ảnh", "Đinh Thị Ánh", "Hồ Văn Ân", "Nguyễn Văn Đức"]
NBSP = "\u00a0"


def _settings(son_ha, **changes):
    values = {"issuer_kind": "commune_pc", "unit_id": son_ha["new:son-ky"].id,
              "office_name": "", "head_title": "Chủ tịch", "place_name": "Sơn Kỳ",
              "number_suffix": "UBND", "drafting_office": "VHXH",
              "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH",
              "signer_name": "Đinh Văn Thử", **changes}
    save_settings(None, values)


def _admit(db, klass, apply_for, people):
    for application in apply_for(klass, people):
        application.status = "admitted"
    klass.status, klass.admitted_count = "allocated", len(people)
    db.session.commit()
    return klass


def _text(runs, page=None) -> str:
    """The page's text as one string (lines joined by spaces, non-breaking spaces kept)."""
    return " ".join(texts(runs, page))


def _pdf(client, klass):
    with drawn_text() as runs:
        response = client.get(f"/classes/{klass.id}/admitted.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response, runs


@pytest.fixture()
def allocated(db, make_class, make_cadre, apply_for, son_ha):
    """40 village leaders of xã Sơn Kỳ (Hrê, one Kinh), convened by decision 15/QĐ-UBND."""
    klass = make_class(capacity=40, title="Lớp giảm nghèo bền vững", communes=("new:son-ky",),
                       convene_number="15/QĐ-UBND",
                       convene_date=local_start() - timedelta(days=10))
    people = [make_cadre(name, gender="M" if "Văn" in name else "F",
                         ethnicity_code="01" if name.startswith("Nguyễn") else "18")
              for name in NAMES]
    people += [make_cadre(f"Đinh Thị Thêm{i}", birth_year=1960 + i) for i in range(35)]
    return _admit(db, klass, apply_for, people)


def local_start():
    from app.timeutil import local_today

    return local_today() + timedelta(days=20)  # make_class's default start


def test_pdf_is_the_annex_of_the_convening_decision(client, login, allocated, db, son_ha):
    _settings(son_ha)
    db.session.commit()
    login("coordinator")
    response, runs = _pdf(client, allocated)
    data = response.data
    assert data.startswith(b"%PDF") and b"/FontFile2" in data and b"LiberationSerif" in data
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4
    first = texts(runs, page=1)
    # The heading of a commune People's Committee: its own name written out, no parent.
    assert first[:4] == ["ỦY BAN NHÂN DÂN", "XÃ SƠN KỲ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc"]
    assert not any(t.startswith("Số:") for t in texts(runs))  # no number of its own
    assert not any("UBND XÃ" in t or "TỈNH" in t for t in first)
    when = allocated.convene_date
    month = f"{when.month:02d}" if when.month <= 2 else str(when.month)  # "tháng 02", "tháng 3"
    annex = (f"(Kèm theo Quyết định số 15/QĐ-UBND ngày {when:%d} tháng {month} năm "
             f"{when:%Y} của Chủ{NBSP}tịch Ủy{NBSP}ban{NBSP}nhân{NBSP}dân xã Sơn Kỳ)")
    assert annex in _text(runs, 1)
    bold = {r.text for r in runs if r.font.endswith("-Bold")}
    assert {"ỦY BAN NHÂN DÂN", "XÃ SƠN KỲ", "DANH SÁCH HỌC VIÊN ĐƯỢC MỜI", "CHỦ TỊCH",
            "Đinh Văn Thử"} <= bold
    subject = f"Tham dự lớp “Lớp giảm nghèo bền vững” (mã{NBSP}lớp{NBSP}{allocated.code})"
    assert [r.font for r in runs if r.text == subject] == ["LiberationSerif-Bold"]
    assert all(r.font.endswith("-Italic") for r in runs if "Kèm theo" in r.text)
    start, end = allocated.start_date, allocated.end_date
    assert f"Thời gian: từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}" in first
    # The names exactly as typed, in Vietnamese name order, once each, across the pages.
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
    assert ("Tổng số: 40 người; trong đó: 38 nữ, 39 người dân tộc thiểu số; cấp thôn: 40."
            in _text(runs, pages(runs)))
    recipients = [t for t in last if t.startswith(("Nơi nhận", "- "))]
    assert recipients == ["Nơi nhận:", "- Các học viên có tên trên;", "- Lưu: VT, VHXH."]


def test_blanks_for_the_clerk_until_the_document_is_numbered(client, login, db, make_class,
                                                             make_cadre, apply_for, son_ha):
    _settings(son_ha)
    klass = _admit(db, make_class(communes=("new:son-ky",), convene_kind="invitation"),
                   apply_for, [make_cadre("Đinh Thị Hoa")])
    login("coordinator")
    _response, runs = _pdf(client, klass)
    assert ("(Kèm theo Giấy mời số ......./GM-UBND ngày ..... tháng ..... năm ........ của "
            f"Ủy{NBSP}ban{NBSP}nhân{NBSP}dân xã Sơn Kỳ)") in _text(runs, 1)


@pytest.mark.parametrize(("kind", "levels", "title"), [
    ("decision", ["commune", "commune"], "DANH SÁCH HỌC VIÊN ĐƯỢC TRIỆU TẬP"),
    ("summons", ["commune"], "DANH SÁCH HỌC VIÊN ĐƯỢC TRIỆU TẬP"),
    ("decision", ["village", "village"], "DANH SÁCH HỌC VIÊN ĐƯỢC MỜI"),
    ("decision", ["commune", "village"], "DANH SÁCH HỌC VIÊN"),
    ("invitation", ["commune"], "DANH SÁCH HỌC VIÊN ĐƯỢC MỜI"),
])
def test_summoned_only_when_under_the_issuer(client, login, db, make_class, make_cadre,
                                             apply_for, son_ha, kind, levels, title):
    """A commune People's Committee summons its commune's officials; village cadres (not on
    the state payroll) are invited; a list of both says neither."""
    _settings(son_ha)
    people = [make_cadre(f"Đinh Thị Số{i}", level=level,
                         position="cong-chuc-vhxh" if level == "commune" else "truong-thon")
              for i, level in enumerate(levels)]
    klass = _admit(db, make_class(communes=("new:son-ky",), convene_kind=kind), apply_for,
                   people)
    login("coordinator")
    _response, runs = _pdf(client, klass)
    titles = [r.text for r in runs if r.text.startswith("DANH SÁCH")]
    assert titles == [title]


def test_the_district_summoned_the_officials_of_its_communes(db, make_class, make_cadre,
                                                             son_ha):
    """A cadre recorded under today's xã Sơn Kỳ was an official of a commune of the
    district before 01/07/2025: the district People's Committee summoned them."""
    from datetime import date

    from app.people.models import Unit

    district = db.session.scalar(select(Unit).where(Unit.code == "son-ha"))
    org = OrgInfo(issuer_kind="district_pc", unit_id=district.id, unit_title="huyện Sơn Hà")
    official = make_cadre("Đinh Văn Một", gender="M", level="commune",
                          position="cong-chuc-vhxh")
    klass = make_class(communes=("old:son-ba",), start=date(2025, 3, 10))
    assert papers.summoned(official, org, district)
    assert papers.wording(klass, [official], org, district).mode == "summoned"
    office = OrgInfo(issuer_kind="district_office", unit_id=district.id,
                     unit_title="huyện Sơn Hà", office_name="Phòng Lao động - TB&XH")
    assert not papers.summoned(official, office, district)


def test_an_office_invites_even_commune_officials(client, login, db, make_class, make_cadre,
                                                  apply_for, son_ha):
    _settings(son_ha, issuer_kind="commune_office", office_name="Phòng Văn hóa - Xã hội",
              head_title="Trưởng phòng", number_suffix="VHXH")
    klass = _admit(db, make_class(communes=("new:son-ky",)), apply_for,
                   [make_cadre("Đinh Văn Một", gender="M", level="commune",
                               position="cong-chuc-vhxh")])
    login("coordinator")
    _response, runs = _pdf(client, klass)
    first = texts(runs, 1)
    assert first[0] == "ỦY BAN NHÂN DÂN XÃ SƠN KỲ" and "PHÒNG VĂN HÓA - XÃ HỘI" in first
    assert "DANH SÁCH HỌC VIÊN ĐƯỢC MỜI" in first
    assert (f"Quyết định số ......./QĐ-VHXH ngày ..... tháng ..... năm ........ của "
            f"Trưởng{NBSP}phòng Văn hóa - Xã hội)") in _text(runs, 1)


def test_a_summons_for_people_who_may_only_be_invited_is_refused(client, login, db, make_class,
                                                                  make_cadre, apply_for,
                                                                  son_ha):
    _settings(son_ha)
    klass = _admit(db, make_class(communes=("new:son-ky",), convene_kind="summons"), apply_for,
                   [make_cadre("Đinh Thị Hoa"),
                    make_cadre("Đinh Văn Một", gender="M", level="commune",
                               position="cong-chuc-vhxh")])
    login("coordinator")
    for ext in ("pdf", "xlsx"):
        response = client.get(f"/classes/{klass.id}/admitted.{ext}")
        assert response.status_code == 409 and response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        assert ("Giấy triệu tập chỉ dùng cho người thuộc quyền quản lý của Ủy ban nhân dân xã "
                "Sơn Kỳ; 1 học viên trong danh sách") in page
        assert "chọn văn bản triệu tập là Quyết định hoặc Giấy mời" in page


@pytest.mark.parametrize("ext", ["pdf", "xlsx"])
def test_an_empty_list_is_refused_not_printed(client, login, make_class, ext):
    klass = make_class()
    login("coordinator")
    response = client.get(f"/classes/{klass.id}/admitted.{ext}")
    assert response.status_code == 409 and response.mimetype == "text/html"
    assert "danh sách trống không in để ký" in response.get_data(as_text=True)
    with pytest.raises(papers.PaperRefused):
        papers.admitted_pdf(klass, [], OrgInfo())


def test_settings_without_a_unit_refuse_printing(client, login, db, make_class, make_cadre,
                                                 apply_for, son_ha):
    _settings(son_ha, unit_id=None)
    klass = _admit(db, make_class(), apply_for, [make_cadre("Đinh Thị Hoa")])
    login("coordinator")
    response = client.get(f"/classes/{klass.id}/admitted.pdf")
    assert response.status_code == 409
    assert "chưa chọn đơn vị hành chính" in response.get_data(as_text=True)


def test_count_line_women_minorities_and_each_level(db, make_class, make_cadre):
    people = [make_cadre("Đinh Thị A", level="village"),
              make_cadre("Nguyễn Văn B", gender="M", ethnicity_code="01", level="commune",
                         position="cong-chuc-vhxh"),
              make_cadre("Hồ Thị C", ethnicity_code=None, level="commune",
                         position="cong-chuc-vhxh"),
              make_cadre("Phạm Văn D", gender="M", ethnicity_code="16", level="district",
                         position="chuyen-vien-huyen")]
    assert papers.summary_line(people) == (
        "Tổng số: 4 người; trong đó: 2 nữ, 2 người dân tộc thiểu số, 1 người chưa ghi dân tộc; "
        "cấp thôn: 1, cấp xã: 2, cấp huyện: 1.")


def test_the_class_code_never_leaves_its_label(client, login, db, make_class, make_cadre,
                                               apply_for, son_ha):
    klass = _admit(db, make_class(code="TH-2026-0001", title="Tập huấn " + "rất dài " * 7),
                   apply_for, [make_cadre("Đinh Thị Hoa")])
    login("coordinator")
    _response, runs = _pdf(client, klass)
    assert any(r.text.endswith(f"(mã{NBSP}lớp{NBSP}TH-2026-0001)") for r in runs)
    assert not any(r.text.rstrip().endswith(("(mã", "lớp")) for r in runs)


def test_recipients_of_a_provincial_class(db, make_class, make_cadre, son_ha):
    org = OrgInfo(issuer_kind="province_department", unit_title="tỉnh Quảng Ngãi",
                  office_name="Sở Nông nghiệp và Môi trường", head_title="Giám đốc",
                  drafting_office="KTHT")
    klass = make_class(communes=("new:son-ky", "new:son-ha"))
    assert papers.recipients(klass, org) == [
        "UBND các xã: Sơn Hà, Sơn Kỳ;", "Các học viên có tên trên;", "Lưu: VT, KTHT."]
    assert papers.annex_line(klass, org).endswith(
        f"của Giám{NBSP}đốc Sở Nông nghiệp và Môi trường")


def test_xlsx_follows_the_same_heading_and_annex(client, login, allocated, db, son_ha):
    _settings(son_ha)
    db.session.commit()
    login("coordinator")
    response = client.get(f"/classes/{allocated.id}/admitted.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "ỦY BAN NHÂN DÂN"
    assert values[0][3] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert values[1][0] == "XÃ SƠN KỲ" and values[1][3] == "Độc lập - Tự do - Hạnh phúc"
    column_a = [row[0] for row in values]
    assert "DANH SÁCH HỌC VIÊN ĐƯỢC MỜI" in column_a
    when = allocated.convene_date
    month = f"{when.month:02d}" if when.month <= 2 else str(when.month)  # "tháng 02", "tháng 3"
    assert (f"(Kèm theo Quyết định số 15/QĐ-UBND ngày {when:%d} tháng {month} năm "
            f"{when:%Y} của Chủ tịch Ủy ban nhân dân xã Sơn Kỳ)") in column_a
    assert f"Tham dự lớp “Lớp giảm nghèo bền vững” (mã lớp {allocated.code})" in column_a
    assert not any(str(v).startswith("Số:") for v in column_a)
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    names = [row[1] for row in values[header + 1:] if row[1]]
    assert [n for n in names if n in NAMES] == ORDER
    assert values[header + 1][0] == 1 and len(names) == 40
    assert column_a[-1].startswith("Tổng số: 40 người; trong đó: 38 nữ")


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
    _admit(db, klass, apply_for, [same_year, young, old])
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
    assert [r[2].value or r[3].value for r in rows] == [1975, 1995, 1995]  # numbers
    assert [r[6].value for r in rows][1:] == ["Xã Sơn Kỳ", "Xã Sơn Hà"]
    with drawn_text() as runs:
        client.get(f"/classes/{klass.id}/admitted.pdf")
    drawn = texts(runs)
    rows = [drawn[i:i + 8] for i, t in enumerate(drawn) if t == "Đinh Thị Trùng"]
    assert [row[1] for row in rows] == ["1975", "1995", "1995"]
    communes = [next(t for t in row if t.startswith("Xã")) for row in rows[1:]]
    assert communes == [f"Xã{NBSP}Sơn{NBSP}Kỳ", f"Xã{NBSP}Sơn{NBSP}Hà"]


def test_pdf_references_no_unembedded_font(db, make_class, make_cadre):
    import re

    klass = make_class()
    data = papers.admitted_pdf(klass, [make_cadre("Đinh Thị Hoa")], OrgInfo())
    assert b"Helvetica" not in data
    fonts = set(re.findall(rb"/BaseFont /([A-Za-z+-]+)", data))
    assert fonts and all(b"LiberationSerif" in f for f in fonts)
    assert any(f.endswith(b"LiberationSerif-BoldItalic") for f in fonts)  # "Nơi nhận:"


def test_the_admitted_list_shows_the_rank_the_reasons_speak_of(client, db, login, make_class,
                                                               make_cadre, apply_for, users):
    from app.classes import enrolment
    from app.timeutil import utcnow

    klass = make_class(capacity=2)
    # Ranked: the leader first (2 points), the woman second (the share); the man waits.
    woman = make_cadre("Đinh Thị Ánh", position="cong-chuc-khac")
    leader = make_cadre("Phạm Văn Trưởng", gender="M")
    other = make_cadre("Hồ Văn Chờ", gender="M", position="cong-chuc-khac")
    apply_for(klass, [woman, leader, other])
    preview = enrolment.preview(klass, klass.policy)
    enrolment.confirm_allocation(users["coordinator"], klass.id, preview.policy,
                                 preview.fingerprint, utcnow())
    db.session.commit()
    login("coordinator")
    sheet = load_workbook(io.BytesIO(
        client.get(f"/classes/{klass.id}/admitted.xlsx").data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    assert values[header][-1] == "Thứ tự xét chọn"
    # Name order on paper (Ánh before Trưởng), the allocation's rank beside each name.
    assert [(row[1], row[-1]) for row in values[header + 1:] if row[1]] == [
        ("Đinh Thị Ánh", "2/2"), ("Phạm Văn Trưởng", "1/2")]
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    admitted = page[page.index('class="list-group admitted-list"'):]
    assert admitted.index("Phạm Văn Trưởng") < admitted.index("Đinh Thị Ánh")
    assert "thứ 1/2" in admitted and "thứ 2/2" in admitted
