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

from flask_babel import gettext as _
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


def refusal(exc: Exception, conflict: str | None = None) -> Refusal:
    """Roll back and give the Refusal that `exc` means (re-raised when it is none); `conflict`
    words a concurrent change for the page (default: "this data")."""
    db.session.rollback()
    if isinstance(exc, Refusal):
        return exc
    if isinstance(exc, CONFLICTS) and not database_unavailable(exc):
        return Refusal(conflict or _("Có người khác vừa thay đổi dữ liệu này cùng lúc; chưa lưu "
                                     "gì. Vui lòng thử lại."), 409)
    raise exc
