"""The audit log as a list: filters and one page, in SQL (a constant number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.audit.models import AuditEntry
from app.audit.scope import visible_to
from app.core import paging
from app.extensions import db
from app.numbers import parse_id
from app.timeutil import LOCAL_TZ
from app.vietnamese import DateError, format_date, parse_date

MAX_TEXT = 100


@dataclass(frozen=True)
class AuditFilters:
    q: str = ""  # words of the summary or the reason
    user_id: int | None = None  # who
    action: str = ""  # e.g. "cadre.update", or its start "cadre."
    object_type: str = ""
    object_id: int | None = None
    since: date | None = None  # local dates, both included
    until: date | None = None

    @classmethod
    def from_args(cls, args) -> AuditFilters:
        def day(name):
            try:
                found, _year = parse_date((args.get(name) or "").strip())
            except DateError:
                return None
            return found

        return cls(q=(args.get("q") or "").strip()[:MAX_TEXT],
                   user_id=parse_id(args.get("user") or ""),
                   action=(args.get("action") or "").strip()[:50],
                   object_type=(args.get("object_type") or "").strip()[:40],
                   object_id=parse_id(args.get("object_id") or ""),
                   since=day("since"), until=day("until"))

    def as_args(self) -> dict:
        found = {"q": self.q, "user": self.user_id, "action": self.action,
                 "object_type": self.object_type, "object_id": self.object_id,
                 "since": format_date(self.since) if self.since else None,
                 "until": format_date(self.until) if self.until else None}
        return {k: v for k, v in found.items() if v}


def _utc(day: date) -> datetime:
    """The start of a local day as the naive UTC moment entries are stored in."""
    local = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def entries_select(user, filters: AuditFilters):
    query = select(AuditEntry).where(visible_to(user))
    if filters.user_id is not None:
        query = query.where(AuditEntry.user_id == filters.user_id)
    if filters.action:
        if filters.action.endswith("."):
            query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
        else:
            query = query.where(AuditEntry.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.since:
        query = query.where(AuditEntry.at >= _utc(filters.since))
    if filters.until:
        query = query.where(AuditEntry.at < _utc(filters.until + timedelta(days=1)))
    if filters.q:
        words = f"%{filters.q.lower()}%"
        query = query.where(or_(func.lower(AuditEntry.summary).like(words),
                                func.lower(func.coalesce(AuditEntry.reason, "")).like(words)))
    return query


def page_of(user, filters: AuditFilters, page: int, size: int) -> tuple[list[AuditEntry], int]:
    """One page of the entries `user` may read, newest first, and their count: two queries,
    LIMIT and OFFSET in the database."""
    query = entries_select(user, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(paging.cut(
        query.options(joinedload(AuditEntry.user))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), page, size)).unique().all()
    return list(rows), total


def actions(user) -> list[str]:
    """The actions found in the entries `user` may read (the filter's choices)."""
    return list(db.session.scalars(select(AuditEntry.action).where(visible_to(user))
                                   .distinct().order_by(AuditEntry.action)))
