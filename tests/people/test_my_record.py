"""A learner sees what is held about them (/cadres/me): their record and its history;
nobody else's."""

from sqlalchemy import select

from app.audit.models import AuditEntry


def test_a_learner_sees_their_own_record_and_only_theirs(client, db, users, login, make_cadre):
    hoa = make_cadre("Đinh Thị Hoa", user_id=users["learner"].id, phone="0905111222",
                     birth_year=1985)
    make_cadre("Phạm Thị Lanh", phone="0905333444")
    db.session.add(AuditEntry(user_id=users["coordinator"].id, action="cadre.update",
                              object_type="cadre", object_id=hoa.id,
                              summary="Sửa cán bộ Đinh Thị Hoa"))
    db.session.commit()
    login(users["learner"])
    assert "/cadres/me" in client.get("/").get_data(as_text=True)  # linked from home
    response = client.get("/cadres/me")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Đinh Thị Hoa" in page and "0905111222" in page and "1985" in page
    assert "Sửa cán bộ Đinh Thị Hoa" in page
    assert "Phạm Thị Lanh" not in page and "0905333444" not in page
    # the cadre pages themselves stay the coordinators'
    assert client.get(f"/cadres/{hoa.id}").status_code == 403


def test_an_account_without_a_cadre_has_no_record(client, users, login):
    login(users["trainer"])
    response = client.get("/cadres/me", follow_redirects=True)
    assert "chưa gắn với hồ sơ cán bộ nào" in response.get_data(as_text=True)


def test_the_record_page_is_not_an_export(client, db, users, login, make_cadre):
    make_cadre("Đinh Thị Hoa", user_id=users["learner"].id)
    login(users["learner"])
    client.get("/cadres/me")
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all() \
        == []
