"""Access control declared at the route."""

from functools import wraps

from flask import abort
from flask_login import current_user

from app.extensions import login_manager

PUBLIC = "public"
ANY_USER = "any"
# Machine clients of the read-only API (app/api/auth.py): a bearer token, never a session.
TOKEN = "token"  # noqa: S105 - an access kind, not a secret


def role_required(*roles: str):
    """Allow only signed-in users holding one of `roles`; anonymous users go to the login page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = frozenset(roles)
        return wrapped

    return decorator


def login_required(view):
    """Any signed-in user (object checks in the view decide the rest)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    wrapped.access = ANY_USER
    return wrapped


def public(view):
    """Mark a view as reachable without signing in (checked by the route-walk test)."""
    view.access = PUBLIC
    return view
