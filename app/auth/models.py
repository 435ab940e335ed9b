"""Accounts and roles."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    bindparam,
    event,
    func,
    select,
)
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.roles import COORDINATORS
from app.core.refusal import explain_unique
from app.core.sortkey import SortKey
from app.extensions import db, login_manager
from app.numbers import parse_id
from app.timeutil import utcnow
from app.vietnamese import fold, name_sort_key


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # Filled on every write (`_fill_keys` below): lists of accounts order and search in SQL.
    sort_key: Mapped[str] = mapped_column(SortKey, default="", index=True)
    search_text: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Too many wrong passwords: no sign-in until then (app/auth/throttle.py), unless an admin
    # lifts it.
    locked_until: Mapped[datetime | None]
    # The unit a coordinator works for: their scope (app/people/scope.py). None, a province or
    # a district: everything; a commune: that commune's cadres and classes.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"),
                                                index=True)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    # Two-factor sign-in (app/auth/two_factor.py): loaded only where asked (sign-in, the
    # admins' guard, the enrolment page).
    two_factor: Mapped[TwoFactor | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, *roles: str) -> bool:
        return any(r.role in roles for r in self.role_rows)

    @property
    def is_coordinator(self) -> bool:
        """Runs the program (a coordinator or an admin)."""
        return self.has_role(*COORDINATORS)

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # The sign-in this request belongs to (set by app/auth/sessions.py or load_user).
    sign_in_token = ""
    sign_in_seen = None  # its last_seen_at as loaded (a datetime, or None)

    def get_id(self) -> str:
        """What the session and the remember-me cookie hold: the id, a fingerprint of the
        password hash (a new password ends every other sign-in of the account) and the token
        of this browser's sign-in (signing out ends it, whoever holds a copy of the cookie)."""
        return f"{self.id}:{self.session_fingerprint()}:{self.sign_in_token}"

    def session_fingerprint(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"<User {self.username}>"


def search_text_of(full_name: str, username: str, phone: str | None) -> str:
    """What the account list's search looks in: name, username and phone, folded (with or
    without diacritics)."""
    return fold(f"{full_name or ''} {username or ''} {phone or ''}")


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _fill_keys(mapper, connection, user: User) -> None:
    """The name's Vietnamese sort key and the folded search text, stored with the account on
    every write (migration 0021 filled them for the accounts made before)."""
    user.sort_key = name_sort_key(user.full_name)
    user.search_text = search_text_of(user.full_name, user.username, user.phone)


# Usernames are compared without case (sign-in, uniqueness): the database refuses "Hoa" beside
# "hoa" as well.
Index("uq_users_username_lower", func.lower(User.username), unique=True)


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role", name="user_role"),
        CheckConstraint("role IN ('admin', 'coordinator', 'trainer', 'learner')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="role_rows")


class SignIn(db.Model):
    """One browser's sign-in: what the cookies point to, so that signing out (or the owner
    ending it from another device) ends it for every copy of those cookies."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(45), default="")
    # The last request of this sign-in, to within SEEN_EVERY (app/auth/sessions.py).
    last_seen_at: Mapped[datetime | None]


class TwoFactor(db.Model):
    """An account's authenticator app (TOTP, RFC 6238), once confirmed with a code."""

    __tablename__ = "two_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))  # base32, as the app was given it
    enabled_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The 30-second step of the last code accepted: a code is good once (a code seen over a
    # shoulder or in a proxy's log cannot be replayed within its minute).
    last_step: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship(back_populates="two_factor")


class RecoveryCode(db.Model):
    """One of the ten codes shown once at enrolment, each good for one sign-in without the
    phone. Only a hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]


@cache
def _signed_in_statement():
    """The account with its roles and the last_seen_at of one live sign-in of it (parameters
    `user_id` and `token`). Built once per process: SQLAlchemy keeps a statement's cache key
    with it, so every request after the first skips building the statement and working out
    its key (two thirds of the cost of reading it, ahead of every page)."""
    return (select(User, SignIn.last_seen_at)
            .join(SignIn, (SignIn.user_id == User.id) & (SignIn.token == bindparam("token"))
                  & SignIn.ended_at.is_(None))
            .where(User.id == bindparam("user_id")).options(joinedload(User.role_rows)))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in user, or None (signed out) when the account was deactivated, its password
    changed, or this sign-in was ended (signed out, or ended from another device).

    Every signed-in request runs this: one statement reads the account, its roles and this
    sign-in's row together (it was three: the account, its roles when first asked, the row)."""
    user_id, fingerprint, token = (session_id.split(":") + ["", ""])[:3]
    if (user_id := parse_id(user_id)) is None or not token:
        return None
    found = db.session.execute(_signed_in_statement(),
                               {"user_id": user_id, "token": token}).unique().first()
    if found is None:  # no such account, or this sign-in is not live
        return None
    user, last_seen = found
    if not user.active or not hmac.compare_digest(fingerprint, user.session_fingerprint()):
        return None
    user.sign_in_token, user.sign_in_seen = token, last_seen
    return user


# What a taken key means (app/core/refusal.py): two admins, or a double tap, creating one account.
explain_unique("uq_users_username", _l("Tên đăng nhập này đã có người dùng."), "username")
explain_unique("uq_users_username_lower", _l("Tên đăng nhập này đã có người dùng."), "username")
explain_unique("uq_users_phone", _l("Số điện thoại này đã gắn với tài khoản khác."), "phone")
