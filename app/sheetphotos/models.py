"""The prints of the sign-in sheet and the photos read from them.

- `SheetPrint`: one printing of a class's sign-in sheet, with the sessions it covers and every
  signature cell as drawn (page, cadre, session, box in mm): rows grow with long names, so the
  boxes are recorded when the sheet is printed, never recomputed.
- `SheetReading`: a photo of one printed page and what was read from it (a decision per
  cell), unconfirmed until a person confirms it; then the marks are written and the photo is
  kept as the sessions' evidence. Reading the same page again replaces the unconfirmed
  result (`service.py`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow

READING_STATUSES = ("read", "confirmed")


class SheetPrint(db.Model):
    __tablename__ = "sheet_prints"
    __table_args__ = (CheckConstraint("pages >= 0", name="pages"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"),
                                          index=True)
    session_ids: Mapped[str] = mapped_column(String(2000), default="")  # "12.13.14"
    pages: Mapped[int] = mapped_column(default=0)
    # {"page_mm": [w, h], "qr_mm": [x, y, side], "cells": [[page, cadre, session, x, y, w, h]]}
    layout: Mapped[dict] = mapped_column(JSON, default=dict)
    printed_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    training_class = relationship("TrainingClass")
    printed_by = relationship("User", lazy="joined")

    @property
    def sessions(self) -> list[int]:
        return [int(s) for s in self.session_ids.split(".") if s]

    def cells_of(self, page: int) -> list[tuple[int, int | None, tuple[float, ...]]]:
        """(cadre id, session id, box mm) of every cell on the page, in the printed order."""
        return [(c[1], c[2], tuple(c[3:7])) for c in self.layout.get("cells", [])
                if c[0] == page]


class SheetReading(db.Model):
    __tablename__ = "sheet_readings"
    __table_args__ = (
        CheckConstraint("status IN ('read', 'confirmed')", name="status"),
        Index("ix_sheet_readings_print_page", "print_id", "page"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"),
                                          index=True)
    # None until the page is known (a QR code that could not be read: a person picks it)
    print_id: Mapped[int | None] = mapped_column(ForeignKey("sheet_prints.id",
                                                            ondelete="CASCADE"))
    page: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="read")
    original_name: Mapped[str] = mapped_column(String(255))
    photo_name: Mapped[str] = mapped_column(String(40))  # under UPLOAD_DIR/attendance
    photo_sha256: Mapped[str] = mapped_column(String(64))
    # {"homography": 3x3, "found": [...], "cells": [[cadre, session, decision, ink]]}
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))

    sheet_print = relationship("SheetPrint")
