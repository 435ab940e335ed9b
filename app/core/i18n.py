"""Locale selection: the user's choice (cookie or account), Vietnamese by default."""

from flask import current_app, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

LOCALE_COOKIE = "lang"


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LOCALE_COOKIE) if request else None
    if chosen in supported:
        return chosen
    try:
        user_locale = getattr(current_user, "locale", None) if current_user else None
    except SQLAlchemyError:  # the database is unavailable: the error page still has a language
        user_locale = None
    if user_locale in supported:
        return user_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register(app) -> None:
    """Choose the locale afresh for every request (Flask-Babel caches it on the app context,
    which a test client or a CLI command may share between requests)."""
    from flask_babel import refresh

    app.before_request(refresh)
