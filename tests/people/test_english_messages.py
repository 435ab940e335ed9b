"""A user who chose English sees the cadre import's and the cadre forms' messages in English;
the command line, which has no reader's language, stays Vietnamese."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.people import cadre_file as cf
from app.people.models import Position

HOA = ["Đinh Thị Hoa", "Nữ", "05/03/1980", "Hrê", "Trưởng thôn", "", "xã Sơn Ba",
       "0905123456"]
BAY = ["Đinh Văn Bảy", "Nam", "1985", "Kinh", "Cộng tác viên giảm nghèo", "", "Sơn Kỳ", ""]


def xlsx(rows, header=cf.COLUMNS) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post(client, data: bytes, filename="danh-sach.xlsx"):
    return client.post("/cadres/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


@pytest.fixture()
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture()
def coordinator(english, users, login, son_ha):
    login(users["coordinator"])
    return users["coordinator"]


def test_import_problems_are_in_english(english, db, coordinator):
    bad_date = HOA[:2] + ["31/02/1980"] + HOA[3:]
    unknown_commune = BAY[:6] + ["xã Sơn Mới", ""]
    response = post(english, xlsx([bad_date, unknown_commune, BAY[:1] + ["X"] + BAY[2:]]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Invalid date: 31/02/1980" in page
    assert "Commune “xã Sơn Mới” was not found. See the list of communes on the " \
           "“Hướng dẫn” (Instructions) sheet of the template." in page
    assert "Invalid gender “X”; write Nam or Nữ" in page
    # The column names are the file's own headers: they stay as written in the file.
    assert '<td class="text-nowrap">Ngày sinh</td>' in page
    for vietnamese in ("Ngày không hợp lệ", "Không tìm thấy xã", "Giới tính “X”"):
        assert vietnamese not in page


@pytest.mark.parametrize("data,expected", [
    (b"", "The file is empty; it has no data."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not an .xlsx spreadsheet or a "
                                             "UTF-8 .csv file."),
    ("missing", "Required column “Ngày sinh” is missing. The header row must have the "
                "columns: Họ và tên, Giới tính, Ngày sinh,"),
    ("header-only", "The file has only the header row (row 1) and no data rows."),
])
def test_file_problems_are_in_english(english, db, coordinator, data, expected):
    if data == "missing":
        data = xlsx([["Đinh Thị Hoa", "Nữ", "Trưởng thôn", "Sơn Ba"]],
                    header=["Họ và tên", "Giới tính", "Chức vụ", "Xã"])
    elif data == "header-only":
        data = xlsx([])
    page = post(english, data).get_data(as_text=True)
    assert expected in page


def test_duplicate_and_ambiguous_rows_are_explained_in_english(english, db, coordinator,
                                                               make_cadre):
    response = post(english, xlsx([HOA, BAY, HOA, BAY[:2] + ["01/01/2099"] + BAY[3:]]))
    page = response.get_data(as_text=True)
    assert "Duplicate of row 2: same full name, date of birth and commune" in page
    assert "Date of birth 01/01/2099 is in the future." in page


def test_cli_import_stays_vietnamese_while_the_page_is_english(app, english, db, coordinator,
                                                               tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx([HOA[:2] + ["31/02/1980"] + HOA[3:]]))
    # The command line first: the test shares one app context, where Flask-Babel keeps the
    # locale of the last request (a real `flask cadres import` starts afresh).
    result = app.test_cli_runner().invoke(args=["cadres", "import", str(path)])
    assert result.exit_code == 1
    assert "Dòng 2, cột “Ngày sinh”: Ngày không hợp lệ: 31/02/1980" in result.output
    page = post(english, path.read_bytes()).get_data(as_text=True)
    assert "Invalid date: 31/02/1980" in page


def _form(db, son_ha, **overrides):
    data = {"full_name": "Đinh Thị Bích", "gender": "F", "birth": "05/02/1985",
            "ethnicity_code": "18",
            "position_id": db.session.scalar(select(Position.id)
                                             .where(Position.code == "truong-thon")),
            "commune_id": son_ha["new:son-ky"].id, "village_id": "", "phone": "0905 111 222"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides,expected", [
    ({"birth": "01/01/2099"}, "Date of birth 01/01/2099 is in the future."),
    ({"birth": "31/02/1980"}, "Invalid date: 31/02/1980"),
    ({"birth": "1850"}, "Year of birth 1850 is not plausible."),
    ({"phone": "12345"}, "Invalid phone number “12345”; write 10 digits, e.g. 0905123456."),
    ({"full_name": "Hoa 2"}, "Invalid full name “Hoa 2”: use only letters, spaces"),
])
def test_cadre_form_messages_are_in_english(english, db, coordinator, son_ha, overrides,
                                            expected):
    response = english.post("/cadres/new", data=_form(db, son_ha, **overrides))
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)


def test_village_outside_the_commune_is_explained_in_english(english, db, coordinator, son_ha,
                                                             make_village):
    village = make_village(son_ha["new:son-ha"], "Gò Da")
    response = english.post("/cadres/new", data=_form(db, son_ha, village_id=village.id))
    assert response.status_code == 400
    assert "Thôn Gò Da is not in xã Sơn Kỳ." in response.get_data(as_text=True)


def test_account_link_messages_are_in_english(english, db, coordinator, make_cadre, app):
    cadre = make_cadre("Đinh Thị Lanh")
    missing = english.post(f"/cadres/{cadre.id}/account", data={"username": "lanh"})
    assert "This account does not exist yet. Enter an initial password" in \
        missing.get_data(as_text=True)
    short = english.post(f"/cadres/{cadre.id}/account",
                         data={"username": "lanh", "password": "abc"})
    minimum = app.config["PASSWORD_MIN_LENGTH"]
    assert f"Password must be at least {minimum} characters long." in \
        short.get_data(as_text=True)
    english.post(f"/cadres/{cadre.id}/account", data={"username": "lanh",
                                                       "password": "bay giay tren nuong"})
    other = make_cadre("Phạm Văn Khác", gender="M")
    taken = english.post(f"/cadres/{other.id}/account", data={"username": "lanh"})
    assert "Account lanh is already linked to cadre Đinh Thị Lanh." in \
        taken.get_data(as_text=True)


def test_unit_merger_problems_are_in_english(english, db, users, login, son_ha):
    login(users["admin"])
    new = son_ha["new:son-ky"]
    response = english.post(f"/units/{new.id}/edit", data={
        "name": new.name, "code": new.code, "kind": "commune", "category": "xã",
        "parent_id": new.parent_id, "valid_from": "01/07/2025", "valid_to": "01/01/2030",
        "successor_id": son_ha["old:son-ba"].id})
    assert response.status_code == 400
    assert "has been (or will be) merged into this very unit." in \
        response.get_data(as_text=True)


def test_unit_validity_is_in_english(english, db, coordinator, son_ha):
    page = english.get("/units/").get_data(as_text=True)
    assert "(until 30/06/2025)" in page
    assert "đến 30/06/2025" not in page
