"""Pages of the API's lists: `?page=` (from 1) and `?per_page=` (1 to MAX_PER_PAGE, default
DEFAULT_PER_PAGE). A value that is not a whole number in range is refused (400, naming the
parameter), never silently changed: a client asking for 500 rows must learn it gets 100."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app.api.errors import ApiError
from app.core.paging import MAX_PAGE, cut
from app.extensions import db

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100


def _whole(args: Mapping[str, str], name: str, default: int, highest: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= highest:
        raise ApiError(400, _("Tham số %(name)s phải là số nguyên từ 1 đến %(max)s.", name=name,
                              max=highest), name)
    return int(raw)


def page_args(args: Mapping[str, str]) -> tuple[int, int]:
    return (_whole(args, "page", 1, MAX_PAGE),
            _whole(args, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE))


def page_of(query: Select, args: Mapping[str, str], item: Callable) -> dict:
    """One page of `query` (ordered), its items made by `item`: two queries."""
    page, per_page = page_args(args)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(cut(query, page, per_page)).all()
    return {"items": [item(row) for row in rows], "page": page, "per_page": per_page,
            "total": total, "pages": max(-(-total // per_page), 1)}
