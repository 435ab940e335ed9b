"""The account list's page, read and prepared once in Python: plain rows (no `User`,
`UserRole` or `TwoFactor` objects), each account's roles in one more statement for the page,
and what every row writes (the links, the roles' names, the buttons' labels) made once for
the page: loading the accounts as objects with their roles and two-factor rows, `url_for`
and `_()` per row were most of the page."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from app.auth.models import TwoFactor, User, UserRole
from app.auth.roles import ROLE_LABELS
from app.core.paging import count_of
from app.core.templating import Links
from app.extensions import db
from app.vietnamese import fold


@dataclass(slots=True)
class Account:
    id: int
    username: str
    full_name: str
    phone: str | None
    active: bool
    two_factor: bool
    roles: list[str]  # their names, in the reader's language, in the order of the role keys
    edit: str  # links
    password: str
    toggle: str
    reset_label: str  # the buttons' labels for screen readers, naming the account
    toggle_label: str


def page(q: str, page: int, size: int) -> tuple[list[Account], int]:
    """One page of the account list in Vietnamese name order, and the total, both in SQL;
    `q` finds names (with or without diacritics), usernames and phones."""
    query = select(User.id)
    if q:
        query = query.where(User.search_text.contains(fold(q), autoescape=True))
    total = count_of(query)
    rows = db.session.execute(
        query.with_only_columns(User.id, User.username, User.full_name, User.phone,
                                User.active, TwoFactor.user_id.label("two_factor"))
        .join_from(User, TwoFactor, TwoFactor.user_id == User.id, isouter=True)
        .order_by(User.sort_key, User.id).limit(size).offset((page - 1) * size)).all()
    roles: dict[int, list[str]] = {}
    if rows:
        for user_id, role in db.session.execute(
                select(UserRole.user_id, UserRole.role)
                .where(UserRole.user_id.in_([row.id for row in rows]))
                .order_by(UserRole.user_id, UserRole.role)):
            roles.setdefault(user_id, []).append(role)
    return _accounts(rows, roles), total


def _accounts(rows, roles: dict[int, list[str]]) -> list[Account]:
    edit, password = Links("admin.user_edit", "user_id"), Links("admin.user_password", "user_id")
    toggle = Links("admin.user_toggle", "user_id")
    role_text = {key: _(label) for key, label in ROLE_LABELS.items()}
    # The catalogue's texts, trusted as Jinja's gettext trusts them; `%` escapes the name.
    reset_for = Markup(_("Đặt lại mật khẩu cho %(u)s"))  # noqa: S704
    lock_for = Markup(_("Khóa tài khoản %(u)s"))  # noqa: S704
    unlock_for = Markup(_("Mở khóa tài khoản %(u)s"))  # noqa: S704
    return [Account(row.id, row.username, row.full_name, row.phone, row.active,
                    row.two_factor is not None,
                    [role_text.get(key, key) for key in roles.get(row.id, ())],
                    edit(row.id), password(row.id), toggle(row.id),
                    reset_for % {"u": row.username},
                    (lock_for if row.active else unlock_for) % {"u": row.username})
            for row in rows]
