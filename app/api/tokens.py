"""Tokens of the API's machine clients: made (the secret returned once), found by what a client
presents, revoked. The caller commits; making and revoking are audited.

A token is 32 random bytes (`secrets.token_urlsafe`) behind the prefix "tph_". Only its SHA-256
is stored: a slow password hash (PBKDF2, scrypt) protects secrets people choose, which can be
guessed; a random 256-bit secret cannot, and a plain hash lets each request find its token by
one indexed look-up. A stolen database therefore gives no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.api.models import ApiToken
from app.audit.models import record
from app.core.refusal import Refusal
from app.extensions import db
from app.people.models import Unit
from app.vietnamese import nfc

PREFIX = "tph_"
SHOWN = 8  # characters after the prefix kept to recognise a token in the list
TOUCH_EVERY = timedelta(minutes=5)  # last use is written at most this often


class TokenError(Refusal):
    status = 400


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create(actor, name: str, unit_id: int | None) -> tuple[ApiToken, str]:
    """A new token for the system `name`, scoped to `unit_id` (a commune; None: the whole
    province). Returns the token and its secret, which is never shown again."""
    name = nfc(name or "").strip()
    if not name:
        raise TokenError(_("Hãy ghi tên hệ thống sẽ dùng khóa này."), field="name")
    unit = None
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None or unit.kind not in ("province", "commune"):
            raise TokenError(_("Hãy chọn toàn tỉnh hoặc một xã."), field="unit_id")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name[:120], prefix=secret[:len(PREFIX) + SHOWN],
                     token_hash=digest(secret), unit_id=unit.id if unit else None,
                     created_by_id=getattr(actor, "id", None))
    db.session.add(token)
    db.session.flush()
    record(actor, "create", "api_token", token.id,
           f"Tạo khóa API “{token.name}” ({token.prefix}…) cho "
           f"{unit.title if unit else 'toàn tỉnh'}")
    return token, secret


def revoke(actor, token: ApiToken, now: datetime) -> bool:
    """Revoke the token (False when it already was)."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = max(now, token.created_at)
    token.revoked_by_id = getattr(actor, "id", None)
    record(actor, "revoke", "api_token", token.id,
           f"Thu hồi khóa API “{token.name}” ({token.prefix}…)")
    db.session.flush()
    return True


def find(secret: str | None) -> ApiToken | None:
    """The token in force that `secret` is, or None (unknown, or revoked)."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    return token if token is not None and token.revoked_at is None else None


def touch(token: ApiToken, now: datetime) -> None:
    """Note that the token was used (at most every few minutes: a read costs no write)."""
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now


def listed() -> list[ApiToken]:
    """Every token, those in force first, newest first."""
    tokens = db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(),
                                                          ApiToken.id.desc())).all()
    return sorted(tokens, key=lambda t: t.revoked_at is not None)
