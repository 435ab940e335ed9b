"""Forms that create something are sent once: a double tap, a reload that posts again or a
second tab never creates two.

A create form carries a random one-time token (`OnceField`, a hidden input made when the form
is shown). The view asks `repeat_of(form)` before doing anything: if a form with that token
was already saved, the user is sent where the first submission led, nothing written again.
Once the work is done, `remember(form, url)` stores the token in the same transaction, under a
primary key: two submissions racing each other both pass `repeat_of`, and the database refuses
the second token (app/core/refusal.py turns that into a clear 409, the first one kept).

A form posted without a token (an old page, a script) gets a new one, so it is simply not
protected; a token of another shape is ignored the same way. Tokens are kept `KEEP` long.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from flask import flash, redirect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from app.core.refusal import explain_unique
from app.extensions import db
from app.timeutil import utcnow

KEEP = timedelta(days=2)
_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}\Z")


class FormToken(db.Model):
    """A create form already saved: its token and where it led."""

    __tablename__ = "form_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


explain_unique("pk_form_tokens", _l("Biểu mẫu này vừa được gửi và đã được lưu ở lần gửi trước; "
                                    "không lưu thêm lần nữa. Hãy tải lại trang để xem."))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OnceField(HiddenField):
    """The form's one-time token: a new one each time the form is shown, the posted one kept
    when the page comes back with errors."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", new_token)
        super().__init__(label, validators, **kwargs)


def _token(form) -> str | None:
    token = form.once.data or ""
    return token if _SHAPE.match(token) else None


def repeat_of(form):
    """The redirect to where the first submission of this form led, with a note, when this is
    a repeat; None otherwise (go on)."""
    token = _token(form)
    if token is None:
        return None
    url = db.session.scalar(select(FormToken.url).where(FormToken.token == token))
    if url is None:
        return None
    flash(_("Biểu mẫu này đã được gửi và lưu trước đó; không lưu thêm lần nữa."), "info")
    return redirect(url, 303)


def remember(form, url: str, now: datetime | None = None) -> None:
    """Record that the form was saved, leading to `url` (flushed: a racing twin fails here or
    at the commit). Tokens older than KEEP are dropped on the way."""
    token = _token(form)
    if token is None:
        return
    now = now or utcnow()
    db.session.execute(delete(FormToken).where(FormToken.at < now - KEEP))
    db.session.add(FormToken(token=token, url=url[:500], at=now))
    db.session.flush()
