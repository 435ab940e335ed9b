"""Sign-in for a room full of people (app/auth/throttle.py): successes never count; failures
count per account, with growing waits and then a lock, and more loosely per address."""

from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth import service
from app.auth.throttle import Throttle, Wait
from app.timeutil import utcnow
from tests.conftest import PASSWORD

HALL = "10.0.0.7"  # the commune hall's router: everyone in the room has this address


def _post(client, login, password, address=HALL):
    return client.post("/auth/login", data={"login": login, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_forty_learners_behind_one_address_all_sign_in(app, db, make_user):
    learners = [make_user(f"hocvien{i}") for i in range(40)]
    for user in learners:
        browser = app.test_client()  # each learner's own phone
        assert _post(browser, user.username, PASSWORD).status_code == 302
    # a few typos in the room are no trouble either
    for user in learners[:3]:
        assert _post(app.test_client(), user.username, "typo").status_code == 401
        assert _post(app.test_client(), user.username, PASSWORD).status_code == 302


def test_guessing_one_account_waits_and_says_until_when(client, users):
    codes = [_post(client, "coordinator", f"guess-{i}").status_code for i in range(5)]
    assert codes == [401] * 5
    refused = _post(client, "coordinator", PASSWORD)  # even the right password must wait
    text = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Đã nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau 5 phút (lúc " in text
    # the account is the same whether named by username or another spelling of it
    assert _post(client, "Coordinator", PASSWORD).status_code == 429
    # another account from the same hall is not held up
    assert _post(client, "trainer", PASSWORD).status_code == 302


def test_a_phone_number_counts_for_its_account(client, make_user):
    make_user("hoa", phone="0905123456")
    for i in range(5):
        _post(client, "0905 123 456" if i % 2 else "hoa", f"guess-{i}")
    assert _post(client, "hoa", PASSWORD).status_code == 429


def test_a_success_clears_the_failures_of_its_account(app, users):
    for _ in range(4):
        assert _post(app.test_client(), "learner", "typo").status_code == 401
    assert _post(app.test_client(), "learner", PASSWORD).status_code == 302
    for _ in range(4):
        assert _post(app.test_client(), "learner", "typo").status_code == 401
    assert _post(app.test_client(), "learner", PASSWORD).status_code == 302


def test_spraying_many_accounts_from_one_address_is_stopped(app, users):
    client = app.test_client()
    codes = [_post(client, f"nobody{i}", "password1").status_code for i in range(30)]
    assert codes == [401] * 30
    refused = _post(client, "admin", PASSWORD)
    assert refused.status_code == 429
    assert "Có quá nhiều lần đăng nhập sai từ mạng này" in refused.get_data(as_text=True)
    assert _post(client, "admin", PASSWORD, address="10.0.0.8").status_code == 302


def _strict(app) -> Throttle:
    """A throttle that locks after three failures (the app's own allows 15 a day)."""
    return Throttle.for_app({**app.config, "LOGIN_FAILURES_PER_ACCOUNT": "100 per minute",
                             "LOGIN_LOCK_AFTER": "3 per day", "LOGIN_LOCK_MINUTES": 60})


def test_an_account_is_locked_logged_and_unlocked_by_an_admin(app, db, users):
    throttle, now = _strict(app), utcnow()
    for _ in range(3):
        assert service.sign_in("learner", "wrong", address=HALL, now=now,
                               throttle=throttle) is None
    db.session.commit()
    learner = users["learner"]
    db.session.refresh(learner)
    assert learner.locked_until == now + timedelta(minutes=60)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.lock"))
    assert entry.object_id == learner.id and "vì nhập sai mật khẩu nhiều lần" in entry.summary
    locked = service.sign_in("learner", PASSWORD, address="10.9.9.9", now=now,
                             throttle=throttle)
    assert isinstance(locked, Wait) and locked.reason == "locked"
    assert "tạm khóa đăng nhập" in locked.message(now) and "quản trị viên" in locked.message(now)
    # time lifts it...
    later = now + timedelta(minutes=61)
    assert service.sign_in("learner", PASSWORD, address=HALL, now=later,
                           throttle=throttle) == learner
    # ...and so does an admin
    for _ in range(3):
        service.sign_in("learner", "wrong", address=HALL, now=later, throttle=throttle)
    assert service.unlock_sign_in(users["admin"], learner, throttle) is True
    assert service.sign_in("learner", PASSWORD, address=HALL, now=later,
                           throttle=throttle) == learner
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.unlock"))


def test_a_locked_account_is_refused_with_the_time_it_unlocks(client, db, users):
    learner = users["learner"]
    learner.locked_until = utcnow() + timedelta(minutes=30)
    db.session.commit()
    refused = _post(client, "learner", PASSWORD)
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "Tài khoản đang tạm khóa đăng nhập" in text and "30 phút" in text


def test_the_admin_lifts_a_lock_from_the_account_page(client, db, users, login):
    learner = users["learner"]
    learner.locked_until = utcnow() + timedelta(minutes=30)
    db.session.commit()
    login("admin")
    page = client.get(f"/admin/users/{learner.id}").get_data(as_text=True)
    assert "Tạm khóa đăng nhập đến" in page
    done = client.post(f"/admin/users/{learner.id}/unlock")
    assert done.status_code == 302
    db.session.refresh(learner)
    assert learner.locked_until is None
    client.post("/auth/logout")
    assert login("learner").status_code == 302


def test_the_current_password_check_is_counted_like_a_sign_in(client, users, login):
    """Changing one's password must not become a way round the sign-in limits."""
    assert login("learner").status_code == 302
    guesses = [client.post("/auth/password", data={
        "current": f"guess-{i}-xyz", "password": "new-password-9",
        "confirm": "new-password-9"}).status_code for i in range(6)]
    assert guesses == [400] * 5 + [429]
    assert client.get("/auth/password").status_code == 200  # the page itself still opens
