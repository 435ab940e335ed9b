"""A coordinator's scope follows their unit (app/people/scope.py): a commune coordinator sees
and changes that commune's cadres only (history included: cadres recorded under a commune
merged into it); a provincial one, or one with no unit, sees all."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.auth.models import User
from app.people.models import Cadre, Unit
from tests.people.test_cadre_file import HEADER, xlsx


@pytest.fixture()
def two(db, son_ha, make_user, make_cadre):
    """A coordinator of xã Sơn Kỳ, one of xã Sơn Hà, a provincial one; a cadre of each
    commune and one recorded under xã Sơn Ba (merged into Sơn Kỳ)."""
    province = db.session.scalar(select(Unit).where(Unit.kind == "province"))
    return {
        "ky": make_user("dieuphoi_ky", roles=("coordinator",), unit_id=son_ha["new:son-ky"].id),
        "ha": make_user("dieuphoi_ha", roles=("coordinator",), unit_id=son_ha["new:son-ha"].id),
        "tinh": make_user("dieuphoi_tinh", roles=("coordinator",), unit_id=province.id),
        "hoa": make_cadre("Đinh Thị Hoa", commune=son_ha["new:son-ky"], phone="0905111222"),
        "ba": make_cadre("Đinh Văn Bốc", commune=son_ha["old:son-ba"]),
        "lanh": make_cadre("Phạm Thị Lanh", commune=son_ha["new:son-ha"]),
    }


def test_a_commune_coordinator_lists_only_their_communes_cadres(client, two, login):
    login(two["ky"])
    page = client.get("/cadres/").get_data(as_text=True)
    assert "Đinh Thị Hoa" in page and "Đinh Văn Bốc" in page
    assert "Phạm Thị Lanh" not in page
    # the commune filter offers only their communes; another commune's id finds nobody
    other = client.get(f"/cadres/?commune={two['lanh'].commune_id}").get_data(as_text=True)
    assert "Phạm Thị Lanh" not in other


def test_the_export_holds_only_the_scope(client, two, login):
    login(two["ha"])
    response = client.get("/cadres/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Phạm Thị Lanh"}


@pytest.mark.parametrize("who", ["tinh", None])
def test_a_provincial_coordinator_or_one_without_unit_sees_everyone(client, db, two, login,
                                                                    make_user, who):
    user = two["tinh"] if who else make_user("dieuphoi_cu", roles=("coordinator",))
    login(user)
    page = client.get("/cadres/").get_data(as_text=True)
    assert all(n in page for n in ("Đinh Thị Hoa", "Đinh Văn Bốc", "Phạm Thị Lanh"))
    assert client.get(f"/cadres/{two['lanh'].id}").status_code == 200


def test_another_communes_cadre_is_refused_on_every_cadre_route(client, db, two, login):
    login(two["ky"])
    lanh = two["lanh"].id
    assert client.get(f"/cadres/{lanh}").status_code == 403
    assert client.get(f"/cadres/{lanh}/edit").status_code == 403
    edit = client.post(f"/cadres/{lanh}/edit", data={"full_name": "Đổi Tên"})
    assert edit.status_code == 403
    assert client.post(f"/cadres/{lanh}/active", data={"target": "0"}).status_code == 403
    assert client.post(f"/cadres/{lanh}/account",
                       data={"username": "lanh", "password": "x" * 10}).status_code == 403
    db.session.expire_all()
    lanh_now = db.session.get(Cadre, lanh)
    assert lanh_now.full_name == "Phạm Thị Lanh" and lanh_now.active
    assert client.get(f"/cadres/{two['ba'].id}").status_code == 200  # merged into Sơn Kỳ


def test_a_cadre_cannot_be_added_to_another_commune(client, db, two, login, son_ha):
    from app.people.models import Position

    login(two["ky"])
    position = db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))
    response = client.post("/cadres/new", data={
        "full_name": "Hồ Văn Rin", "gender": "M", "birth": "1980",
        "position_id": position, "commune_id": son_ha["new:son-ha"].id})
    assert response.status_code == 400
    assert db.session.scalar(select(Cadre).where(Cadre.full_name == "Hồ Văn Rin")) is None


def test_an_import_row_of_another_commune_is_a_problem(client, db, two, login):
    login(two["ky"])
    rows = [["Hồ Văn Rin", "Nam", "1980", "Hrê", "Trưởng thôn", "", "Sơn Hà", ""],
            ["Hồ Văn Chiến", "Nam", "1981", "Hrê", "Trưởng thôn", "", "Sơn Kỳ", ""]]
    response = client.post("/cadres/import", data={
        "file": (io.BytesIO(xlsx(rows, header=HEADER)), "ds.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "không thuộc phạm vi phụ trách của bạn" in page
    assert db.session.scalar(select(Cadre).where(Cadre.full_name.like("Hồ Văn%"))) is None


def test_the_admin_sets_a_coordinators_unit(client, db, users, login, son_ha):
    login(users["admin"])
    coordinator = users["coordinator"]
    form = {"username": coordinator.username, "full_name": coordinator.full_name,
            "roles": ["coordinator"], "active": "y"}
    page = client.get(f"/admin/users/{coordinator.id}").get_data(as_text=True)
    assert "Đơn vị phụ trách" in page and "Toàn tỉnh" in page
    response = client.post(f"/admin/users/{coordinator.id}",
                           data={**form, "unit_id": son_ha["new:son-ky"].id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, coordinator.id).unit_id == son_ha["new:son-ky"].id
    for bad in ("²", "99999999999", str(son_ha["old:son-ba"].id)):  # no former commune
        refused = client.post(f"/admin/users/{coordinator.id}", data={**form, "unit_id": bad})
        assert refused.status_code == 400, bad
    back = client.post(f"/admin/users/{coordinator.id}", data={**form, "unit_id": ""})
    assert back.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, coordinator.id).unit_id is None


def test_the_list_queries_do_not_grow_with_the_scope(client, db, two, login, make_cadre,
                                                     son_ha, count_queries):
    login(two["ky"])

    def add(letters):
        for letter in letters:
            make_cadre(f"Đinh Thị Mai {letter}", commune=son_ha["new:son-ky"])

    add("AB")
    client.get("/cadres/")
    with count_queries() as few:
        client.get("/cadres/")
    add("CDEFGHIJKLMNO")
    client.get("/cadres/")
    with count_queries() as many:
        assert "Đinh Thị Mai O" in client.get("/cadres/").get_data(as_text=True)
    assert many() == few()
