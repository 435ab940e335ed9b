"""Refusals: the one base of the errors a user can act on, and their one mapping.

Domain code raises a `Refusal` (or a subclass named for its feature: EnrolmentError,
CourseError, ...) carrying a message in the user's language, the HTTP status that fits
(400 bad input, 403, 404, 409 a state or a concurrent change that forbids it, 422 input that
cannot be used) and, when there is one, the form field it belongs to.

A view that shows the refusal on its own page catches `REFUSED` and calls `refusal(exc)`,
which rolls the transaction back and gives the Refusal to show; anything not caught reaches
the handler in app/core/errors.py, which renders the error page with the same message and
status. Either way nothing is half-written.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import Index, PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db


class Refusal(Exception):
    """A request refused for a reason the user can act on."""

    status = 409

    def __init__(self, message: str = "", status: int | None = None,
                 field: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.field = field

    def __str__(self) -> str:
        return self.message


# A database refusal while writing means someone else changed the same rows at the same moment
# (a unique key taken, a check constraint on a counter, a lock that timed out). Any other
# OperationalError means the database itself is unavailable: not a refusal (errors.py, 503).
CONFLICTS = (IntegrityError, OperationalError)
REFUSED = (Refusal, *CONFLICTS)
_BUSY = ("database is locked", "lock timeout", "could not obtain lock", "deadlock detected",
         "could not serialize access")


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached or used at all (gone, unreadable, a
    connection refused or lost), rather than that another writer was in the way."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc.orig if exc.orig is not None else exc).lower()
    return not any(words in text for words in _BUSY)


# What a unique key taken means to the user, by the key's name (the metadata's naming
# convention: "uq_users_username"): a double tap, or two people creating the same thing at once,
# passes the page's own check twice and meets the key in the database. Features name their keys
# with `explain_unique` (in init_app); the message is a lazy string, translated when shown.
_UNIQUE: dict[str, tuple[object, str | None]] = {}


def explain_unique(name: str, message, field: str | None = None) -> None:
    """Say what the unique key (or unique index) `name` being taken means, and at which form
    field, so that `refusal` turns the database's refusal into that message (409)."""
    _UNIQUE[name] = (message, field)


def unique_key_of(exc: IntegrityError) -> str | None:
    """The name of the unique key or index `exc` was refused by, or None (another kind of
    integrity error, or a key the metadata does not know). PostgreSQL names it; SQLite names
    the columns ("UNIQUE constraint failed: users.username") or the index of an expression."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:
        return getattr(diag, "constraint_name", None)
    text = str(orig)
    found = re.search(r"UNIQUE constraint failed: index '([^']+)'", text)
    if found:
        return found.group(1)
    found = re.search(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)", text)
    if not found:
        return None
    columns = found.group(1).split(", ")
    table = columns[0].split(".")[0]
    wanted = [c.split(".", 1)[1] for c in columns]
    for key in _unique_keys(table):
        if [c.name for c in key.columns] == wanted:
            return key.name
    return None


def _unique_keys(table_name: str):
    table = db.metadata.tables.get(table_name)
    if table is None:
        return []
    keys = [c for c in table.constraints
            if isinstance(c, (UniqueConstraint, PrimaryKeyConstraint))]
    keys += [i for i in table.indexes if isinstance(i, Index) and i.unique]
    return keys


def refusal(exc: Exception, conflict: str | None = None) -> Refusal:
    """Roll back and give the Refusal that `exc` means (re-raised when it is none); `conflict`
    words a concurrent change for the page (default: "this data"). A unique key named by
    `explain_unique` gives its own message and field."""
    db.session.rollback()
    if isinstance(exc, Refusal):
        return exc
    if isinstance(exc, IntegrityError) and (key := unique_key_of(exc)) in _UNIQUE:
        message, field = _UNIQUE[key]
        return Refusal(str(message), 409, field)
    if isinstance(exc, CONFLICTS) and not database_unavailable(exc):
        return Refusal(conflict or _("Có người khác vừa thay đổi dữ liệu này cùng lúc; chưa lưu "
                                     "gì. Vui lòng thử lại."), 409)
    raise exc


def at_field(form, exc: Exception) -> Refusal:
    """Roll back and put the refusal `exc` means at its form field, so that the view shows
    the form again with the message where it belongs (a racing double tap meets a unique key
    named by `explain_unique` with a field): returns the Refusal, whose status (409) the page
    answers with. Re-raised when the form has no such field (the error page shows it)."""
    why = refusal(exc)
    field = getattr(form, why.field, None) if why.field else None
    if field is None or not hasattr(field, "errors"):
        raise why
    field.errors = [*field.errors, why.message]
    return why
