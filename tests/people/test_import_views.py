"""/cadres/import, /cadres/import/template.xlsx and /cadres/export.xlsx."""

import csv
import io
import re
import unicodedata
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy import text as sql

from app.audit.models import AuditEntry
from app.people import after_import, search_index
from app.people import cadre_file as cf
from app.people.models import Cadre
from tests.conftest import statements

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = list(cf.COLUMNS)
HOA = ["Đinh Thị Hoa", "Nữ", "05/03/1980", "Hrê", "Trưởng thôn", "", "xã Sơn Ba",
       "0905123456"]
BAY = ["Đinh Văn Bảy", "Nam", "1985", "Kinh", "Cộng tác viên giảm nghèo", "", "Sơn Kỳ", ""]
URLS = ["/cadres/import", "/cadres/import/template.xlsx", "/cadres/export.xlsx"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bom(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def post(client, data: bytes, filename="danh-sach.xlsx", dry_run=False):
    form = {"file": (io.BytesIO(data), filename)}
    if dry_run:
        form["dry_run"] = "y"
    return client.post("/cadres/import", data=form, content_type="multipart/form-data")


def count(db, model=Cadre) -> int:
    db.session.rollback()
    query = select(func.count(model.id))
    if model is AuditEntry:  # signing in is audited too
        query = query.where(AuditEntry.object_type == "cadre")
    return db.session.scalar(query)


@pytest.fixture()
def coordinator(users, login, son_ha):
    login(users["coordinator"])
    return users["coordinator"]


# ------------------------------------------------------------------------------ access


@pytest.mark.parametrize("url", URLS)
def test_anonymous_goes_to_login(client, son_ha, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["learner", "trainer"])
@pytest.mark.parametrize("url", URLS)
def test_forbidden_for_learners_and_trainers(client, users, login, son_ha, role, url):
    login(users[role])
    assert client.get(url).status_code == 403


def test_forbidden_post_writes_nothing(client, users, login, db, son_ha):
    login(users["trainer"])
    assert post(client, xlsx([HOA])).status_code == 403
    assert count(db) == 0


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_import_page(client, users, login, son_ha, role):
    login(users[role])
    response = client.get("/cadres/import")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Chỉ kiểm tra, chưa nhập" in page
    assert 'enctype="multipart/form-data"' in page
    assert "/cadres/import/template.xlsx" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (CSP)
    assert "style=" not in page


# ------------------------------------------------------------------------------ import


def test_good_xlsx_imports_and_redirects(client, db, coordinator):
    response = post(client, xlsx([HOA, BAY]))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cadres/")
    assert count(db) == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cadre.import"))
    assert entry.user_id == coordinator.id
    assert entry.data["created"] == 2 and entry.data["file"] == "danh-sach.xlsx"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "thêm mới 2, cập nhật 0, không đổi 0" in page


def test_good_csv_with_bom(client, db, coordinator):
    response = post(client, csv_bom([HOA, BAY]), filename="danh-sach.csv")
    assert response.status_code == 302
    assert count(db) == 2


def test_nfd_file_updates_not_duplicates(client, db, coordinator, make_cadre, son_ha):
    make_cadre("Đinh Thị Hoa", birth_year=1980, birth_date=date(1980, 3, 5),
               commune=son_ha["old:son-ba"], ethnicity_code="18")
    row = [unicodedata.normalize("NFD", v) for v in HOA]
    assert post(client, csv_bom([row]), filename="a.csv").status_code == 302
    assert count(db) == 1
    assert db.session.scalar(select(Cadre.phone)) == "0905123456"
    response = post(client, csv_bom([row]), filename="a.csv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "thêm mới 0, cập nhật 0, không đổi 1" in page


def test_dry_run_writes_nothing(client, db, coordinator):
    response = post(client, xlsx([HOA, BAY]), dry_run=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "(chưa lưu)" in page and "thêm mới 2" in page
    assert count(db) == 0
    assert count(db, AuditEntry) == 0


def test_no_file(client, db, coordinator):
    response = client.post("/cadres/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Vui lòng chọn tệp danh sách cán bộ" in response.get_data(as_text=True)


@pytest.mark.parametrize("data,filename,status,expected", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "anh.xlsx", 400,
     "Tệp không phải bảng tính .xlsx hoặc .csv UTF-8"),
    ("Họ và tên,Giới tính\nHoàng Văn,Nam\n".encode("cp1258", errors="replace"), "a.csv", 400,
     "CSV UTF-8"),
    (b"", "rong.xlsx", 422, "Tệp trống"),
    ("header-only", "a.xlsx", 422, "chưa có dòng dữ liệu"),
    ("missing", "a.xlsx", 422, "Thiếu cột bắt buộc “Ngày sinh”"),
])
def test_unusable_files(client, db, coordinator, data, filename, status, expected):
    if data == "header-only":
        data = xlsx([])
    elif data == "missing":
        data = xlsx([["Đinh Thị Hoa", "Nữ", "Trưởng thôn", "Sơn Ba"]],
                    header=["Họ và tên", "Giới tính", "Chức vụ", "Xã"])
    response = post(client, data, filename=filename)
    assert response.status_code == status
    assert expected in response.get_data(as_text=True)
    assert count(db) == 0


@pytest.mark.parametrize("column,value,expected", [
    ("Xã", "xã Sơn Mới", "Không tìm thấy xã “xã Sơn Mới”"),
    ("Chức vụ", "Giám đốc", "Chức vụ “Giám đốc” không có trong danh mục"),
    ("Ngày sinh", "31/02/1980", "Ngày không hợp lệ: 31/02/1980"),
    ("Ngày sinh", "01/01/2099", "ở tương lai"),
    ("Họ và tên", "NguyÔn ThÞ Hoa", "lỗi phông"),
    ("Họ và tên", "Nguyeãn Thò Hoa", "TCVN3/VNI"),
])
def test_invalid_rows_import_nothing(client, db, coordinator, column, value, expected):
    bad = list(BAY)
    bad[cf.COLUMNS.index(column)] = value
    response = post(client, xlsx([HOA, bad]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Chưa nhập dòng nào" in page
    assert f"<td class=\"text-nowrap\">3</td><td class=\"text-nowrap\">{column}</td>" in page
    assert expected in page
    assert count(db) == 0 and count(db, AuditEntry) == 0


def test_duplicate_rows_in_file(client, db, coordinator):
    response = post(client, xlsx([HOA, BAY, HOA]))
    assert response.status_code == 422
    assert "Trùng với dòng 2" in response.get_data(as_text=True)
    assert count(db) == 0


# The whole file typed in an old font (TCVN3 / .VnTime, VNI-Times), headers included: the
# importer cannot find the columns, and must say why instead of "missing column" five times.
TCVN3_FILE = (["Hä vµ tªn", "Giíi tÝnh", "Ngµy sinh", "D©n téc", "Chøc vô", "Th«n/B¶n", "X·",
               "Sè ®iÖn tho¹i"],
              ["§inh ThÞ Hoa", "N÷", "05/03/1980", "Hrª", "Tr\xadëng th«n", "", "x· S¬n Ba", ""])
VNI_FILE = (["Hoï vaø teân", "Giôùi tính", "Ngaøy sinh", "Daân toäc", "Chöùc vuï", "Thoân/Baûn",
             "Xaõ", "Soá ñieän thoaïi"],
            ["Ñinh Thò Hoa", "Nöõ", "05/03/1980", "Hreâ", "Tröôûng thoân", "", "xaõ Sôn Ba", ""])


@pytest.mark.parametrize("header,row", [TCVN3_FILE, VNI_FILE], ids=["tcvn3", "vni"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_file_in_a_legacy_font_is_explained_once(client, db, coordinator, header, row, fmt):
    if fmt == "xlsx":
        data = xlsx([row], header=header)
    else:
        data = "\n".join(",".join(r) for r in (header, row)).encode("utf-8")
    response = post(client, data, filename=f"danh-sach.{fmt}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "bảng mã cũ (TCVN3/.Vn hoặc VNI)" in page and "Unikey" in page
    assert "Thiếu cột bắt buộc" not in page
    assert count(db) == 0 and count(db, AuditEntry) == 0


def test_a_missing_column_is_not_blamed_on_a_legacy_font(client, db, coordinator):
    header = [c for c in HEADER if c != "Ngày sinh"]
    row = ["NguyÔn ThÞ Hoa", "Nữ", "Hrê", "Trưởng thôn", "", "xã Sơn Ba", ""]
    page = post(client, xlsx([row], header=header)).get_data(as_text=True)
    assert "Thiếu cột bắt buộc “Ngày sinh”" in page
    assert "bảng mã cũ (TCVN3/.Vn hoặc VNI), không phải Unicode, nên không đọc được" not in page


def test_every_problem_is_listed(client, db, coordinator):
    rows = [["", "X", "31/02/1980", "", "Giám đốc", "", "Sơn Mới", ""], HOA,
            HOA[:2] + ["2099"] + HOA[3:]]
    page = post(client, xlsx(rows)).get_data(as_text=True)
    assert "Tệp danh-sach.xlsx có 6 lỗi" in page
    for text in ("Chưa ghi họ và tên", "Nam hoặc Nữ", "31/02/1980", "Giám đốc", "Sơn Mới",
                 "tương lai"):
        assert text in page


def test_a_file_wrong_in_every_row_lists_the_first_problems_and_counts_by_column(
        client, db, coordinator):
    rows = [HOA[:2] + ["31/02/1980"] + HOA[3:6] + ["Sơn Mới", ""] for _ in range(400)]
    page = post(client, xlsx(rows)).get_data(as_text=True)
    assert "Tệp danh-sach.xlsx có 800 lỗi" in page  # every row: the date and the commune
    assert "Dưới đây là 300 lỗi đầu tiên" in page
    assert "Ngày sinh: 400" in page and "Xã: 400" in page
    listed = page.split('id="problems-title"')[1].split("</section>")[0]
    assert listed.count("<tr><td") == 300
    assert len(page) < 200_000
    assert count(db) == 0


# ------------------------------------------------------------------------------ template, export


def test_template_download_reads_back(client, coordinator):
    response = client.get("/cadres/import/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in book.worksheets[0][1]] == HEADER
    assert cf.HELP_SHEET in book.sheetnames


def test_export(client, db, coordinator, make_cadre, son_ha):
    make_cadre("Đinh Thị Hoa", birth_year=1980, phone="0905123456", ethnicity_code="18")
    response = client.get("/cadres/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "danh-sach-can-bo.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A2"].value == "Đinh Thị Hoa"


def test_export_is_in_name_order_and_its_queries_do_not_grow(client, db, coordinator,
                                                             make_cadre, make_village, son_ha,
                                                             count_queries):
    village = make_village(son_ha["new:son-ky"], "Gò Da")
    for i, name in enumerate(["Đinh Thị Ánh", "Phạm Văn Ân", "Hồ Thị An", "Đinh Văn Anh",
                              "Lê Thị Ánh"]):
        make_cadre(name, gender="M" if "Văn" in name else "F", birth_year=1970 + i,
                   village_id=village.id)
    db.session.remove()
    with count_queries() as one:
        client.get("/cadres/export.xlsx?q=le thi")
    with count_queries() as five:
        response = client.get("/cadres/export.xlsx")
    assert five() == one()
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # given name first (An < Anh < Ánh < Ân), then middle, then family name
    assert names == ["Hồ Thị An", "Đinh Văn Anh", "Đinh Thị Ánh", "Lê Thị Ánh", "Phạm Văn Ân"]


def test_export_respects_filters(client, db, coordinator, make_cadre, son_ha):
    make_cadre("Đinh Thị Hoa", birth_year=1980, commune=son_ha["old:son-ba"])
    make_cadre("Phạm Văn Bảy", gender="M", birth_year=1975, commune=son_ha["old:di-lang"])
    make_cadre("Hồ Thị Lan", birth_year=1970, commune=son_ha["new:son-ky"])

    def names(query):
        response = client.get(f"/cadres/export.xlsx?{query}")
        sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
        return sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))

    assert names("") == ["Hồ Thị Lan", "Phạm Văn Bảy", "Đinh Thị Hoa"]
    # Sơn Kỳ rolls up the former xã Sơn Ba.
    assert names(f"commune={son_ha['new:son-ky'].id}") == ["Hồ Thị Lan", "Đinh Thị Hoa"]
    assert names("q=dinh") == ["Đinh Thị Hoa"]
    assert names("gender=M") == ["Phạm Văn Bảy"]


def test_export_then_import_is_unchanged(client, db, coordinator, make_cadre, make_village,
                                         son_ha):
    village = make_village(son_ha["old:son-ba"], "Làng Rê")
    make_cadre("Đinh Thị Hoa", birth_year=1980, birth_date=date(1980, 3, 5),
               commune=son_ha["old:son-ba"], village_id=village.id, phone="0905123456")
    make_cadre("Phạm Văn Bảy", gender="M", birth_year=1975, commune=son_ha["old:son-ky"],
               position="ctv-giam-ngheo", ethnicity_code=None)
    make_cadre("Hồ Thị Lan", birth_year=1970, commune=son_ha["new:son-ky"])
    exported = client.get("/cadres/export.xlsx").data
    response = post(client, exported, filename="danh-sach-can-bo.xlsx")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "thêm mới 0, cập nhật 0, không đổi 3" in page
    assert count(db) == 3
    assert count(db, AuditEntry) == 1  # the import itself; no cadre.update


# ------------------------------------------------------------------------------ same person by year


def test_a_year_only_row_updates_the_cadre_known_by_date(client, db, coordinator, make_cadre,
                                                         son_ha):
    hoa = make_cadre("Đinh Thị Hoa", birth_year=1980, birth_date=date(1980, 3, 5),
                     commune=son_ha["old:son-ba"], ethnicity_code="18")
    response = post(client, xlsx([HOA[:2] + ["1980"] + HOA[3:]]))
    assert response.status_code == 302
    assert count(db) == 1
    db.session.refresh(hoa)
    assert hoa.birth_date == date(1980, 3, 5) and hoa.phone == "0905123456"


def test_a_year_that_fits_two_cadres_is_shown_at_its_row_and_column(client, db, coordinator,
                                                                     make_cadre, son_ha):
    for born in (date(1980, 3, 5), date(1980, 11, 20)):
        make_cadre("Đinh Thị Hoa", birth_year=1980, birth_date=born,
                   commune=son_ha["old:son-ba"])
    response = post(client, xlsx([BAY, HOA[:2] + ["1980"] + HOA[3:]]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<td class="text-nowrap">3</td><td class="text-nowrap">Ngày sinh</td>' in page
    assert "Có 2 cán bộ tên Đinh Thị Hoa sinh năm 1980" in page
    assert count(db) == 2 and count(db, AuditEntry) == 0


def test_a_person_added_meanwhile_is_a_conflict(client, db, coordinator, make_cadre, son_ha,
                                                monkeypatch):
    make_cadre("Đinh Văn Bảy", gender="M", birth_year=1985, ethnicity_code="01")
    # As if another import had added Bảy after this one looked him up.
    monkeypatch.setattr("app.people.cadre_file.importing.existing_by_key", lambda keys: {})
    response = post(client, xlsx([HOA, BAY]))
    assert response.status_code == 409
    assert "vừa được người khác thay đổi trong lúc nhập" in response.get_data(as_text=True)
    assert count(db) == 1 and count(db, AuditEntry) == 0


def _untidy(db) -> int:
    """SQLite: the name index's segments beyond one, read from the FTS5 table's pages (a page's
    id is its segment's number shifted by 37 bits; ids under that are FTS5's own records).
    PostgreSQL: the pages of the trigram index's pending list (moved into the index by asking,
    so asked last)."""
    if db.session.connection().dialect.name == "sqlite":
        return db.session.execute(sql(
            "SELECT count(DISTINCT id >> 37) - 1 FROM cadres_name_fts_data "
            "WHERE id >= 1 << 37")).scalar()
    return db.session.execute(sql("SELECT gin_clean_pending_list(CAST(:index AS regclass))"),
                              {"index": search_index.PG_INDEX}).scalar()


@pytest.mark.parametrize("tidy_after", [2, 100])
def test_a_large_import_tidies_the_search_index(client, db, coordinator, make_cadre,
                                                monkeypatch, tidy_after):
    """An import that writes TIDY_AFTER names or more leaves the name index tidy
    (people/search_index.py `tidy`): on SQLite the FTS5 table merged ('optimize') into one
    segment, on PostgreSQL the GIN index's pending list empty; a smaller one leaves the
    database's own tidying alone. The search finds the names either way. (On SQLite the
    segments left before the import are not counted: on the suite's one connection, after
    another test's 'optimize', FTS5's pages read by SQL did not show segments written since,
    and the test failed in full runs.)"""
    monkeypatch.setattr(after_import, "TIDY_AFTER", tidy_after)
    for i in range(3):
        make_cadre(f"Hồ Văn Sẵn{i}", gender="M")
    with statements() as seen:
        assert post(client, xlsx([HOA, BAY])).status_code == 302
    tidied = "'optimize'" if db.session.connection().dialect.name == "sqlite" \
        else "gin_clean_pending_list"
    assert any(tidied in statement for statement in seen) == (tidy_after == 2)
    if tidy_after == 2 or db.session.connection().dialect.name != "sqlite":
        assert (_untidy(db) == 0) == (tidy_after == 2)
    page = client.get("/cadres/?q=dinh+thi+hoa").get_data(as_text=True)
    assert "Đinh Thị Hoa" in page and "Đinh Văn Bảy" not in page
