"""The signed session cookie, written again only when it changed or has aged.

Flask signs and sends a permanent session's cookie again on every response, so that its
lifetime (PERMANENT_SESSION_LIFETIME, `SESSION_HOURS`) counts from the last request: a JSON
dump, zlib, an HMAC and a Set-Cookie header per page, for a cookie that rarely changes. Here
a session that did not change is written again only once its signature is REFRESH_EVERY old,
so a session still ends SESSION_HOURS after its last use, to within REFRESH_EVERY. A session
that changed (signing in, a flash message, a CSRF token, nomination ticks) is written at once,
as before; and the signature, its age limit and the cookie's attributes are Flask's own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

REFRESH_EVERY = timedelta(minutes=5)


class AgedSession(SecureCookieSession):
    """The session with the moment its cookie was signed (None: no cookie, or not valid)."""

    signed_at: datetime | None = None


class QuietCookieSessions(SecureCookieSessionInterface):
    session_class = AgedSession

    def __init__(self) -> None:
        self._serializers: dict = {}

    def get_signing_serializer(self, app):
        """Flask's serializer, made once per key (making one dumps a test value to learn the
        serializer's kind: twice per request)."""
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        found = self._serializers.get(key)
        if found is None:
            found = super().get_signing_serializer(app)
            if found is not None:
                self._serializers = {key: found}  # one app, one key: the last one made
        return found

    def open_session(self, app, request):
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data, signed_at = signer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds()),
                return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app, session) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(UTC) - signed_at >= REFRESH_EVERY
