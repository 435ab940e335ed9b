from sqlalchemy import select

from app.people.models import Unit
from app.people.queries import villages_of


def test_son_ha_has_14_former_and_5_current_communes(db, son_ha):
    former = [u for k, u in son_ha.items() if k.startswith("old:")]
    current = [u for k, u in son_ha.items() if k.startswith("new:")]
    assert len(former) == 14 and len(current) == 5
    assert son_ha["old:di-lang"].category == "thị trấn"
    assert son_ha["old:son-ba"].current() is son_ha["new:son-ky"]
    assert sorted(u.name for u in son_ha["new:son-ha"].predecessors) == [
        "Di Lăng", "Sơn Bao", "Sơn Thượng"]
    assert all(u.valid_to.isoformat() == "2025-06-30" for u in former)
    assert all(u.valid_from.isoformat() == "2025-07-01" for u in current)


def test_units_page_shows_merger_lineage(client, users, login, son_ha, make_village):
    make_village(son_ha["old:son-ba"], "Gò Da")
    login("coordinator")
    page = client.get("/units/").get_data(as_text=True)
    assert "Sáp nhập vào xã Sơn Kỳ" in page
    assert "Gò Da" in page and "(xã Sơn Ba)" in page


def test_coordinator_adds_village_to_current_commune(client, db, users, login, son_ha):
    login("coordinator")
    commune = son_ha["new:son-linh"]
    response = client.post(f"/units/{commune.id}/villages/new",
                           data={"name": "Nước Lăng", "category": "thôn"})
    assert response.status_code == 302
    assert [v.name for v in villages_of(commune)] == ["Nước Lăng"]
    again = client.post(f"/units/{commune.id}/villages/new",
                        data={"name": "nước lăng", "category": "thôn"})
    assert again.status_code == 400 and "đã có thôn/bản tên này" in again.get_data(True)


def test_admin_records_a_merger(client, db, users, login, son_ha):
    login("admin")
    response = client.post("/units/new", data={
        "name": "Thử Nghiệm", "code": "xa-thu", "kind": "commune", "category": "xã",
        "parent_id": "", "valid_from": "", "valid_to": "", "successor_id": son_ha["new:son-ky"].id})
    assert response.status_code == 400
    assert "phải có ngày cuối còn hiệu lực" in response.get_data(as_text=True)
    response = client.post("/units/new", data={
        "name": "Thử Nghiệm", "code": "xa-thu", "kind": "commune", "category": "xã",
        "parent_id": "", "valid_from": "01/01/2020", "valid_to": "30/06/2025",
        "successor_id": son_ha["new:son-ky"].id})
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "xa-thu"))
    assert unit.current() == son_ha["new:son-ky"]


def test_coordinator_cannot_edit_units_records(client, users, login, son_ha):
    login("coordinator")
    assert client.get("/units/new").status_code == 403


def test_merger_rekeys_cadres_so_imports_still_match(client, db, users, login, son_ha,
                                                     make_cadre):
    from app.people.models import Cadre

    login("admin")
    client.post("/units/new", data={
        "name": "Làng Mới", "code": "xa-lang-moi", "kind": "commune", "category": "xã",
        "parent_id": "", "valid_from": "", "valid_to": "", "successor_id": ""})
    old = db.session.scalar(select(Unit).where(Unit.code == "xa-lang-moi"))
    cadre = make_cadre("Đinh Văn Gộp", gender="M", commune=old)
    response = client.post(f"/units/{old.id}/edit", data={
        "name": "Làng Mới", "code": "xa-lang-moi", "kind": "commune", "category": "xã",
        "parent_id": "", "valid_from": "", "valid_to": "30/06/2025",
        "successor_id": son_ha["new:son-ky"].id})
    assert response.status_code == 302
    cadre = db.session.get(Cadre, cadre.id)
    assert cadre.identity_key.endswith(f"|{son_ha['new:son-ky'].id}")


def test_merger_refused_when_two_records_would_become_one_person(client, db, users, login,
                                                                 son_ha, make_cadre):
    login("admin")
    client.post("/units/new", data={
        "name": "Làng Mới", "code": "xa-lang-moi", "kind": "commune", "category": "xã",
        "parent_id": "", "valid_from": "", "valid_to": "", "successor_id": ""})
    old = db.session.scalar(select(Unit).where(Unit.code == "xa-lang-moi"))
    make_cadre("Đinh Văn Gộp", gender="M", commune=old)
    make_cadre("Đinh Văn Gộp", gender="M", commune=son_ha["new:son-ky"])
    response = client.post(f"/units/{old.id}/edit", data={
        "name": "Làng Mới", "code": "xa-lang-moi", "kind": "commune", "category": "xã",
        "parent_id": "", "valid_from": "", "valid_to": "30/06/2025",
        "successor_id": son_ha["new:son-ky"].id})
    assert response.status_code == 400
    assert "Không thể sáp nhập" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, old.id).successor_id is None


def test_merger_cycle_is_refused_not_looped(client, db, users, login, son_ha):
    login("admin")
    new = son_ha["new:son-ky"]
    response = client.post(f"/units/{new.id}/edit", data={
        "name": new.name, "code": new.code, "kind": "commune", "category": "xã",
        "parent_id": new.parent_id, "valid_from": "01/07/2025", "valid_to": "01/01/2030",
        "successor_id": son_ha["old:son-ba"].id})
    assert response.status_code == 400
    assert "sáp nhập vào chính đơn vị này" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, new.id).successor_id is None


def test_no_village_under_a_former_commune(client, db, users, login, son_ha):
    login("coordinator")
    old = son_ha["old:son-ba"]
    response = client.post(f"/units/{old.id}/villages/new",
                           data={"name": "Thôn Mới", "category": "thôn"})
    assert response.status_code == 303
    assert villages_of(old) == []


def test_unit_dates_are_typed_and_shown_as_dd_mm_yyyy(client, db, users, login, son_ha):
    login("admin")
    bad = client.post("/units/new", data={
        "name": "Xã Thử", "code": "xa-thu-2", "kind": "commune", "category": "xã",
        "parent_id": "", "valid_from": "31/02/2020", "valid_to": "", "successor_id": ""})
    assert bad.status_code == 400
    assert "Ngày không hợp lệ: 31/02/2020" in bad.get_data(as_text=True)
    assert 'value="31/02/2020"' in bad.get_data(as_text=True)  # what was typed stays
    old = son_ha["old:son-ba"]
    page = client.get(f"/units/{old.id}/edit").get_data(as_text=True)
    assert 'value="30/06/2025"' in page


def test_units_page_queries_do_not_grow_with_villages(client, db, users, login, son_ha,
                                                      make_village, count_queries):
    login("coordinator")
    make_village(son_ha["old:son-ba"], "Gò Một")
    client.get("/units/")
    db.session.remove()
    with count_queries() as few:
        assert client.get("/units/").status_code == 200
    for commune in ("old:son-ba", "old:son-cao", "new:son-ha", "old:di-lang"):
        for i in range(4):
            make_village(son_ha[commune], f"Làng {commune[-3:]} {i}")
    db.session.remove()
    with count_queries() as many:
        page = client.get("/units/")
    assert "Làng cao 3" in page.get_data(as_text=True)
    assert many() == few()


def test_renaming_a_village_to_a_name_the_commune_has_is_refused(client, db, users, login,
                                                                 son_ha, make_village):
    """Two villages of one name in one commune (merged ones included) could not be told apart
    by an import."""
    make_village(son_ha["old:son-ba"], "Gò Da")
    other = make_village(son_ha["new:son-ky"], "Tà Bần")
    login("coordinator")
    response = client.post(f"/units/villages/{other.id}", data={"name": "gò da",
                                                               "category": "thôn"})
    assert response.status_code == 400
    assert "đã có thôn/bản tên này" in response.get_data(as_text=True)
    db.session.refresh(other)
    assert other.name == "Tà Bần"
    same = client.post(f"/units/villages/{other.id}", data={"name": "Tà bần",
                                                           "category": "bản"})
    assert same.status_code == 302
    db.session.refresh(other)
    assert other.category == "bản"


def test_villages_of_a_commune_with_a_long_code_get_free_codes(client, db, users, login,
                                                               son_ha):
    commune = Unit(code="xa-son-ha-moi-2025ab", name="Sơn Mới", kind="commune", category="xã")
    db.session.add(commune)
    db.session.commit()
    login("coordinator")
    for name in ("Làng Một", "Làng Hai"):
        response = client.post(f"/units/{commune.id}/villages/new",
                               data={"name": name, "category": "thôn"})
        assert response.status_code == 302
    codes = sorted(v.code for v in villages_of(commune))
    assert len(set(codes + [commune.code])) == 3
    assert all(len(code) <= 20 for code in codes)
