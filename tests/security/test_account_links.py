"""A coordinator links to a cadre only a learner's account (issue 16, item 1): never an
admin's, a trainer's or another coordinator's, whose sign-in would then act as that cadre; an
admin may link any account (app/people/access.py)."""

import pytest

from app.people.models import Cadre


@pytest.mark.parametrize("roles", [("admin",), ("coordinator",), ("trainer",),
                                   ("trainer", "learner"), ("admin", "learner")])
def test_a_coordinator_cannot_link_a_staff_account(client, db, users, login, make_cadre,
                                                   make_user, roles):
    account = make_user("canbo", roles=roles)
    cadre = make_cadre()
    login("coordinator")
    response = client.post(f"/cadres/{cadre.id}/account", data={"username": "canbo"})
    assert response.status_code == 403
    assert "không phải tài khoản học viên" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Cadre, cadre.id).user_id is None
    assert account.id


def test_a_coordinator_cannot_link_their_own_or_the_admins_account(client, db, users, login,
                                                                   make_cadre):
    cadre = make_cadre()
    login("coordinator")
    for name in ("admin", "coordinator", "ADMIN"):
        response = client.post(f"/cadres/{cadre.id}/account", data={"username": name})
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Cadre, cadre.id).user_id is None


def test_a_coordinator_links_a_learners_account(client, db, users, login, make_cadre):
    cadre = make_cadre()
    login("coordinator")
    response = client.post(f"/cadres/{cadre.id}/account", data={"username": "learner"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Cadre, cadre.id).user_id == users["learner"].id


def test_a_coordinator_cannot_unlink_an_account_an_admin_linked(client, db, users, login,
                                                               make_cadre):
    cadre = make_cadre()
    login("admin")
    assert client.post(f"/cadres/{cadre.id}/account",
                       data={"username": "trainer"}).status_code == 302
    client.post("/auth/logout")
    login("coordinator")
    response = client.post(f"/cadres/{cadre.id}/account", data={"unlink": "1"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Cadre, cadre.id).user_id == users["trainer"].id


def test_an_admin_links_a_trainers_account(client, db, users, login, make_cadre):
    cadre = make_cadre()
    login("admin")
    response = client.post(f"/cadres/{cadre.id}/account", data={"username": "trainer"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Cadre, cadre.id).user_id == users["trainer"].id
