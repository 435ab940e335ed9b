"""A page's body kept while none of the tables it was made from has changed.

    html, status = page_cache.body(("applications", class_id, args), make)

`make()` returns the body's HTML and what goes with it (the page's status). The first time,
it runs while the connection notes every table its statements read; the body is kept (per
worker) with those tables' versions
(app/core/table_versions.py), read before the body's data. Next time, if every one of those
versions is still the same, nothing is read or made again: no write committed since to any of
those tables, so the same statements would give the same rows. A write to any of them, from
any worker, replaces its version, and the next request makes the body again.

The key holds what else the body depends on: the caller's arguments (the object, the query
string), and here the language, the application's root and the day (a page that says
"tomorrow" changes at midnight). Never kept: a body made while the request has written and
not committed (its own changes are not yet in any version), or when the request is not a GET.

A form's CSRF token is personal: the body is made with a placeholder where the token goes, and
each request puts its own in (`csrf`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import inspect

from app.core import recent, table_versions
from app.core.recent import Recent
from app.extensions import db
from app.timeutil import local_today

ENTRIES = 32  # bodies kept per worker
LARGEST = 500_000  # characters (a 600-applicant page is about 40,000): a larger body is not kept
T = TypeVar("T")
_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"  # this process's; never a real token


@dataclass(slots=True, frozen=True)
class _Kept:
    versions: tuple[tuple[str, int | None], ...]  # (table, version) of each table read
    html: str
    extra: object


def _store() -> Recent[_Kept]:
    return recent.of_app("page_cache", ENTRIES)


def body(key: Hashable, make: Callable[[], tuple[str, T]]) -> tuple[Markup, T]:
    """What `make()` gives for `key` (the body's HTML and what goes with it), kept while the
    tables it read are unchanged."""
    session = db.session
    if request.method != "GET" or session.new or session.dirty or session.deleted:
        return _marked(make())
    connection = session.connection()
    if table_versions.writing(connection):
        return _marked(make())
    versions = table_versions.read(connection)
    full = (key, str(get_locale()), request.script_root, local_today())
    store = _store()
    kept = store.get(full)
    if kept is not None and all(versions.get(name) == version
                                for name, version in kept.versions):
        return csrf(kept.html), kept.extra  # type: ignore[return-value]
    # What the session holds was read before the versions: read again, and noted, when used.
    # Not the signed-in user's row: a kept body is the same for everyone who may see it, so
    # it shows nothing of theirs (their access was checked before, on this request's rows).
    theirs = _signed_in_rows()
    for obj in list(session.identity_map.values()):
        if id(obj) not in theirs:
            session.expire(obj)
    table_versions.start_reading(connection)
    try:
        html, extra = _with_placeholder(make)
    finally:
        read = table_versions.stop_reading(connection)
    if not table_versions.writing(connection) and len(html) <= LARGEST:
        read.add(table_versions.ANY)
        store.put(full, _Kept(tuple((name, versions.get(name)) for name in sorted(read)), html,
                              extra))
    return csrf(html), extra


def _signed_in_rows() -> set[int]:
    """The ids of the signed-in user's object and of what was loaded with it (their roles)."""
    user = current_user._get_current_object() if has_request_context() else None
    if not getattr(user, "is_authenticated", False):
        return set()
    state = inspect(user)
    out = {id(user)}
    for relationship in state.mapper.relationships:
        loaded = state.dict.get(relationship.key)
        if loaded is not None:
            out.update(map(id, loaded if isinstance(loaded, list) else (loaded,)))
    return out


def _marked(made: tuple[str, T]) -> tuple[Markup, T]:
    return Markup(made[0]), made[1]  # noqa: S704 - the app's own template output


def _with_placeholder(make: Callable[[], tuple[str, T]]) -> tuple[str, T]:
    """`make()` with the placeholder as the request's CSRF token (Flask-WTF's
    `generate_csrf` gives what it finds in `g`), the real one (if any) put back after."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    real = g.pop(field, None)
    setattr(g, field, _PLACEHOLDER)
    try:
        return make()
    finally:
        g.pop(field, None)
        if real is not None:
            setattr(g, field, real)


def csrf(html: str) -> Markup:
    """The kept body with this request's CSRF token where the placeholder is."""
    if _PLACEHOLDER in html:
        html = html.replace(_PLACEHOLDER, generate_csrf())
    return Markup(html)  # noqa: S704 - the app's own template output
