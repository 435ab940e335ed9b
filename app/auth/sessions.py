"""Signing a browser in and out: the one place that touches Flask-Login and the session.

Each sign-in is a row (`SignIn`) whose token the session and the remember-me cookie carry
(`User.get_id`): signing out ends the row, so a copy of the cookies taken before (a shared
computer, a proxy) stops working at once, and the owner can end a sign-in from another device.

Order matters on the way out: the session is emptied first (nothing of this user's work, such
as nomination ticks, is left for the next person at a shared computer), then `logout_user()`
leaves its marker in the fresh session so that Flask-Login deletes the remember-me cookie on
the response. Clearing after `logout_user()` would erase that marker, and the cookie would
sign the user back in on the next request.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import after_this_request, current_app, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select, update

from app.audit.models import record
from app.auth.models import SignIn, User
from app.extensions import db
from app.timeutil import format_moment

# How often a sign-in's "last seen" is written: once per this much of use, not per request.
SEEN_EVERY = timedelta(minutes=5)


def sign_in(user: User, *, remember: bool, now: datetime, address: str = "",
            user_agent: str = "") -> None:
    """Start a sign-in that lasts SESSION_HOURS (or REMEMBER_DAYS with `remember`). The
    session is renewed, so nothing from before the sign-in carries over to it; a sign-in this
    browser had is ended. The caller commits."""
    _end_current(now)
    session.clear()
    session.permanent = True
    row = SignIn(token=secrets.token_urlsafe(32), user_id=user.id, started_at=now,
                 last_seen_at=now, remember=remember, address=(address or "")[:45],
                 user_agent=(user_agent or "")[:300])
    db.session.add(row)
    db.session.flush()
    user.sign_in_token, user.sign_in_seen = row.token, now
    login_user(user, remember=remember)
    after_this_request(_mark)


def sign_out(now: datetime) -> None:
    """End this browser's sign-in: its row, the session and the remember-me cookie. The caller
    commits."""
    _end_current(now)
    session.clear()
    logout_user()
    after_this_request(_unmark)


# "This browser had a sign-in that was not ended by signing out": a cookie without personal
# data, so that the sign-in page reached after the session expired (or was ended from another
# device) can say so, while a person who signed out is simply asked to sign in.
SIGNED_IN_MARK = "signed_in_before"


def _mark(response):
    response.set_cookie(SIGNED_IN_MARK, "1", httponly=True, samesite="Lax",
                        max_age=int(current_app.config.get("REMEMBER_COOKIE_DURATION", 0))
                        or 30 * 86400,
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def _unmark(response):
    response.delete_cookie(SIGNED_IN_MARK, httponly=True, samesite="Lax",
                           secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def session_expired() -> bool:
    """This browser is signed out, though it was signed in and never signed out."""
    return not current_user.is_authenticated and request.cookies.get(SIGNED_IN_MARK) == "1"


def _end_current(now: datetime) -> None:
    token = getattr(current_user, "sign_in_token", "") if current_user else ""
    if token:
        db.session.execute(update(SignIn).where(SignIn.token == token,
                                                SignIn.ended_at.is_(None)).values(ended_at=now))


def live_sign_ins(user: User) -> list[SignIn]:
    """The user's sign-ins not ended, the latest first."""
    return list(db.session.scalars(select(SignIn).where(
        SignIn.user_id == user.id, SignIn.ended_at.is_(None))
        .order_by(SignIn.started_at.desc(), SignIn.id.desc())))


def end_sign_in(user: User, sign_in_id: int, now: datetime) -> bool:
    """End one of the user's own sign-ins, audited (False: none such, or not theirs)."""
    row = db.session.scalar(select(SignIn).where(
        SignIn.id == sign_in_id, SignIn.user_id == user.id, SignIn.ended_at.is_(None)))
    if row is None:
        return False
    row.ended_at = now
    record(user, "auth.session.end", "user", user.id,
           f"Đăng xuất phiên {device_of(row.user_agent)} ({row.address or '—'}, đăng nhập lúc "
           f"{format_moment(row.started_at)}) của tài khoản {user.username}",
           data={"sign_in": row.id})
    return True


def end_other_sign_ins(user: User, keep_token: str, now: datetime) -> int:
    """End every sign-in of the user but this browser's, audited; how many were ended."""
    ended = db.session.execute(update(SignIn).where(
        SignIn.user_id == user.id, SignIn.ended_at.is_(None), SignIn.token != keep_token)
        .values(ended_at=now)).rowcount
    if ended:
        record(user, "auth.session.end_others", "user", user.id,
               f"Đăng xuất {ended} phiên khác của tài khoản {user.username}",
               data={"ended": ended})
    return ended


def seen(user: User, now: datetime) -> bool:
    """Note that this sign-in is in use, at most once per SEEN_EVERY (True: written; the
    caller commits, before anything else of the request is written)."""
    token = getattr(user, "sign_in_token", "")
    last = getattr(user, "sign_in_seen", None)
    if not token or (last is not None and last >= now - SEEN_EVERY):
        return False
    user.sign_in_seen = now
    done = db.session.execute(update(SignIn).where(
        SignIn.token == token, SignIn.ended_at.is_(None),
        (SignIn.last_seen_at.is_(None)) | (SignIn.last_seen_at < now - SEEN_EVERY))
        .values(last_seen_at=now))
    return done.rowcount == 1


_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Windows", "Windows"), ("Mac OS", "Mac"), ("CrOS", "Chromebook"),
            ("Linux", "Linux"))
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Coc Coc", "Cốc Cốc"), ("coc_coc", "Cốc Cốc"),
             ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))


def device_of(user_agent: str) -> str:
    """"Android · Chrome", "Windows · Firefox": enough for a person to recognise a device."""
    text = user_agent or ""
    system = next((name for key, name in _SYSTEMS if key in text), "")
    browser = next((name for key, name in _BROWSERS if key in text), "")
    return " · ".join(part for part in (system, browser) if part) or "—"
