"""The audit log: who did what, when and why, for everything that must not be lost."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, insert
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)

    user = relationship("User")


def record(actor, action: str, obj_type: str, obj_id: int | None, summary: str = "",
           reason: str | None = None, data: dict | None = None) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits)."""
    entry = AuditEntry(
        user_id=getattr(actor, "id", None), action=action, object_type=obj_type,
        object_id=obj_id, summary=summary, reason=reason, data=data,
    )
    db.session.add(entry)
    return entry


def record_many(actor, entries, at: datetime | None = None, chunk: int = 5000) -> int:
    """Add many audit entries at once (an import of thousands of rows): dicts with `action`,
    `object_type`, `object_id` and optionally `summary`, `reason`, `data`, written by one
    executemany INSERT per `chunk` entries in the current transaction, as `record` would
    write them one by one. Returns how many were written; the caller commits."""
    at = at or utcnow()
    user_id = getattr(actor, "id", None)
    written, batch = 0, []
    for entry in entries:
        batch.append({"summary": "", "reason": None, "data": None, **entry, "at": at,
                      "user_id": user_id})
        if len(batch) == chunk:
            db.session.execute(insert(AuditEntry.__table__), batch)
            written, batch = written + len(batch), []
    if batch:
        db.session.execute(insert(AuditEntry.__table__), batch)
        written += len(batch)
    return written
