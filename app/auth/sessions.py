"""Signing a browser in and out: the one place that touches Flask-Login and the session.

Order matters on the way out: the session is emptied first (nothing of this user's work, such
as nomination ticks, is left for the next person at a shared computer), then `logout_user()`
leaves its marker in the fresh session so that Flask-Login deletes the remember-me cookie on
the response. Clearing after `logout_user()` would erase that marker, and the cookie would
sign the user back in on the next request.
"""

from flask import session
from flask_login import login_user, logout_user


def sign_in(user, *, remember: bool) -> None:
    """Start a sign-in that lasts SESSION_HOURS (or REMEMBER_DAYS with `remember`). The
    session is renewed, so nothing from before the sign-in carries over to it."""
    session.clear()
    session.permanent = True
    login_user(user, remember=remember)


def sign_out() -> None:
    """End this browser's sign-in: the session and the remember-me cookie."""
    session.clear()
    logout_user()
