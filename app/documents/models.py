"""Organisation settings printed on official documents (one row, edited by an admin)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


@dataclass(frozen=True)
class OrgInfo:
    """What a document needs from the settings (plain values, safe to pass to renderers)."""

    # Defaults until an admin saves the settings: xã Sơn Hà as it is since 01/07/2025 (the
    # district was dissolved that day); the office is an example.
    parent_body: str = "UBND TỈNH QUẢNG NGÃI"
    issuing_body: str = "UBND XÃ SƠN HÀ"
    issuing_office: str = "Phòng Văn hóa - Xã hội"
    place_name: str = "Sơn Hà"
    number_suffix: str = "UBND"
    signer_authority: str = "KT. CHỦ TỊCH"
    signer_title: str = "PHÓ CHỦ TỊCH"
    signer_name: str = "Đinh Văn Minh"


DEFAULTS = OrgInfo()
FIELDS = tuple(f.name for f in fields(OrgInfo))


class OrgSetting(db.Model):
    """The organisation settings: a single row (id = 1)."""

    __tablename__ = "org_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    parent_body: Mapped[str] = mapped_column(String(200), default=DEFAULTS.parent_body)
    issuing_body: Mapped[str] = mapped_column(String(200), default=DEFAULTS.issuing_body)
    issuing_office: Mapped[str] = mapped_column(String(200), default=DEFAULTS.issuing_office)
    place_name: Mapped[str] = mapped_column(String(100), default=DEFAULTS.place_name)
    number_suffix: Mapped[str] = mapped_column(String(30), default=DEFAULTS.number_suffix)
    signer_authority: Mapped[str] = mapped_column(String(100),
                                                  default=DEFAULTS.signer_authority)
    signer_title: Mapped[str] = mapped_column(String(100), default=DEFAULTS.signer_title)
    signer_name: Mapped[str] = mapped_column(String(120), default=DEFAULTS.signer_name)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    def info(self) -> OrgInfo:
        return OrgInfo(**{name: getattr(self, name) or "" for name in FIELDS})


def current_settings() -> OrgSetting:
    """The stored row, or an unsaved one holding the defaults (nothing is written)."""
    row = db.session.get(OrgSetting, 1)
    if row is None:
        row = OrgSetting(id=1, **{name: getattr(DEFAULTS, name) for name in FIELDS})
    return row


def org_info() -> OrgInfo:
    row = db.session.get(OrgSetting, 1)
    return row.info() if row is not None else DEFAULTS


def save_settings(actor, values: dict) -> bool:
    """Create or update the row from `values` (already validated); flushes, audits changes.

    Returns whether anything changed.
    """
    from app.audit.models import record

    row = db.session.get(OrgSetting, 1)
    created = row is None
    if created:
        row = OrgSetting(id=1)
        db.session.add(row)
    before = {name: (None if created else getattr(row, name)) for name in FIELDS}
    for name in FIELDS:
        setattr(row, name, values[name])
    changes = {name: [before[name], values[name]] for name in FIELDS
               if before[name] != values[name]}
    if changes:
        row.updated_by_id = getattr(actor, "id", None)
        db.session.flush()
        record(actor, "settings.update", "org_settings", 1,
               "Sửa thiết lập đơn vị (in trên văn bản)", data={"changes": changes})
    return bool(changes)
