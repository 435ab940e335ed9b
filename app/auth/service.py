"""Account workflows: authentication and user management (no request objects here)."""

import re
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit.models import record
from app.auth import two_factor
from app.auth.models import User, UserRole
from app.auth.throttle import Throttle, Wait
from app.extensions import db
from app.timeutil import format_moment, utcnow
from app.vietnamese import nfc


def normalise_phone(text: str | None) -> str | None:
    """Keep digits (and a leading +84 turned into 0) so that "0905 123 456" matches."""
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    return digits or None


_DUMMY_HASH: str | None = None


def _spend_as_long_as_a_check(password: str) -> None:
    """Hash the password against a dummy so an unknown account takes as long as a wrong
    password: timing must not tell which accounts exist."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        _DUMMY_HASH = generate_password_hash("not-a-password", method=method)
    check_password_hash(_DUMMY_HASH, password)


def find_for_login(login: str) -> User | None:
    """The account a sign-in names: by username (any case: phones capitalise the first letter,
    "Admin" is "admin") or by phone in any format."""
    login = (login or "").strip()
    phone = normalise_phone(login)
    conditions = [func.lower(User.username) == login.lower()]
    if phone:
        conditions.append(User.phone == phone)
    return db.session.scalars(select(User).where(or_(*conditions))
                              .order_by((User.username == login).desc())).first()


def _account_key(login: str, user: User | None) -> str:
    """What the failures of a sign-in are counted against: the account it names (whether by
    username or phone), else the login as typed (folded)."""
    if user is not None:
        return f"user:{user.id}"
    return f"login:{normalise_phone(login) or (login or '').strip().lower()}"


def sign_in(login: str, password: str, *, address: str, now: datetime,
            throttle: Throttle) -> User | Wait | None:
    """A sign-in attempt (app/auth/throttle.py): the user when the password is right and the
    account active; a `Wait` when the account or the address must wait first (the password is
    then not even checked); None when refused (counted; the generic message).

    For an account with two-factor sign-in the right password is only the first step: its
    failures are not forgotten until the code is right too (`check_code`), so a guesser who
    has the password gets no fresh count of code guesses by typing it again."""
    user = find_for_login(login)
    key = _account_key(login, user)
    wait = throttle.wait(key, address, user.locked_until if user else None, now)
    if wait is not None:
        return wait
    if user is None:
        _spend_as_long_as_a_check(password)
    elif user.active and user.check_password(password):
        if not two_factor.enabled(user):
            _signed_in(user, key, now, throttle)
        return user
    _failed(user, key, address, now, throttle)
    return None


def check_code(user: User, code: str, *, address: str, now: datetime,
               throttle: Throttle) -> str | Wait | None:
    """The second step: "app" or "recovery" when the code is right (the sign-in is then
    complete), a `Wait`, or None (counted like a wrong password)."""
    key = _account_key(user.username, user)
    wait = throttle.wait(key, address, user.locked_until, now)
    if wait is not None:
        return wait
    kind = two_factor.verify(user, code, now)
    if kind is not None:
        _signed_in(user, key, now, throttle)
        return kind
    _failed(user, key, address, now, throttle)
    return None


def _signed_in(user: User, key: str, now: datetime, throttle: Throttle) -> None:
    throttle.forget(key)
    user.locked_until = None
    user.last_login_at = now


def _failed(user: User | None, key: str, address: str, now: datetime,
            throttle: Throttle) -> None:
    if throttle.failed(key, address) and user is not None:
        user.locked_until = throttle.locked_until(now)
        record(None, "auth.lock", "user", user.id,
               f"Tạm khóa đăng nhập tài khoản {user.username} đến "
               f"{format_moment(user.locked_until)} vì nhập sai mật khẩu nhiều lần",
               data={"address": address})


def check_own_password(user: User, password: str, *, address: str, now: datetime,
                       throttle: Throttle) -> bool | Wait:
    """The current password asked before a change: counted like a sign-in, so it is no way
    round the sign-in limits. True, False (counted) or a `Wait`."""
    key = _account_key(user.username, user)
    wait = throttle.wait(key, address, user.locked_until, now)
    if wait is not None:
        return wait
    if user.check_password(password):
        return True
    throttle.failed(key, address)
    return False


def check_password_and_code(user: User, password: str, code: str, *, address: str,
                            now: datetime, throttle: Throttle) -> str | Wait | None:
    """Before two-factor sign-in is turned off: the password and a code (app or recovery),
    each counted like a sign-in. The problem's field ("current" or "code") when refused, None
    when both are right, or a `Wait`."""
    checked = check_own_password(user, password, address=address, now=now, throttle=throttle)
    if isinstance(checked, Wait):
        return checked
    if not checked:
        return "current"
    if two_factor.verify(user, code, now) is None:
        throttle.failed(_account_key(user.username, user), address)
        return "code"
    return None


def unlock_sign_in(actor, user: User, throttle: Throttle) -> bool:
    """An admin lifts a sign-in lock (and the account's failures). Returns whether it was
    locked."""
    was_locked = user.locked_until is not None and user.locked_until > utcnow()
    user.locked_until = None
    throttle.forget(_account_key(user.username, user))
    if was_locked:
        record(actor, "auth.unlock", "user", user.id,
               f"Mở khóa đăng nhập tài khoản {user.username}")
    return was_locked


def active_trainers() -> list[User]:
    """The active accounts with the trainer role, in Vietnamese name order: whom a course or a
    class can be given to."""
    return list(db.session.scalars(select(User).join(UserRole).where(
        UserRole.role == "trainer", User.active.is_(True))
        .order_by(User.sort_key, User.id)).unique())


def find_by_username(username: str) -> User | None:
    """The account with this username, whatever the case ("Hoa" finds "hoa"; the database
    holds at most one, index uq_users_username_lower)."""
    username = (username or "").strip()
    return db.session.scalars(
        select(User).where(func.lower(User.username) == username.lower())).first()


def username_taken(username: str, exclude_id: int | None = None) -> bool:
    """Whether another account has this username, in any case: "Hoa" and "hoa" would be the
    same sign-in."""
    query = select(User.id).where(func.lower(User.username) == (username or "").lower())
    if exclude_id:
        query = query.where(User.id != exclude_id)
    return db.session.scalar(query) is not None


def phone_taken(phone: str | None, exclude_id: int | None = None) -> bool:
    if not phone:
        return False
    query = select(User.id).where(User.phone == phone)
    if exclude_id:
        query = query.where(User.id != exclude_id)
    return db.session.scalar(query) is not None


USERNAME_PATTERN = r"^(?=.*[A-Za-z])[A-Za-z0-9_.-]{2,64}\Z"


def username_problem(username: str) -> str | None:
    """Usernames hold a letter, so they never look like a phone number (phones sign in too)."""
    if not re.match(USERNAME_PATTERN, username or ""):
        return _("Tên đăng nhập gồm 2–64 chữ không dấu, chữ số và các dấu . _ -, "
                 "có ít nhất một chữ cái (để không trùng với số điện thoại).")
    return None


def create_user(actor, *, username: str, full_name: str, password: str, roles,
                phone: str | None = None, email: str | None = None, active: bool = True,
                unit_id: int | None = None) -> User:
    user = User(username=username, full_name=nfc(full_name), phone=normalise_phone(phone),
                email=email or None, active=active, unit_id=unit_id)
    user.set_password(password)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", "user", user.id, f"Tạo tài khoản {username}",
           data={"roles": sorted(roles), "unit_id": unit_id})
    return user


def update_user(actor, user: User, *, username: str, full_name: str, roles,
                phone: str | None, email: str | None, active: bool,
                unit_id: int | None = ...) -> User:
    """`unit_id` left out keeps the account's unit (its scope, app/people/scope.py)."""
    if unit_id is ...:
        unit_id = user.unit_id
    before = {"roles": sorted(user.roles), "active": user.active, "unit_id": user.unit_id}
    user.username, user.full_name = username, nfc(full_name)
    user.phone, user.email = normalise_phone(phone), email or None
    user.set_roles(roles)
    user.active = active
    user.unit_id = unit_id
    record(actor, "user.update", "user", user.id, f"Sửa tài khoản {username}",
           data={"before": before, "after": {"roles": sorted(roles), "active": active,
                                             "unit_id": unit_id}})
    return user


def reset_password(actor, user: User, password: str) -> None:
    user.set_password(password)
    record(actor, "user.password", "user", user.id, f"Đặt lại mật khẩu cho {user.username}")
