"""Two-factor sign-in: enrolment with a QR and a key, the code after the password, recovery
codes that work once, turning it off, and the admins' requirement."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth import two_factor
from app.auth.models import RecoveryCode, TwoFactor
from app.timeutil import utcnow

PASSWORD = "secret-pass-1"


def _actions(db):
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _enrol(db, user, now=None):
    now = now or utcnow()
    secret = two_factor.new_secret()
    codes = two_factor.enable(user, secret, two_factor.code_for(secret, now), now)
    db.session.commit()
    return secret, codes


def _next_code(secret):
    """The code of the next 30-second step: the current one was spent at enrolment."""
    return pyotp.TOTP(secret).generate_otp(two_factor.step_of(utcnow()) + 1)


def test_enrolment_shows_a_qr_and_a_key_and_ten_codes_once(client, users, login, db):
    learner = users["learner"]
    login(learner)
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    assert "<svg" in page and "Khóa để nhập tay" in page
    secret = re.search(r'name="secret"[^>]*value="([A-Z2-7]{32})"', page).group(1)
    assert " ".join(secret[i:i + 4] for i in range(0, 32, 4)) in page
    wrong = client.post("/auth/two-factor/setup", data={"secret": secret, "code": "000000"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.get_data(as_text=True)
    assert db.session.get(TwoFactor, learner.id) is None
    done = client.post("/auth/two-factor/setup",
                       data={"secret": secret, "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.get_data(as_text=True))
    assert len(set(codes)) == 10
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and not any(code in h for code in codes for h in hashes)
    assert "auth.2fa.enable" in _actions(db)
    assert "Đang bật" in client.get("/auth/two-factor/").get_data(as_text=True)


def test_the_code_is_asked_after_the_password(client, users, login, db):
    learner = users["learner"]
    secret, _ = _enrol(db, learner)
    response = login(learner)
    assert response.headers["Location"].endswith("/auth/login/code")
    assert client.get("/courses/").status_code == 302  # not signed in yet
    wrong = client.post("/auth/login/code", data={"code": "123456"})
    assert wrong.status_code == 401 and 'id="code-error"' in wrong.get_data(as_text=True)
    code = _next_code(secret)
    assert client.post("/auth/login/code", data={"code": code}).status_code == 302
    assert client.get("/courses/").status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login")).one()
    assert entry.data == {"second_factor": "app"}
    client.post("/auth/logout")
    login(learner)
    again = client.post("/auth/login/code", data={"code": code})  # seen once: not twice
    assert again.status_code == 401


def test_a_recovery_code_works_once(client, users, login, db):
    learner = users["learner"]
    _, codes = _enrol(db, learner)
    login(learner)
    used = client.post("/auth/login/code", data={"code": codes[3].upper().replace("-", " ")})
    assert used.status_code == 302
    assert "còn 9 mã" in client.get("/courses/").get_data(as_text=True)
    client.post("/auth/logout")
    login(learner)
    assert client.post("/auth/login/code", data={"code": codes[3]}).status_code == 401
    assert "auth.2fa.recovery" in _actions(db)


def test_code_guesses_are_counted_and_the_password_does_not_reset_them(client, users, login,
                                                                        db):
    learner = users["learner"]
    _enrol(db, learner)
    for _ in range(3):
        login(learner)
        client.post("/auth/login/code", data={"code": "111111"})
        client.post("/auth/login/code", data={"code": "222222"})
    login(learner)  # the sixth guess waits, the password notwithstanding
    response = client.post("/auth/login/code", data={"code": "333333"})
    assert response.status_code == 429
    assert "Đã nhập sai mật khẩu hoặc mã xác thực nhiều lần. Vui lòng thử lại sau" in \
        response.get_data(as_text=True)


def test_the_code_step_lasts_five_minutes(client, users, login, db, monkeypatch):
    learner = users["learner"]
    secret, _ = _enrol(db, learner)
    login(learner)
    later = utcnow() + timedelta(minutes=6)
    monkeypatch.setattr("app.auth.views.utcnow", lambda: later)
    response = client.post("/auth/login/code", data={"code": _next_code(secret)})
    assert response.headers["Location"].endswith("/auth/login")


def test_turning_it_off_needs_the_password_and_a_code(client, users, login, db):
    learner = users["learner"]
    secret, codes = _enrol(db, learner)
    login(learner)
    client.post("/auth/login/code", data={"code": codes[0]})
    bad = client.post("/auth/two-factor/disable",
                      data={"off-current": "wrong-password", "off-code": _next_code(secret)})
    assert bad.status_code == 400 and "Mật khẩu hiện tại không đúng" in bad.get_data(as_text=True)
    bad = client.post("/auth/two-factor/disable",
                      data={"off-current": PASSWORD, "off-code": "000000"})
    assert bad.status_code == 400 and db.session.get(TwoFactor, learner.id) is not None
    ok = client.post("/auth/two-factor/disable",
                     data={"off-current": PASSWORD, "off-code": _next_code(secret)})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(TwoFactor, learner.id) is None
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert "auth.2fa.disable" in _actions(db)


def test_new_recovery_codes_replace_the_old(client, users, login, db):
    learner = users["learner"]
    secret, old = _enrol(db, learner)
    login(learner)
    client.post("/auth/login/code", data={"code": old[0]})
    page = client.post("/auth/two-factor/recovery-codes",
                       data={"codes-code": _next_code(secret)}).get_data(as_text=True)
    new = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/auth/logout")
    login(learner)
    assert client.post("/auth/login/code", data={"code": old[1]}).status_code == 401
    assert "auth.2fa.codes" in _actions(db)


@pytest.fixture()
def required(app):
    app.config["TWO_FACTOR_FOR_ADMINS"] = True
    yield
    app.config["TWO_FACTOR_FOR_ADMINS"] = False


def test_an_admin_without_it_is_sent_to_enrolment_when_required(client, users, login, db,
                                                                 required):
    login(users["admin"])
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/two-factor/setup")
    assert client.get("/auth/two-factor/setup").status_code == 200
    assert client.post("/auth/logout").status_code == 302


def test_others_are_not_held_to_the_admins_requirement(client, users, login, db, required):
    login(users["coordinator"])
    assert client.get("/cadres/").status_code == 200


def test_an_enrolled_admin_works_when_required(client, users, login, db, required):
    admin = users["admin"]
    _, codes = _enrol(db, admin)
    login(admin)
    client.post("/auth/login/code", data={"code": codes[0]})
    assert client.get("/admin/users").status_code == 200


def test_not_required_by_default(client, users, login, db):
    login(users["admin"])
    assert client.get("/admin/users").status_code == 200


def test_the_command_line_turns_it_off_for_a_lost_phone(app, db, users):
    admin = users["admin"]
    _enrol(db, admin)
    result = app.test_cli_runner().invoke(args=["users", "disable-2fa", "ADMIN"])
    assert result.exit_code == 0 and "Đã tắt xác thực hai bước" in result.output
    db.session.expire_all()
    assert db.session.get(TwoFactor, admin.id) is None
    again = app.test_cli_runner().invoke(args=["users", "disable-2fa", "admin"])
    assert again.exit_code == 1 and "chưa bật" in again.stderr


def test_the_admins_list_shows_who_has_it(client, users, login, db):
    _enrol(db, users["trainer"])
    login(users["admin"])
    page = client.get("/admin/users").get_data(as_text=True)
    assert page.count("two-factor-on") == 1
