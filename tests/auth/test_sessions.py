"""A sign-in ends when the account is deactivated or its password is changed elsewhere."""

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db as _db
from app.timeutil import utcnow
from tests.conftest import PASSWORD


def _new_client(app):
    return app.test_client()


def test_deactivated_account_is_signed_out_at_once(app, client, db, users, login):
    learner = users["learner"]
    login("learner")
    assert client.get("/auth/password").status_code == 200
    learner.active = False
    _db.session.commit()
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_admin_password_reset_ends_the_users_sessions(app, client, db, users, login):
    learner_browser = _new_client(app)
    learner_browser.post("/auth/login", data={"login": "learner", "password": PASSWORD,
                                              "remember": "y"})
    assert learner_browser.get("/auth/password").status_code == 200
    login("admin")
    client.post(f"/admin/users/{users['learner'].id}/password",
                data={"password": "reset-pass-123", "confirm": "reset-pass-123"})
    # the session and the remember-me cookie both carry the old fingerprint
    assert learner_browser.get("/auth/password").status_code == 302
    learner_browser.delete_cookie("session")
    assert learner_browser.get("/auth/password").status_code == 302


def test_own_password_change_keeps_this_sign_in_and_ends_the_others(app, client, db, users,
                                                                    login):
    other_phone = _new_client(app)
    other_phone.post("/auth/login", data={"login": "learner", "password": PASSWORD})
    login("learner")
    response = client.post("/auth/password", data={
        "current": PASSWORD, "password": "mat-khau-moi-1", "confirm": "mat-khau-moi-1"})
    assert response.status_code == 302
    assert client.get("/auth/password").status_code == 200
    assert other_phone.get("/auth/password").status_code == 302


def test_a_tampered_session_id_is_refused(app, client, db, users):
    with client.session_transaction() as session:
        session["_user_id"] = str(users["admin"].id)  # an id without its fingerprint
        session["_fresh"] = True
    assert client.get("/admin/users").status_code == 302


def test_signing_out_ends_a_remembered_sign_in(app, db, users):
    """On a shared office computer, "Đăng xuất" must end a "remember me" sign-in too: the
    remember cookie is deleted, and the next request is anonymous."""
    browser = _new_client(app)
    browser.post("/auth/login", data={"login": "coordinator", "password": PASSWORD,
                                      "remember": "y"})
    assert browser.get_cookie("remember_token") is not None
    response = browser.post("/auth/logout")
    assert response.status_code == 302
    assert browser.get_cookie("remember_token") is None
    response = browser.get("/cadres/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def _copy_cookies(source, target, *names):
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def test_a_copied_session_cookie_dies_with_sign_out(app, db, users):
    """Someone who copied the session cookie (a shared computer, a shoulder-surfed proxy) is
    signed out as soon as its owner signs out."""
    owner, thief = _new_client(app), _new_client(app)
    owner.post("/auth/login", data={"login": "coordinator", "password": PASSWORD})
    _copy_cookies(owner, thief, "session")
    assert thief.get("/cadres/").status_code == 200
    owner.post("/auth/logout")
    response = thief.get("/cadres/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_copied_remember_cookie_dies_with_sign_out(app, db, users):
    owner, thief = _new_client(app), _new_client(app)
    owner.post("/auth/login", data={"login": "coordinator", "password": PASSWORD,
                                    "remember": "y"})
    _copy_cookies(owner, thief, "remember_token")
    assert thief.get("/cadres/").status_code == 200  # the remember cookie alone signs in
    owner.post("/auth/logout")
    thief.delete_cookie("session")
    assert thief.get("/cadres/").status_code == 302


def test_a_user_sees_their_sign_ins_and_ends_another(app, db, users):
    phone, office = _new_client(app), _new_client(app)
    phone.post("/auth/login", data={"login": "learner", "password": PASSWORD},
               headers={"User-Agent": "Mozilla/5.0 (Linux; Android 10) Mobile"})
    office.post("/auth/login", data={"login": "learner", "password": PASSWORD},
                headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/120.0"})
    page = office.get("/auth/sessions").get_data(as_text=True)
    assert page.count('data-sign-in=') == 2 and "Thiết bị này" in page
    assert "Android" in page and "Windows" in page
    from app.auth.models import SignIn

    other = db.session.scalars(select(SignIn).where(SignIn.user_agent.contains("Android"))).one()
    assert office.post("/auth/sessions/end", data={"sign_in": other.id}).status_code == 302
    assert phone.get("/auth/password").status_code == 302  # the phone is signed out
    assert office.get("/auth/password").status_code == 200  # this one goes on
    # nobody ends another user's sign-in
    admin = _new_client(app)
    admin.post("/auth/login", data={"login": "admin", "password": PASSWORD})
    mine = db.session.scalars(select(SignIn).where(SignIn.user_agent.contains("Windows"))).one()
    assert admin.post("/auth/sessions/end", data={"sign_in": mine.id}).status_code == 404
    assert office.get("/auth/password").status_code == 200


def test_the_sessions_page_says_where_and_when_and_ends_all_others(app, db, users,
                                                                   monkeypatch):
    from app.audit.models import AuditEntry
    from app.auth.models import SignIn

    phone, tablet, office = _new_client(app), _new_client(app), _new_client(app)
    for client, agent, address in (
            (phone, "Mozilla/5.0 (Linux; Android 10) Chrome/120.0 Mobile", "10.0.0.7"),
            (tablet, "Mozilla/5.0 (iPad; CPU OS 17) Safari/605.1", "10.0.0.8"),
            (office, "Mozilla/5.0 (Windows NT 10.0) Firefox/120.0", "10.0.0.9")):
        client.post("/auth/login", data={"login": "learner", "password": PASSWORD},
                    headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address})
    # an hour later the phone is used again: its "last seen" moves, once
    later = utcnow() + timedelta(hours=1)
    monkeypatch.setattr("app.auth.views.utcnow", lambda: later)
    phone.get("/auth/password")
    seen = db.session.scalars(select(SignIn.last_seen_at).where(
        SignIn.address == "10.0.0.7")).one()
    assert seen == later
    page = office.get("/auth/sessions").get_data(as_text=True)
    assert "Phiên đăng nhập" in page and "Android · Chrome" in page and "iPad · Safari" in page
    assert "địa chỉ IP 10.0.0.8" in page and "dùng lần cuối" in page
    assert page.count("Đăng xuất phiên này") == 2 and "Đăng xuất mọi phiên khác" in page
    assert office.post("/auth/sessions/end-others").status_code == 302
    assert phone.get("/auth/password").status_code == 302
    assert tablet.get("/auth/password").status_code == 302
    assert office.get("/auth/password").status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "auth.session.end_others")).one()
    assert entry.data == {"ended": 2} and entry.user_id == users["learner"].id


def test_ending_one_session_is_audited(app, db, users):
    from app.audit.models import AuditEntry
    from app.auth.models import SignIn

    phone, office = _new_client(app), _new_client(app)
    phone.post("/auth/login", data={"login": "learner", "password": PASSWORD},
               headers={"User-Agent": "Mozilla/5.0 (Linux; Android 10) Chrome/120.0"})
    office.post("/auth/login", data={"login": "learner", "password": PASSWORD})
    other = db.session.scalars(select(SignIn).where(SignIn.user_agent.contains("Android"))).one()
    office.post("/auth/sessions/end", data={"sign_in": other.id})
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "auth.session.end")).one()
    assert "Android · Chrome" in entry.summary and entry.data == {"sign_in": other.id}
