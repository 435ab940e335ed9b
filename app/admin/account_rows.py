"""The account list's page, read and prepared once in Python: plain rows (no `User`,
`UserRole` or `TwoFactor` objects), each account's roles in one more statement for the page,
and what every row writes (the links, the roles' names, the buttons' labels) made once for
the page: loading the accounts as objects with their roles and two-factor rows, `url_for`
and `_()` per row were most of the page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import bindparam, func, select

from app.auth.models import TwoFactor, User, UserRole
from app.auth.roles import ROLE_LABELS
from app.core import like, written
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
    `q` finds names (with or without diacritics), usernames and phones. The statements are
    built once per process (`_statements`), their values parameters."""
    count, rows_of, roles_of = _statements(bool(q))
    values = {"q": like.literal(fold(q))} if q else {}
    total = db.session.scalar(count, values) or 0
    rows = db.session.execute(
        rows_of, {**values, "limit": size, "offset": (page - 1) * size}).all()
    roles: dict[int, list[str]] = {}
    if rows:
        for user_id, role in db.session.execute(roles_of, {"ids": [row[0] for row in rows]}):
            roles.setdefault(user_id, []).append(role)
    return _accounts(rows, roles), total


@lru_cache(maxsize=2)
def _statements(searched: bool):
    """The total's, the page's and its roles' statements (parameters `q`: the search folded
    and escaped; `limit`, `offset`; `ids`), of the tables' columns: run by Core, without the
    ORM's work per execution, and built once per process (SQLAlchemy keeps a statement's
    cache key with it)."""
    user, two_factor = User.__table__.c, TwoFactor.__table__.c
    role = UserRole.__table__.c
    query = select(user.id)
    if searched:
        query = query.where(user.search_text.contains(bindparam("q"), escape=like.ESCAPE))
    count = query.with_only_columns(func.count(), maintain_column_froms=True)  # as count_of
    rows = (query.with_only_columns(user.id, user.username, user.full_name, user.phone,
                                    user.active, two_factor.user_id)
            .select_from(User.__table__.outerjoin(TwoFactor.__table__,
                                                  two_factor.user_id == user.id))
            .order_by(user.sort_key, user.id)
            .limit(written.LIMIT).offset(written.OFFSET))
    roles = (select(role.user_id, role.role)
             .where(role.user_id.in_(bindparam("ids", expanding=True)))
             .order_by(role.user_id, role.role))
    return count, rows, roles


def _accounts(rows, roles: dict[int, list[str]]) -> list[Account]:
    edit, password = Links("admin.user_edit", "user_id"), Links("admin.user_password", "user_id")
    toggle = Links("admin.user_toggle", "user_id")
    role_text = {key: _(label) for key, label in ROLE_LABELS.items()}
    # The catalogue's texts, trusted as Jinja's gettext trusts them; the name is escaped.
    reset_for = _naming(_("Đặt lại mật khẩu cho %(u)s"))
    lock_for = _naming(_("Khóa tài khoản %(u)s"))
    unlock_for = _naming(_("Mở khóa tài khoản %(u)s"))
    accounts = []
    for user_id, username, full_name, phone, active, two_factor in rows:
        name = escape(username)
        accounts.append(Account(
            user_id, username, full_name, phone, active, two_factor is not None,
            [role_text.get(key, key) for key in roles.get(user_id, ())],
            edit(user_id), password(user_id), toggle(user_id),
            reset_for(name), (lock_for if active else unlock_for)(name)))
    return accounts


def _naming(text: str):
    """A label naming an account: the account's name, escaped, in place of `%(u)s` (as
    `Markup(text) % {"u": name}` writes it: the catalogue's text trusted, `%%` a percent
    sign), the text split once for the page."""
    head, found, tail = text.partition("%(u)s")
    head, tail = head.replace("%%", "%"), tail.replace("%%", "%")
    if not found:
        return lambda name: Markup(head)  # noqa: S704
    return lambda name: Markup(f"{head}{name}{tail}")  # noqa: S704
