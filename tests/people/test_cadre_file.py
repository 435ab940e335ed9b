"""Cadre list files: reading, validation, import and export (app.people.cadre_file)."""

import csv
import io
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.people import cadre_file as cf
from app.people.models import Cadre, Position, Unit
from app.timeutil import local_today

HEADER = list(cf.COLUMNS)
HOA = ["Đinh Thị Hoa", "Nữ", "05/03/1980", "Hrê", "Trưởng thôn, tổ trưởng tổ dân phố", "",
       "xã Sơn Ba", "0905123456"]
BAY = ["Đinh Văn Bảy", "Nam", "1985", "Kinh", "Cộng tác viên giảm nghèo", "", "Sơn Kỳ", ""]


def xlsx(rows, header=HEADER, before=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in before:
        sheet.append(line)
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, header=HEADER, bom=True, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace")
    return (b"\xef\xbb\xbf" + data) if bom else data


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def problems_of(data: bytes, filename="danh-sach.xlsx"):
    valid, problems = cf.load(filename, data)
    assert not valid or problems
    return problems


def only_problem(data: bytes, column: str, row: int = 2):
    problems = problems_of(data)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.row, problem.column) == (row, column), str(problem)
    return problem.message


def cadre_count(db) -> int:
    return db.session.scalar(select(func.count(Cadre.id)))


def run_import(db, data: bytes, filename="danh-sach.xlsx", dry_run=False, create_only=False):
    outcome = cf.import_file(None, filename, data, dry_run=dry_run, source="test",
                             create_only=create_only)
    assert (outcome.status, outcome.problems) == (200, []), [str(p) for p in outcome.problems]
    assert outcome.dry_run is dry_run and outcome.to_commit is not dry_run
    if outcome.to_commit:
        db.session.commit()
    else:
        db.session.rollback()
    return outcome.summary


# ------------------------------------------------------------------------------ reading


def test_reads_xlsx_with_spreadsheet_row_numbers(db):
    rows = cf.read_table("a.xlsx", xlsx([HOA, [None] * 8, BAY], before=[["DANH SÁCH CÁN BỘ"]]))
    assert [r[cf.ROW] for r in rows] == [3, 5]  # title row 1, header row 2, blank row 4
    assert rows[0][cf.NAME] == "Đinh Thị Hoa"
    assert rows[1][cf.BIRTH] == "1985"


def test_xlsx_cell_types_become_text(db):
    rows = cf.read_table("a.xlsx", xlsx([
        ["Đinh Thị Hoa", "Nữ", date(1980, 3, 5), "Hrê", "Trưởng thôn", None, "Sơn Ba",
         905123456],
        ["Đinh Văn Bảy", "Nam", 1985.0, None, "ctv-giam-ngheo", None, "Sơn Kỳ", None]]))
    assert rows[0][cf.BIRTH] == "05/03/1980"
    assert rows[0][cf.PHONE] == "905123456"
    assert rows[1][cf.BIRTH] == "1985"
    assert rows[1][cf.ETHNICITY] == ""


def test_reads_csv_with_bom_and_semicolons(db):
    rows = cf.read_table("a.csv", csv_bytes([HOA, BAY], delimiter=";"))
    assert [r[cf.NAME] for r in rows] == ["Đinh Thị Hoa", "Đinh Văn Bảy"]
    assert [r[cf.ROW] for r in rows] == [2, 3]


def test_format_is_recognised_by_content_not_name(db):
    assert cf.read_table("list.csv", xlsx([HOA]))[0][cf.NAME] == "Đinh Thị Hoa"
    assert cf.read_table("list.xlsx", csv_bytes([HOA], bom=False))[0][cf.NAME] == "Đinh Thị Hoa"


def test_headers_match_without_case_spacing_or_normal_form(db):
    header = ["STT", nfd("HỌ VÀ TÊN"), "giới tính (Nam/Nữ)", "Ngày  sinh", "Dân tộc",
              "Chức vụ", "Thôn / Bản", "xã", "Số điện thoại"]
    rows = cf.read_table("a.xlsx", xlsx([[1] + HOA], header=header))
    assert rows[0][cf.NAME] == "Đinh Thị Hoa"
    assert rows[0][cf.VILLAGE] == ""
    assert rows[0][cf.COMMUNE] == "xã Sơn Ba"
    assert "STT" not in rows[0]


def test_numbered_but_empty_rows_are_skipped(db):
    rows = cf.read_table("a.xlsx", xlsx([[1] + HOA, [2] + [None] * 8],
                                        header=["STT"] + HEADER))
    assert len(rows) == 1


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00\x01\x02",
    b"\x00\x01\x02\x03\x04binary",
])
def test_not_a_spreadsheet(db, data):
    with pytest.raises(cf.ImportProblem) as caught:
        cf.read_table("danh-sach.xlsx", data)
    assert not caught.value.readable
    assert caught.value.problems[0].message == cf.NOT_SPREADSHEET


def test_zip_that_is_not_a_workbook(db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(cf.ImportProblem) as caught:
        cf.read_table("bao-cao.docx", out.getvalue())
    assert caught.value.problems[0].message == cf.NOT_SPREADSHEET


def test_zip_bomb_is_refused_before_it_is_unpacked(db, son_ha, monkeypatch):
    """A small upload that unpacks to far more than any cadre list is refused by its declared
    size, before openpyxl reads it into memory."""
    from app.people.cadre_file import reading

    monkeypatch.setattr(reading, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    source = zipfile.ZipFile(io.BytesIO(xlsx([HOA])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("xl/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    assert len(out.getvalue()) < 64 * 1024
    with pytest.raises(cf.ImportProblem) as caught:
        cf.read_table("danh-sach.xlsx", out.getvalue())
    assert "quá lớn sau khi giải nén" in caught.value.problems[0].message
    assert caught.value.readable is False
    assert cf.load("danh-sach.xlsx", xlsx([HOA]))[1] == []  # a real list still reads


def test_old_xls_is_explained(db):
    with pytest.raises(cf.ImportProblem) as caught:
        cf.read_table("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert ".xlsx" in caught.value.problems[0].message


def test_csv_not_utf8_suggests_saving_as_csv_utf8(db):
    data = csv_bytes([HOA], bom=False, encoding="cp1258")
    with pytest.raises(cf.ImportProblem) as caught:
        cf.read_table("a.csv", data)
    assert not caught.value.readable
    assert "CSV UTF-8" in caught.value.problems[0].message


@pytest.mark.parametrize("data", [b"", b"  \n", b"\xef\xbb\xbf", "xlsx-empty", "header-only"])
def test_empty_files(db, data):
    if data == "xlsx-empty":
        data = xlsx([], header=None)
    elif data == "header-only":
        data = xlsx([])
    with pytest.raises(cf.ImportProblem) as caught:
        cf.read_table("a.xlsx", data)
    message = caught.value.problems[0].message
    assert "trống" in message or "chưa có dòng dữ liệu" in message


def test_missing_columns_are_each_listed(db):
    header = ["Họ và tên", "Giới tính", "Dân tộc", "Thôn/Bản"]
    with pytest.raises(cf.ImportProblem) as caught:
        cf.read_table("a.xlsx", xlsx([HOA[:2] + HOA[3:4] + [""]], header=header))
    missing = {(p.row, p.column) for p in caught.value.problems}
    assert missing == {(1, cf.BIRTH), (1, cf.POSITION), (1, cf.COMMUNE)}
    assert all("Thiếu cột bắt buộc" in p.message for p in caught.value.problems)


def test_optional_columns_may_be_absent(db, son_ha):
    header = ["Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ", "Xã"]
    valid, problems = cf.load("a.xlsx", xlsx([["Đinh Thị Hoa", "Nữ", "1980", "Trưởng thôn",
                                                "Sơn Ba"]], header=header))
    assert problems == []
    assert valid[0].present == frozenset()


# ------------------------------------------------------------------------------ validating


def test_valid_row(db, son_ha):
    valid, problems = cf.load("a.xlsx", xlsx([HOA]))
    assert problems == []
    data = valid[0].data
    assert data.full_name == "Đinh Thị Hoa"
    assert data.gender == "F"
    assert (data.birth_date, data.birth_year) == (date(1980, 3, 5), 1980)
    assert data.ethnicity_code == "18"
    assert data.commune_id == son_ha["old:son-ba"].id
    assert data.level == "village"
    assert data.phone == "0905123456"


@pytest.mark.parametrize("text,key", [
    ("xã Sơn Ba", "old:son-ba"), ("Sơn Ba", "old:son-ba"), ("SƠN BA", "old:son-ba"),
    ("Son Ba", "old:son-ba"), (nfd("xã Sơn Ba"), "old:son-ba"),
    ("thị trấn Di Lăng", "old:di-lang"), ("Di Lăng", "old:di-lang"),
    ("TT Di Lăng", "old:di-lang"),
    ("Sơn Kỳ", "new:son-ky"),  # both the former and the current xã Sơn Kỳ: the current one
])
def test_commune_names(db, son_ha, text, key):
    valid, problems = cf.load("a.xlsx", xlsx([HOA[:6] + [text, ""]]))
    assert problems == []
    assert valid[0].data.commune_id == son_ha[key].id


def test_ambiguous_folded_commune_name(db, son_ha):
    province = son_ha["new:son-ky"].parent_id
    db.session.add_all([
        Unit(code="xa-tra-bui", name="Trà Bùi", kind="commune", category="xã",
             parent_id=province),
        Unit(code="xa-tra-bui-2", name="Trà Búi", kind="commune", category="xã",
             parent_id=province)])
    db.session.commit()
    message = only_problem(xlsx([HOA[:6] + ["Tra Bui", ""]]), cf.COMMUNE)
    assert "chưa rõ" in message
    valid, problems = cf.load("a.xlsx", xlsx([HOA[:6] + ["Trà Bùi", ""]]))
    assert problems == [] and valid[0].data.commune_id is not None


@pytest.mark.parametrize("text,code", [
    ("Trưởng thôn, tổ trưởng tổ dân phố", "truong-thon"), ("truong thon", "truong-thon"),
    ("Trưởng thôn, bản", "truong-thon"), ("Trưởng bản", "truong-thon"),
    ("Tổ trưởng tổ dân phố", "to-truong-to-dan-pho"), ("ctv-giam-ngheo", "ctv-giam-ngheo"),
    (nfd("Người có uy tín"), "nguoi-co-uy-tin"), ("Bí thư chi bộ", "bi-thu-chi-bo"),
    ("Bí thư chi bộ thôn", "bi-thu-chi-bo"), ("Phó trưởng thôn", "pho-truong-thon"),
    ("Chủ tịch UBND xã", "chu-tich-ubnd-xa"), ("Phó Chủ tịch UBND xã", "pho-chu-tich-ubnd-xa"),
    # an old file's combined office stays combined, to be chosen later (as migration 0008)
    ("Chủ tịch, Phó Chủ tịch UBND xã", "chu-tich-pho-chu-tich-ubnd-xa"),
    ("Chuyên viên phòng, ban cấp huyện", "chuyen-vien-huyen"),
    ("Trưởng ban công tác Mặt trận thôn", "truong-ban-ctmt"),
    ("Tổ trưởng tổ hợp tác, nhóm sở thích", "to-truong-to-nhom"),
    ("Rà soát viên", "ra-soat-vien"), ("Già làng", "gia-lang"),
    ("Nhân viên y tế thôn, bản", "nv-y-te-thon-ban"), ("Cô đỡ thôn bản", "co-do-thon-ban"),
    ("Chi hội trưởng Chi hội Người cao tuổi", "chi-hoi-truong-nguoi-cao-tuoi"),
    ("Chuyên viên sở, ban, ngành tỉnh", "chuyen-vien-tinh"),
])
def test_position_names_and_codes(db, son_ha, text, code):
    valid, problems = cf.load("a.xlsx", xlsx([HOA[:4] + [text] + HOA[5:]]))
    assert problems == []
    position = db.session.get(Position, valid[0].data.position_id)
    assert position.code == code
    assert valid[0].data.level == position.level


@pytest.fixture()
def tdp(db, son_ha):
    """A tổ dân phố of the former thị trấn Di Lăng and a thôn of the former xã Sơn Ba."""
    db.session.add_all([
        Unit(code="tdp-1", name="Tổ dân phố 1", kind="village", category="tổ dân phố",
             parent_id=son_ha["old:di-lang"].id),
        Unit(code="go-da", name="Gò Da", kind="village", category="thôn",
             parent_id=son_ha["old:son-ba"].id)])
    db.session.commit()


@pytest.mark.parametrize("text,village,printed", [
    ("Trưởng thôn", "Tổ dân phố 1", "Tổ trưởng tổ dân phố"),
    ("Trưởng thôn, tổ trưởng tổ dân phố", "Tổ dân phố 1", "Tổ trưởng tổ dân phố"),
    ("Trưởng thôn, tổ trưởng tổ dân phố", "Gò Da", "Trưởng thôn, bản"),
    ("Trưởng thôn, tổ trưởng tổ dân phố", "", "Trưởng thôn, bản"),
    ("Tổ trưởng tổ dân phố", "Gò Da", "Trưởng thôn, bản"),
    ("Bí thư chi bộ thôn", "Tổ dân phố 1", "Bí thư chi bộ tổ dân phố"),
    ("Bí thư chi bộ", "Tổ dân phố 1", "Bí thư chi bộ tổ dân phố"),
    ("Phó trưởng thôn", "Tổ dân phố 1", "Tổ phó tổ dân phố"),
    ("Trưởng ban công tác Mặt trận thôn", "Tổ dân phố 1",
     "Trưởng ban Công tác Mặt trận khu dân cư"),
    ("Người có uy tín", "Tổ dân phố 1", "Người có uy tín"),
])
def test_a_village_office_is_printed_for_the_cadres_village(db, tdp, text, village, printed):
    """An old file's "Trưởng thôn, tổ trưởng tổ dân phố" (or a loose "Trưởng thôn") of a
    cadre of a tổ dân phố is printed "Tổ trưởng tổ dân phố", never "... thôn"."""
    commune = "Di Lăng" if village == "Tổ dân phố 1" else "Sơn Ba"
    run_import(db, xlsx([HOA[:4] + [text, village, commune, ""]]))
    book = load_workbook(io.BytesIO(cf.write_xlsx(db.session.scalars(select(Cadre)))))
    row = [c.value for c in book.worksheets[0][2]]
    assert row[4] == printed and row[5] == (village or None)
    assert db.session.scalar(select(Cadre)).level == "village"


def test_a_file_without_villages_keeps_the_stored_tdp_and_its_office(db, tdp, make_cadre):
    village = db.session.scalar(select(Unit).where(Unit.code == "tdp-1"))
    cadre = make_cadre("Đinh Thị Hoa", birth_year=1980, commune=village.parent,
                       position="to-truong-to-dan-pho", village_id=village.id)
    header = [c for c in HEADER if c != cf.VILLAGE]
    run_import(db, xlsx([["Đinh Thị Hoa", "Nữ", "1980", "Hrê", "Trưởng thôn", "Di Lăng", ""]],
                        header=header))
    db.session.expire_all()
    cadre = db.session.get(Cadre, cadre.id)
    assert (cadre.village_id, cadre.position.name) == (village.id, "Tổ trưởng tổ dân phố")


@pytest.mark.parametrize("text,gender", [("Nam", "M"), ("nam", "M"), ("M", "M"), ("Nữ", "F"),
                                         ("nu", "F"), ("NỮ", "F"), ("F", "F"), (nfd("Nữ"), "F")])
def test_genders(db, son_ha, text, gender):
    valid, problems = cf.load("a.xlsx", xlsx([HOA[:1] + [text] + HOA[2:]]))
    assert problems == []
    assert valid[0].data.gender == gender


@pytest.mark.parametrize("column,value,expected", [
    (cf.COMMUNE, "xã Sơn Mới", "Không tìm thấy xã “xã Sơn Mới”"),
    (cf.POSITION, "Giám đốc", "Chức vụ “Giám đốc” không có trong danh mục"),
    (cf.POSITION, "Chủ tịch", "chưa rõ: có thể là Chủ tịch Hội Liên hiệp Phụ nữ xã; Chủ tịch"),
    (cf.BIRTH, "31/02/1980", "Ngày không hợp lệ: 31/02/1980"),
    (cf.BIRTH, "05/03/2099", "ở tương lai"),
    (cf.BIRTH, "ngày 5 tháng 3", "dd/mm/yyyy"),
    (cf.BIRTH, "1850", "không hợp lý"),
    (cf.BIRTH, "", "Chưa ghi ngày sinh"),
    (cf.GENDER, "Khác", "Nam hoặc Nữ"),
    (cf.GENDER, "", "Chưa ghi giới tính"),
    (cf.NAME, "", "Chưa ghi họ và tên"),
    (cf.NAME, "Nguyễn Văn 2", "không hợp lệ"),
    (cf.ETHNICITY, "Sao Hỏa", "Không có dân tộc “Sao Hỏa”"),
    (cf.PHONE, "12345", "Số điện thoại “12345” không hợp lệ"),
    (cf.PHONE, "090 5abc 123", "không hợp lệ"),
    (cf.VILLAGE, "Làng Không Có", "Không tìm thấy thôn/bản “Làng Không Có” thuộc xã Sơn Ba"),
    (cf.NAME, "NguyÔn ThÞ Hoa", "lỗi phông"),  # TCVN3 read as Latin-1
    (cf.NAME, "Nguyeãn Thò Hoa", "lỗi phông"),  # VNI read as Latin-1
    (cf.VILLAGE, "Lµng R£", "lỗi phông"),
    (cf.COMMUNE, "S¬n Ba", "TCVN3/VNI"),
])
def test_bad_cells(db, son_ha, column, value, expected):
    row = list(HOA)
    row[cf.COLUMNS.index(column)] = value
    message = only_problem(xlsx([row]), column)
    assert expected in message


def test_future_birth_date_next_day(db, son_ha):
    tomorrow = local_today().toordinal() + 1
    text = date.fromordinal(tomorrow).strftime("%d/%m/%Y")
    assert "tương lai" in only_problem(xlsx([HOA[:2] + [text] + HOA[3:]]), cf.BIRTH)


def test_birth_dates_of_children_are_refused(db, son_ha, monkeypatch):
    """A cadre is at least 15: "2019" typed for 1989 is a slip, not a village head."""
    monkeypatch.setattr("app.people.service.local_today", lambda: date(2026, 6, 15))
    for text in ("2012", "16/06/2011", "01/01/2020"):
        message = only_problem(xlsx([HOA[:2] + [text] + HOA[3:]]), cf.BIRTH)
        assert "chưa đủ 15 tuổi" in message, text
    for text in ("2011", "15/06/2011", "14/06/2011"):
        valid, problems = cf.load("a.xlsx", xlsx([HOA[:2] + [text] + HOA[3:]]))
        assert problems == [], text


def test_every_problem_is_listed_with_row_and_column(db, son_ha):
    rows = [HOA, ["", "X", "31/02/1980", "", "Giám đốc", "", "Sơn Mới", ""], BAY]
    problems = problems_of(xlsx(rows))
    assert [(p.row, p.column) for p in problems] == [
        (3, cf.NAME), (3, cf.GENDER), (3, cf.BIRTH), (3, cf.POSITION), (3, cf.COMMUNE)]
    assert str(problems[0]).startswith("Dòng 3, cột “Họ và tên”: ")


def test_duplicate_rows_in_the_file_name_both_rows(db, son_ha):
    twin = [nfd("ĐINH THỊ HOA"), "Nữ", "5/3/1980", "", "Người có uy tín", "", "Sơn Ba", ""]
    problems = problems_of(xlsx([HOA, BAY, twin]))
    assert len(problems) == 1
    assert (problems[0].row, problems[0].column) == (4, cf.NAME)
    assert "Trùng với dòng 2" in problems[0].message


def test_same_name_other_birth_or_commune_is_not_a_duplicate(db, son_ha):
    rows = [HOA, HOA[:2] + ["06/03/1980"] + HOA[3:], HOA[:6] + ["Di Lăng", ""]]
    valid, problems = cf.load("a.xlsx", xlsx(rows))
    assert problems == [] and len(valid) == 3


def test_village_within_the_commune_family(db, son_ha, make_village):
    village = make_village(son_ha["old:son-ba"], "Làng Rê")
    make_village(son_ha["old:di-lang"], "Tổ dân phố 1")
    for commune in ("xã Sơn Ba", "xã Sơn Kỳ"):  # the old commune, or the one it merged into
        valid, problems = cf.load("a.xlsx", xlsx([HOA[:5] + ["làng rê", commune, ""]]))
        assert problems == []
        assert valid[0].data.village_id == village.id
    message = only_problem(xlsx([HOA[:5] + ["Tổ dân phố 1", "Sơn Ba", ""]]), cf.VILLAGE)
    assert "Không tìm thấy thôn/bản “Tổ dân phố 1” thuộc xã Sơn Ba" in message


def test_validation_makes_no_query_per_row(db, son_ha, make_village, count_queries):
    for n in range(5):
        make_village(son_ha["old:son-ba"], f"Thôn {n + 1}")
    rows = [[f"Đinh Văn {chr(65 + n % 26)}{'a' * (n // 26)}", "Nam", f"{1950 + n % 50}",
             "Hrê", "Trưởng thôn", f"Thôn {n % 5 + 1}", "Sơn Ba" if n % 2 else "Sơn Kỳ",
             f"09051{n:05d}"] for n in range(200)]
    table = cf.read_table("a.xlsx", xlsx(rows))
    db.session.expire_all()
    with count_queries() as queries:
        valid, problems = cf.validate(table)
    assert problems == [] and len(valid) == 200
    assert queries() <= 3


def test_import_looks_up_identities_in_one_query(db, son_ha, count_queries):
    rows = [[f"Đinh Thị {chr(65 + n % 26)}{'a' * (n // 26)}", "Nữ", "1980", "", "Trưởng thôn",
             "", "Sơn Ba", ""] for n in range(200)]
    run_import(db, xlsx(rows))
    valid, problems = cf.load("a.xlsx", xlsx(rows))
    db.session.expire_all()
    with count_queries() as queries:
        summary = cf.import_rows(None, valid)
    assert summary.unchanged == 200
    assert queries() <= 2


# ------------------------------------------------------------------------------ importing


def test_import_creates_then_is_unchanged(db, son_ha):
    summary = run_import(db, xlsx([HOA, BAY]))
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    hoa = db.session.scalar(select(Cadre).where(Cadre.full_name == "Đinh Thị Hoa"))
    assert hoa.commune_id == son_ha["old:son-ba"].id
    assert hoa.position.code == "truong-thon" and hoa.level == "village"
    assert hoa.birth_text == "05/03/1980" and hoa.ethnicity_code == "18"
    bay = db.session.scalar(select(Cadre).where(Cadre.full_name == "Đinh Văn Bảy"))
    assert bay.commune_id == son_ha["new:son-ky"].id and bay.birth_date is None
    summary = run_import(db, xlsx([HOA, BAY]))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert cadre_count(db) == 2
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("cadre.create") == 2


def test_update_of_the_same_person(db, son_ha):
    run_import(db, xlsx([HOA]))
    changed = HOA[:4] + ["Người có uy tín", ""] + HOA[6:7] + ["0912 345 678"]
    summary = run_import(db, xlsx([changed]))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    hoa = db.session.scalar(select(Cadre))
    assert hoa.position.code == "nguoi-co-uy-tin" and hoa.phone == "0912345678"
    assert cadre_count(db) == 1


def test_nfd_names_match_nfc_cadres(db, son_ha, make_cadre):
    cadre = make_cadre("Đinh Thị Hoa", birth_year=1980, commune=son_ha["new:son-ky"],
                       ethnicity_code="18")
    row = [nfd("Đinh Thị Hoa"), nfd("Nữ"), "1980", nfd("Hrê"), nfd("Trưởng thôn"), "",
           nfd("Sơn Kỳ"), "0905123456"]
    summary = run_import(db, csv_bytes([row]), filename="a.csv")
    assert (summary.created, summary.updated) == (0, 1)
    assert cadre_count(db) == 1
    db.session.refresh(cadre)
    assert cadre.full_name == unicodedata.normalize("NFC", "Đinh Thị Hoa")
    assert cadre.phone == "0905123456"
    summary = run_import(db, csv_bytes([row]), filename="a.csv")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)


def test_capitals_name_matches_and_keeps_the_stored_spelling(db, son_ha, make_cadre):
    cadre = make_cadre("Đinh Thị Hoa", birth_year=1980, ethnicity_code="18")
    row = ["ĐINH THỊ HOA", "Nữ", "1980", "Hrê", "Trưởng thôn", "", "Sơn Kỳ", ""]
    summary = run_import(db, xlsx([row]))
    assert summary.unchanged == 1
    db.session.refresh(cadre)
    assert cadre.full_name == "Đinh Thị Hoa"
    run_import(db, xlsx([["ĐINH VĂN MỚI"] + row[1:]]))
    assert db.session.scalar(select(Cadre).where(Cadre.id != cadre.id)).full_name \
        == "Đinh Văn Mới"


def test_absent_optional_columns_keep_stored_values(db, son_ha, make_cadre):
    cadre = make_cadre("Đinh Thị Hoa", birth_year=1980, phone="0905123456",
                       ethnicity_code="18")
    header = ["Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ", "Xã"]
    summary = run_import(db, xlsx([["Đinh Thị Hoa", "Nữ", "1980", "Trưởng thôn", "Sơn Kỳ"]],
                                  header=header))
    assert summary.unchanged == 1
    db.session.refresh(cadre)
    assert (cadre.phone, cadre.ethnicity_code) == ("0905123456", "18")


def test_cadre_of_a_former_commune_stays_there(db, son_ha, make_cadre):
    """"xã Sơn Kỳ" names the former and the current commune: a cadre of the former stays."""
    cadre = make_cadre("Đinh Thị Hoa", birth_year=1980, commune=son_ha["old:son-ky"],
                       ethnicity_code="18")
    row = ["Đinh Thị Hoa", "Nữ", "1980", "Hrê", "Trưởng thôn", "", "xã Sơn Kỳ", ""]
    assert run_import(db, xlsx([row])).unchanged == 1
    db.session.refresh(cadre)
    assert cadre.commune_id == son_ha["old:son-ky"].id


def test_refused_files_say_why_and_are_not_to_commit(db, son_ha):
    picture = cf.import_file(None, "anh.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert (picture.status, picture.summary, picture.to_commit) == (400, None, False)
    assert "không phải bảng tính" in picture.problems[0].message
    assert picture.refusal().status == 400 and not picture.refusal().readable
    bad_date = HOA[:2] + ["31/02/1980"] + HOA[3:]
    wrong = cf.import_file(None, "a.xlsx", xlsx([BAY, bad_date, ["", "Nữ"] + BAY[2:]]))
    assert (wrong.status, wrong.summary, wrong.to_commit) == (422, None, False)
    assert [(p.row, p.column) for p in wrong.problems] == [(3, cf.BIRTH), (4, cf.NAME)]
    assert isinstance(wrong.refusal(), cf.ImportProblem) and wrong.refusal().status == 422
    assert cadre_count(db) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_cadre_ids_are_in_file_order(db, son_ha):
    first = run_import(db, xlsx([HOA, BAY]))
    again = run_import(db, xlsx([BAY, ["Hồ Thị Lan"] + HOA[1:], HOA]))
    new = db.session.scalar(select(Cadre.id).where(Cadre.full_name == "Hồ Thị Lan"))
    assert again.cadre_ids == [first.cadre_ids[1], new, first.cadre_ids[0]]


def test_a_person_added_meanwhile_is_a_conflict_and_nothing_is_written(db, son_ha,
                                                                       monkeypatch):
    run_import(db, xlsx([HOA]))
    # As if another import had added Hoa after this one looked her up: the database refuses.
    monkeypatch.setattr("app.people.cadre_file.importing.existing_by_key", lambda keys: {})
    outcome = cf.import_file(None, "a.xlsx", xlsx([BAY, HOA]))
    assert (outcome.status, outcome.summary, outcome.to_commit) == (409, None, False)
    assert "vừa được người khác thay đổi trong lúc nhập" in outcome.problems[0].message
    assert outcome.refusal().status == 409
    db.session.rollback()
    assert cadre_count(db) == 1  # nor Bảy
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "cadre.import")) == 1


def test_create_only_finds_listed_cadres_and_only_completes_the_birth_date(db, son_ha):
    """Nominating from a file: new people are added, listed ones are not rewritten; a full
    date of the stored year fills in a cadre known by the year alone."""
    run_import(db, xlsx([HOA[:2] + ["1980"] + HOA[3:], BAY]))
    hoa_moved = HOA[:4] + ["Người có uy tín", ""] + HOA[6:7] + ["0912345678"]
    bay_moved = BAY[:4] + ["Trưởng thôn"] + BAY[5:7] + ["0905000111"]
    summary = run_import(db, xlsx([hoa_moved, bay_moved]), create_only=True)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    hoa, bay = db.session.scalars(select(Cadre).order_by(Cadre.id))
    assert hoa.birth_date == date(1980, 3, 5)
    assert (hoa.position.code, hoa.phone) == ("truong-thon", "0905123456")
    assert (bay.position.code, bay.phone) == ("ctv-giam-ngheo", None)
    (update,) = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "cadre.update"))
    assert set(update.data["changes"]) == {"birth_date"}


def test_dry_run_writes_nothing(db, son_ha):
    summary = run_import(db, xlsx([HOA, BAY]), dry_run=True)
    assert summary.created == 2
    assert cadre_count(db) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_an_import_is_recorded_once(db, son_ha):
    run_import(db, xlsx([HOA, BAY]), filename="a.xlsx")
    (entry,) = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "cadre.import"))
    assert entry.data == {"file": "a.xlsx", "source": "test", "created": 2, "updated": 0,
                          "unchanged": 0}


# ------------------------------------------------------------------------------ writing


def test_export_round_trip_is_unchanged(db, son_ha, make_village, make_cadre):
    village = make_village(son_ha["old:son-ba"], "Làng Rê")
    make_cadre("Đinh Thị Hoa", birth_year=1980, birth_date=date(1980, 3, 5),
               commune=son_ha["old:son-ba"], village_id=village.id, phone="0905123456",
               ethnicity_code="18")
    make_cadre("Phạm Văn Bảy", gender="M", birth_year=1975, commune=son_ha["old:son-ky"],
               position="ctv-giam-ngheo", ethnicity_code=None)
    make_cadre("Đinh Văn Ba", gender="M", birth_year=1990, commune=son_ha["new:son-ky"],
               position="chu-tich-ubnd-xa", level="commune", village_id=village.id)
    make_cadre("Hồ Thị Lan", birth_year=1970, commune=son_ha["old:di-lang"],
               ethnicity_code="16")
    cadres = db.session.scalars(select(Cadre).order_by(Cadre.id)).all()
    before = {c.id: (c.full_name, c.commune_id, c.village_id, c.level, c.updated_at)
              for c in cadres}
    summary = run_import(db, cf.write_xlsx(cadres))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    db.session.expire_all()
    after = {c.id: (c.full_name, c.commune_id, c.village_id, c.level, c.updated_at)
             for c in db.session.scalars(select(Cadre))}
    assert after == before


def test_export_layout(db, son_ha, make_cadre):
    make_cadre("Đinh Thị Hoa", birth_year=1980, birth_date=date(1980, 3, 5),
               phone="0905123456", ethnicity_code="18")
    book = load_workbook(io.BytesIO(cf.write_xlsx(db.session.scalars(select(Cadre)))))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 25
    # the birth date is a date (issue 14), the phone number text that keeps its 0
    assert [c.value for c in sheet[2]] == ["Đinh Thị Hoa", "Nữ", datetime(1980, 3, 5), "Hrê",
                                           "Trưởng thôn, bản", None,
                                           "xã Sơn Kỳ", "0905123456", "Không"]
    assert sheet["C2"].is_date and sheet["C2"].number_format == "dd/mm/yyyy"
    assert sheet["H2"].number_format == "@"


def test_template(db, son_ha):
    book = load_workbook(io.BytesIO(cf.template_xlsx()))
    assert book.sheetnames == [cf.DATA_SHEET, cf.HELP_SHEET]
    assert [c.value for c in book[cf.DATA_SHEET][1]] == HEADER
    assert book[cf.DATA_SHEET].max_row == 1
    help_text = "\n".join(str(v) for row in book[cf.HELP_SHEET].iter_rows(values_only=True)
                          for v in row if v)
    assert "Trưởng thôn, bản" in help_text and "truong-thon" in help_text
    assert "Tổ trưởng tổ dân phố" in help_text and "Cấp tỉnh" in help_text
    # positions no longer offered are not in the list a file is typed from
    assert "cần cập nhật" not in help_text and "Trưởng thôn, tổ trưởng" not in help_text
    assert "thị trấn Di Lăng" in help_text and "Đã sáp nhập vào xã Sơn Kỳ" in help_text
    assert "Hrê" in help_text and "Xơ-đăng" in help_text
    with pytest.raises(cf.ImportProblem) as caught:  # the template itself has no data rows
        cf.read_table("mau.xlsx", cf.template_xlsx())
    assert "chưa có dòng dữ liệu" in caught.value.problems[0].message


def test_filled_template_imports(db, son_ha):
    book = load_workbook(io.BytesIO(cf.template_xlsx()))
    book[cf.DATA_SHEET].append(HOA)
    out = io.BytesIO()
    book.save(out)
    assert run_import(db, out.getvalue()).created == 1


def test_a_former_commune_name_does_not_move_a_current_cadre_back(db, son_ha, make_cadre):
    """The file still says "Sơn Ba"; the cadre is recorded under xã Sơn Kỳ (its successor)."""
    cadre = make_cadre("Đinh Văn Cũ", gender="M", birth_year=1970,
                       commune=son_ha["new:son-ky"])
    data = csv_bytes([["Đinh Văn Cũ", "Nam", "1970", "Hrê", "Trưởng thôn", "", "Sơn Ba", ""]])
    summary = run_import(db, data, filename="ds.csv")
    assert summary.created == 0
    assert db.session.get(type(cadre), cadre.id).commune_id == son_ha["new:son-ky"].id
