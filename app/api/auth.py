"""Who calls the API: a machine client presenting `Authorization: Bearer <token>` (a session
cookie counts for nothing here). `token_required` finds the token (401 without one, or with
one unknown or revoked), puts it and its scope (app/people/scope.py: the whole province, or a
commune with the communes merged into it and their villages) on `g`, logs the call per token
and notes the token's last use. Access is declared as `TOKEN` for the route walks."""

from __future__ import annotations

import hashlib
import logging
from functools import wraps

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from app.api import tokens
from app.api.errors import ApiError
from app.auth.decorators import TOKEN
from app.extensions import db
from app.people.scope import Scope, scope_for_unit
from app.timeutil import utcnow

# Every call, per token, in the application's log (stderr under gunicorn, beside its own):
# a child of the app's logger, at INFO whatever the app's level (app/api/__init__.py).
CALLS = logging.getLogger("app.api")


def bearer() -> str | None:
    """The token of the request's Authorization header ("Bearer <token>"), or None."""
    kind, _space, value = (request.headers.get("Authorization") or "").partition(" ")
    return value.strip() or None if kind.lower() == "bearer" else None


def rate_key() -> str:
    """Calls are counted per token presented (per address without one)."""
    secret = bearer()
    if secret:
        return "api:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:24]
    return "api-address:" + get_remote_address()


def rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "120 per minute; 5000 per hour")


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        token = tokens.find(bearer())
        if token is None:
            raise ApiError(401, _("Cần khóa API hợp lệ (Authorization: Bearer <khóa>); khóa "
                                  "không có, sai hoặc đã bị thu hồi."))
        g.api_token = token
        g.api_scope = scope_for_unit(token.unit)
        CALLS.info("api call token=%s id=%s %s", token.prefix, token.id, request.full_path)
        response = view(*args, **kwargs)
        tokens.touch(token, utcnow())
        db.session.commit()  # the last use, and the audit entry of a call of personal data
        return response

    wrapped.access = TOKEN
    return wrapped


def api_scope() -> Scope:
    return g.api_scope
