"""Tokens of the machine clients of the read-only API (/api/v1/): made and revoked by an admin,
scoped to a unit (a commune, or None for the whole province). Only the SHA-256 of a token is
stored: the token itself is shown once, when it is made (app/api/tokens.py says why a plain
hash is enough)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("revoked_at IS NULL OR revoked_at >= created_at", name="revoked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))  # which system uses it
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to recognise it
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]

    unit = relationship("Unit", lazy="joined")

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix} {self.name}>"
