"""The costs of a class (kinh phí lớp tập huấn): per line of spending, the budget (dự toán),
what was spent (thực hiện) and the funding source (nguồn kinh phí) it is paid from.

One row per class and line. Amounts are whole đồng. The lines that other features compute
are stored too, as they stood when the coordinator last saved the costs, so that the reports
add them up in SQL (`summary.py`); the class's page shows the live figures beside them and
says when they differ (`lines.py`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.i18n_markers import N_
from app.timeutil import utcnow

# The lines of a class's costs, in the order the page and the papers show them.
LINES = ("trainer", "materials", "hall", "water", "stationery", "meal", "travel", "other")
LINE_LABELS = {
    "trainer": N_("Thù lao giảng viên, báo cáo viên"),
    "materials": N_("Tài liệu"),
    "hall": N_("Thuê hội trường"),
    "water": N_("Nước uống"),
    "stationery": N_("Văn phòng phẩm"),
    "meal": N_("Hỗ trợ tiền ăn học viên"),
    "travel": N_("Hỗ trợ đi lại học viên"),
    "other": N_("Chi khác"),
}
MAX_AMOUNT = 100_000_000_000  # đồng: a hundred billion, far beyond any class (a typing slip)


class ClassCost(db.Model):
    """One line of a class's costs."""

    __tablename__ = "class_costs"
    __table_args__ = (
        UniqueConstraint("class_id", "line", name="uq_class_costs_class_line"),
        CheckConstraint("line IN ('trainer', 'materials', 'hall', 'water', 'stationery', "
                        "'meal', 'travel', 'other')", name="line"),
        CheckConstraint("budget >= 0 AND spent >= 0", name="amounts"),
        CheckConstraint("per_session IS NULL OR per_session >= 0", name="per_session"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(20))
    funding_source_id: Mapped[int | None] = mapped_column(ForeignKey("funding_sources.id"),
                                                          index=True)
    budget: Mapped[int] = mapped_column(BigInteger, default=0)
    spent: Mapped[int] = mapped_column(BigInteger, default=0)
    # The trainers' line: the fee per session (budget and spending follow the sessions).
    per_session: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    funding_source = relationship("FundingSource", lazy="joined")

    def __repr__(self) -> str:
        return f"<ClassCost {self.class_id}/{self.line}>"
