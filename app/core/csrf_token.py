"""The CSRF token pages carry, signed once per session token (per worker) instead of on every
request.

Flask-WTF keeps a random token in the session and puts a signed copy of it in each form
(`generate_csrf`, kept on `g` for the rest of the request); the copy is signed afresh on every
request (a serializer, JSON, zlib, an HMAC), and every signed-in page carries one (the
sign-out button). A copy is checked against the session's token and, when WTF_CSRF_TIME_LIMIT
is set, its age: with no time limit (this app's setting) a copy signed earlier is exactly as
good, so the one signed first is put on `g` before the view, where `generate_csrf` finds it.
With a time limit, or before the session has its token, `generate_csrf` works as before.
"""

from functools import lru_cache

from flask import current_app, g, request, session
from itsdangerous import URLSafeTimedSerializer

SALT = "wtf-csrf-token"  # Flask-WTF's


def sign_once() -> None:
    if request.endpoint == "static":
        return
    config = current_app.config
    # Flask-WTF's checks read a missing time limit as an hour: only an explicit None is none.
    if config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None:
        return
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    if isinstance(raw, str):
        setattr(g, field, _signed(config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key),
                                  raw))


@lru_cache(maxsize=4096)
def _signed(secret_key: str, raw: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt=SALT).dumps(raw)


def register(app) -> None:
    app.before_request(sign_once)
