"""A province's own reporting workbook, uploaded once as a report template: the file as it
came (kept in the database, so every app server has it) and the placeholders found in it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.core.refusal import explain_unique
from app.extensions import db
from app.i18n_markers import N_
from app.timeutil import utcnow


class ReportTemplate(db.Model):
    __tablename__ = "report_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded (NFC)
    # The .xlsx as uploaded.
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    # The cells to fill: [[sheet, cell, [names...], mapped], ...] (filling.Slot).
    slots: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    @property
    def names(self) -> list[str]:
        """The indicator names the template uses, each once, in the order met."""
        return list(dict.fromkeys(name for _sheet, _cell, names, *_ in self.slots
                                  for name in names))

    def __repr__(self) -> str:
        return f"<ReportTemplate {self.name}>"


explain_unique("uq_report_templates_name", N_("Đã có biểu mẫu mang tên này; hãy đặt tên khác."),
               "name")
