import pytest
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


@pytest.mark.parametrize("target", [
    "//evil.example/x", "/\\evil.example/x", "/\\/evil.example", "/\t/evil.example",
    "/\n/evil.example", "https:/evil.example", "javascript:alert(1)",
])
def test_next_parameter_never_leaves_the_site(client, users, target):
    """Browsers turn a backslash into a slash and drop tabs and newlines: "/\\evil" and
    "/<tab>/evil" would be "//evil", another site."""
    response = client.post("/auth/login", query_string={"next": target},
                           data={"login": "admin", "password": "secret-pass-1"})
    assert response.status_code == 302
    assert response.location == "/"


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


def test_unknown_account_costs_a_password_check_too(client, users, monkeypatch):
    """Timing must not tell which accounts exist: an unknown name still hashes."""
    from app.auth import service

    calls = []
    real = service.check_password_hash
    monkeypatch.setattr(service, "check_password_hash",
                        lambda h, p: calls.append(p) or real(h, p))
    client.post("/auth/login", data={"login": "nobody-here", "password": "guess-1234"})
    assert calls == ["guess-1234"]


def test_session_cookie_expires_and_is_httponly(client, users):
    response = client.post("/auth/login", data={"login": "admin", "password": "secret-pass-1"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_real_configs_hash_with_scrypt():
    from config import DevelopmentConfig, ProductionConfig

    assert not hasattr(DevelopmentConfig, "PASSWORD_HASH_METHOD")
    assert not hasattr(ProductionConfig, "PASSWORD_HASH_METHOD")


def test_username_is_not_case_sensitive_as_phones_capitalise(client, users, login):
    """A phone keyboard types "Coordinator": that is the account "coordinator"."""
    response = login(" Coordinator ")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/auth/logout")
    wrong = login("COORDINATOR", "wrong-password")
    assert wrong.status_code == 401


def test_the_database_refuses_two_usernames_that_differ_only_in_case(db, make_user):
    from sqlalchemy.exc import IntegrityError

    make_user("hoa")
    with pytest.raises(IntegrityError):
        make_user("Hoa")
    db.session.rollback()


def test_login_page_stops_phone_keyboards_changing_the_username(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'autocapitalize="none"' in page and 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
