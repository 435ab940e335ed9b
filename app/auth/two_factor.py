"""Two-factor sign-in: a code from an authenticator app (TOTP, RFC 6238, by pyotp) after the
password, or one of ten recovery codes when the phone is lost.

- Enrolment: a new secret is shown as a QR code (segno) and as a key to type; it is kept only
  once the person confirms it with a code from the app, and then ten recovery codes are shown,
  once. Only their hashes are stored; each works once.
- A TOTP code is accepted in the 30-second step before, at or after the server's (phones'
  clocks drift), and at most once: the step of the last accepted code is kept.
- Turning it off asks for the password and a code (app or recovery).
- Admins must have it when TWO_FACTOR_FOR_ADMINS is set (`required`): app/auth/views.py sends
  an admin without it to enrolment before any other page.

Every change is audited. Plain functions: the caller passes the moment and commits.
"""

from __future__ import annotations

import calendar
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit.models import record
from app.auth.models import RecoveryCode, TwoFactor, User
from app.extensions import db

STEP_SECONDS = 30
RECOVERY_CODES = 10
# No 0/O, 1/I/L: read from paper and typed on a phone.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def enabled(user: User) -> bool:
    return user.two_factor is not None


def required(user: User, config) -> bool:
    """This account must have two-factor sign-in before it may do anything else."""
    return bool(config.get("TWO_FACTOR_FOR_ADMINS")) and user.has_role("admin")


def new_secret() -> str:
    return pyotp.random_base32()


def grouped(secret: str) -> str:
    """"JBSW Y3DP EHPK 3PXP": the key as a person types it."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, user: User, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The enrolment QR as inline SVG markup (no script, no external reference)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, omitsize=False)


def step_of(now: datetime) -> int:
    """The 30-second step of `now` (naive UTC)."""
    return calendar.timegm(now.utctimetuple()) // STEP_SECONDS


def _digits(code: str) -> str:
    return re.sub(r"\s+", "", code or "")


def _matching_step(secret: str, code: str, now: datetime, after: int) -> int | None:
    code = _digits(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp, here = pyotp.TOTP(secret), step_of(now)
    for step in (here - 1, here, here + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_for(secret: str, now: datetime) -> str:
    """The code an app shows at `now` (tests and the demo)."""
    return pyotp.TOTP(secret).generate_otp(step_of(now))


def _recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _normal_recovery(code: str) -> str:
    plain = re.sub(r"[\s-]+", "", (code or "").lower())
    return f"{plain[:5]}-{plain[5:]}" if re.fullmatch(r"[a-z0-9]{10}", plain) else ""


def _hash(code: str) -> str:
    return generate_password_hash(code, method=current_app.config.get(
        "PASSWORD_HASH_METHOD", "scrypt"))


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (the old ones stop working), to show once."""
    db.session.execute(RecoveryCode.__table__.delete().where(
        RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    db.session.flush()
    return codes


def renew_recovery_codes(user: User) -> list[str]:
    """Ten new codes on the owner's request (audited)."""
    codes = new_recovery_codes(user)
    record(user, "auth.2fa.codes", "user", user.id,
           f"Tạo mã khôi phục mới cho tài khoản {user.username}")
    return codes


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def enable(user: User, secret: str, code: str, now: datetime) -> list[str] | None:
    """Keep `secret` for `user` once `code` shows their app holds it; the recovery codes to
    show, or None when the code is wrong."""
    step = _matching_step(secret, code, now, after=0)
    if step is None:
        return None
    if user.two_factor is None:
        user.two_factor = TwoFactor(secret=secret, enabled_at=now, last_step=step)
    else:
        user.two_factor.secret, user.two_factor.enabled_at = secret, now
        user.two_factor.last_step = step
    db.session.flush()
    record(user, "auth.2fa.enable", "user", user.id,
           f"Bật xác thực hai bước cho tài khoản {user.username}")
    return new_recovery_codes(user)


def verify(user: User, code: str, now: datetime) -> str | None:
    """"app" or "recovery" when `code` is good (a recovery code is then used up, audited),
    None otherwise."""
    factor = user.two_factor
    if factor is None:
        return None
    step = _matching_step(factor.secret, code, now, after=factor.last_step)
    if step is not None:
        factor.last_step = step
        return "app"
    wanted = _normal_recovery(code)
    if not wanted:
        return None
    for row in db.session.scalars(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))):
        if check_password_hash(row.code_hash, wanted):
            row.used_at = now
            record(user, "auth.2fa.recovery", "user", user.id,
                   f"Dùng một mã khôi phục để đăng nhập tài khoản {user.username}",
                   data={"left": recovery_codes_left(user)})
            return "recovery"
    return None


def disable(actor, user: User) -> None:
    """Turn it off (the caller has checked the password and a code)."""
    db.session.execute(RecoveryCode.__table__.delete().where(
        RecoveryCode.user_id == user.id))
    user.two_factor = None
    db.session.flush()
    record(actor, "auth.2fa.disable", "user", user.id,
           f"Tắt xác thực hai bước của tài khoản {user.username}")
