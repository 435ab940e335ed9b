"""A commune coordinator runs the classes of their commune (those that invite only it or
its villages); classes of another commune, or for several communes (the province's), are
absent from their lists and refused on every class route. A provincial coordinator runs
them all."""

import pytest
from sqlalchemy import select

from app.classes.models import Application
from app.people.models import Unit


@pytest.fixture()
def login(client, login):
    """Signing in as someone else signs out first."""
    def switch(user):
        client.post("/auth/logout")
        return login(user)
    return switch


@pytest.fixture()
def scoped(db, son_ha, make_user, make_class, make_cadre):
    ky, ha = son_ha["new:son-ky"], son_ha["new:son-ha"]
    return {
        "ky": make_user("dieuphoi_ky", roles=("coordinator",), unit_id=ky.id),
        "ha": make_user("dieuphoi_ha", roles=("coordinator",), unit_id=ha.id),
        "tinh": make_user("dieuphoi_tinh", roles=("coordinator",), unit_id=db.session.scalar(
            select(Unit.id).where(Unit.kind == "province"))),
        "class_ky": make_class(title="Lớp xã Sơn Kỳ", communes=("new:son-ky",)),
        "class_ha": make_class(title="Lớp xã Sơn Hà", communes=("new:son-ha",)),
        "class_both": make_class(title="Lớp liên xã", communes=("new:son-ky", "new:son-ha")),
        "hoa": make_cadre("Đinh Thị Hoa", commune=ky),
        "lanh": make_cadre("Phạm Thị Lanh", commune=ha),
    }


def test_the_class_list_holds_the_coordinators_classes(client, scoped, login):
    login(scoped["ky"])
    page = client.get("/classes/").get_data(as_text=True)
    assert "Lớp xã Sơn Kỳ" in page
    assert "Lớp xã Sơn Hà" not in page and "Lớp liên xã" not in page
    login(scoped["tinh"])
    page = client.get("/classes/").get_data(as_text=True)
    assert all(t in page for t in ("Lớp xã Sơn Kỳ", "Lớp xã Sơn Hà", "Lớp liên xã"))


def test_the_home_page_shows_only_their_classes(client, scoped, login):
    login(scoped["ky"])
    page = client.get("/").get_data(as_text=True)
    assert "Lớp xã Sơn Kỳ" in page and "Lớp xã Sơn Hà" not in page


def test_each_coordinator_in_turn_sees_their_own_classes_at_home(client, scoped, login):
    """The home card's statement is made once per scope: each coordinator, in turn and again,
    still gets their own."""
    titles = ("Lớp xã Sơn Kỳ", "Lớp xã Sơn Hà", "Lớp liên xã")
    for who, shown in (("ky", {titles[0]}), ("ha", {titles[1]}), ("tinh", set(titles)),
                       ("ky", {titles[0]}), ("tinh", set(titles)), ("ha", {titles[1]})):
        login(scoped[who])
        page = client.get("/").get_data(as_text=True)
        card = page.split('id="classes-work-title"')[1].split("</section>")[0]
        assert {t for t in titles if t in card} == shown, who


@pytest.mark.parametrize("url", [
    "/classes/{id}", "/classes/{id}/edit", "/classes/{id}/applications",
    "/classes/{id}/nominate", "/classes/{id}/admitted.pdf", "/classes/{id}/admitted.xlsx",
    "/classes/{id}/sessions", "/classes/{id}/copy"])
def test_another_communes_class_is_refused(client, scoped, login, url):
    login(scoped["ky"])
    for other in ("class_ha", "class_both"):
        assert client.get(url.format(id=scoped[other].id)).status_code == 403, other
    login(scoped["tinh"])
    assert client.get(url.format(id=scoped["class_ha"].id)).status_code in (200, 409)


def test_nominating_lists_and_takes_only_their_cadres(client, db, scoped, login):
    login(scoped["ky"])
    klass = scoped["class_ky"]
    page = client.get(f"/classes/{klass.id}/nominate").get_data(as_text=True)
    assert "Đinh Thị Hoa" in page and "Phạm Thị Lanh" not in page
    response = client.post(f"/classes/{klass.id}/nominate",
                           data={"cadre_ids": [scoped["lanh"].id]})
    assert response.status_code in (400, 409, 422)
    assert db.session.scalar(select(Application).where(
        Application.cadre_id == scoped["lanh"].id)) is None
    # and nobody of theirs into another commune's class
    other = client.post(f"/classes/{scoped['class_ha'].id}/nominate",
                        data={"cadre_ids": [scoped["hoa"].id]})
    assert other.status_code == 403


def test_a_coordinator_who_teaches_a_class_elsewhere_sees_it_as_its_trainer(
        client, db, scoped, login):
    """Scope limits coordinating, not teaching: the class page opens, the applications do
    not."""
    klass = scoped["class_ha"]
    klass.trainers.append(scoped["ky"])
    scoped["ky"].set_roles(("coordinator", "trainer"))
    db.session.commit()
    login(scoped["ky"])
    assert client.get(f"/classes/{klass.id}").status_code == 200
    assert client.get(f"/classes/{klass.id}/applications").status_code == 403


def test_nominating_from_a_file_refuses_rows_outside_their_scope(client, db, scoped, login):
    """The file goes through the coordinator's scope (people/scope.py) as the cadre import
    does: a row of another commune is refused at its row, and nothing is written (not even
    the new person of the other commune)."""
    import io

    from app.people.models import Cadre

    login(scoped["ky"])
    klass = scoped["class_ky"]
    text = ("Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Thôn/Bản,Xã,Số điện thoại\n"
            "Đinh Thị Hoa,Nữ,1980,Hrê,Trưởng thôn,,Sơn Kỳ,\n"
            "Phạm Văn Lạ,Nam,1982,Hrê,Trưởng thôn,,Sơn Hà,\n")
    response = client.post(f"/classes/{klass.id}/nominate/import", data={
        "file": (io.BytesIO(text.encode("utf-8-sig")), "de-cu.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Tệp có lỗi; chưa đề cử ai." in page
    assert "Dòng 3, cột “Xã”: Xã Sơn Hà không thuộc phạm vi phụ trách của bạn (xã Sơn Kỳ)" \
        in page
    db.session.rollback()
    assert db.session.scalar(select(Application).where(Application.class_id == klass.id)) is None
    assert db.session.scalar(select(Cadre).where(Cadre.full_name == "Phạm Văn Lạ")) is None
