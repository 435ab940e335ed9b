"""Certificates (giấy chứng nhận), their numbering counters and the trainer's confirmation of a
class's results.

A certificate freezes at issue everything it prints (holder, class, issuer, place, signer), so
that later edits of the cadre, the class or the settings never change an issued certificate.
Revoked, it stays (the register lists it, marked revoked); reissued, the old one points to the
new one. At most one certificate in force per learner and class: a partial unique index.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.certificates.codes import display
from app.extensions import db
from app.timeutil import to_local, utcnow


class CertificateCounter(db.Model):
    """The last number given by one issuer in one year; taken under a row lock
    (`issuing.next_number`), in the transaction that writes the certificate, so the numbers
    are unique and without gaps."""

    __tablename__ = "certificate_counters"
    __table_args__ = (UniqueConstraint("issuer_key", "year"),
                      CheckConstraint("last_number >= 0", name="last_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_key: Mapped[str] = mapped_column(String(120))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class ResultConfirmation(db.Model):
    """The trainer (or a coordinator) confirmed who completed the class: the applications that
    qualified then. Issuing needs a confirmation that still matches the results."""

    __tablename__ = "certificate_confirmations"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"),
                                          primary_key=True)
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    eligible_ids: Mapped[list] = mapped_column(JSON, default=list)

    confirmed_by = relationship("User")


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("issuer_key", "year", "seq"),
        CheckConstraint("seq >= 1", name="seq"),
        CheckConstraint("holder_gender IN ('F', 'M')", name="holder_gender"),
        CheckConstraint("revoked_at IS NULL OR revoke_reason IS NOT NULL", name="revoke_reason"),
        CheckConstraint("replaced_by_id IS NULL OR revoked_at IS NOT NULL", name="replaced"),
        Index("uq_certificates_in_force", "application_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"),
              postgresql_where=text("revoked_at IS NULL")),
        Index("ix_certificates_issued_on", "issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadres.id"), index=True)
    issuer_key: Mapped[str] = mapped_column(String(120))
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(60))  # "015/GCN-UBND"
    # Frozen at issue: what the certificate prints.
    holder_name: Mapped[str] = mapped_column(String(120))
    holder_gender: Mapped[str] = mapped_column(String(1))
    holder_birth: Mapped[str] = mapped_column(String(10))  # "12/03/1985" or "1985"
    holder_unit: Mapped[str] = mapped_column(String(300))  # "Thôn Gò Da, xã Sơn Hà"
    class_code: Mapped[str] = mapped_column(String(30))
    class_title: Mapped[str] = mapped_column(String(200))
    class_place: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    end_date: Mapped[date]
    issuer_lines: Mapped[list] = mapped_column(JSON)  # [[text, bold], ...] as headed
    issuer_name: Mapped[str] = mapped_column(String(300))  # "Ủy ban nhân dân xã Sơn Hà"
    place_name: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date]
    signer_authority: Mapped[str] = mapped_column(String(100), default="")
    signer_title: Mapped[str] = mapped_column(String(100))
    signer_name: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))

    replaced_by: Mapped[Certificate | None] = relationship(
        remote_side=[id], foreign_keys=[replaced_by_id])
    cadre = relationship("Cadre", lazy="raise_on_sql")
    application = relationship("Application", lazy="raise_on_sql")

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None

    @property
    def revoked_on(self) -> date | None:
        """The local day it was revoked."""
        return to_local(self.revoked_at).date() if self.revoked_at is not None else None

    @property
    def shown_code(self) -> str:
        """"ABCDE-FGHJK": the code as printed, in two groups."""
        return display(self.code)

    @property
    def register_number(self) -> str:
        """"015/2026": the line of the year's register (sổ cấp giấy chứng nhận)."""
        return f"{self.seq:03d}/{self.year}"

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.code}>"
