from sqlalchemy import select

from app.audit.models import AuditEntry


def test_login_by_username_and_logout(client, users, login):
    response = login("coordinator")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_login_by_phone_number_in_any_format(client, make_user, login):
    make_user("hoa", phone="0905123456")
    assert login("0905 123 456").status_code == 302
    client.post("/auth/logout")
    assert login("+84905123456").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_generic_message(client, users, login):
    wrong = login("coordinator", "not-the-password")
    unknown = login("nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    text = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert text in wrong.get_data(as_text=True)
    assert text in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_inactive_account_cannot_sign_in(make_user, login):
    make_user("old", active=False)
    assert login("old").status_code == 401


def test_password_is_hashed(make_user):
    user = make_user("hashed", password="a-long-password")
    assert "a-long-password" not in user.password_hash
    assert user.check_password("a-long-password")


def test_login_is_audited(db, users, login):
    login("learner")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login"))
    assert entry.user_id == users["learner"].id


def test_next_parameter_only_follows_local_paths(client, users):
    response = client.post("/auth/login?next=https://evil.example/x",
                           data={"login": "admin", "password": "secret-pass-1"})
    assert response.location == "/"
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/cadres/",
                           data={"login": "admin", "password": "secret-pass-1"})
    assert response.location == "/cadres/"


def test_change_own_password(client, users, login):
    login("trainer")
    bad = client.post("/auth/password", data={"current": "wrong", "password": "new-password-9",
                                               "confirm": "new-password-9"})
    assert bad.status_code == 400
    assert "Mật khẩu hiện tại không đúng." in bad.get_data(as_text=True)
    ok = client.post("/auth/password", data={"current": "secret-pass-1",
                                              "password": "new-password-9",
                                              "confirm": "new-password-9"})
    assert ok.status_code == 302
    client.post("/auth/logout")
    assert login("trainer", "new-password-9").status_code == 302
