"""Attendance (điểm danh): one mark per admitted learner per session, and the scans or photos
of the signed sheets kept as evidence of a session.

A mark belongs to the learner's Application (the admitted application is who sits in the
class; it is unique per class and cadre) and to one session of that class. Neither a session
nor an application that carries marks can be deleted: the foreign keys do not cascade, and
`_keep_marked_sessions` below refuses the deletion of a marked session with a message before
the database would.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.classes.models import ClassSession
from app.core.refusal import Refusal
from app.extensions import db
from app.i18n_markers import N_
from app.timeutil import utcnow

STATUSES = ("present", "late", "excused", "absent")
STATUS_LABELS = {
    "present": N_("Có mặt"),
    "late": N_("Đi muộn"),
    "excused": N_("Vắng có phép"),
    "absent": N_("Vắng không phép"),
}
# The short labels on the marking buttons (a 360-px phone holds four in a row).
STATUS_SHORT = {
    "present": N_("Có mặt"),
    "late": N_("Muộn"),
    "excused": N_("Có phép"),
    "absent": N_("Vắng"),
}
# Bootstrap colours of the buttons and badges: each keeps its text readable on white in an
# outline button (yellow and cyan would not, in a commune hall's daylight).
STATUS_BADGES = {"present": "success", "late": "dark", "excused": "primary",
                 "absent": "danger"}
NOTE_MAX = 200
EVIDENCE_KINDS = ("pdf", "jpg", "png")


class AttendanceMark(db.Model):
    """A learner's attendance at one session: present, late, excused or absent, with an
    optional note, and who changed it last and when."""

    __tablename__ = "attendance_marks"
    __table_args__ = (
        UniqueConstraint("session_id", "application_id", name="session_application"),
        CheckConstraint("status IN ('present', 'late', 'excused', 'absent')", name="status"),
        # A learner's marks, and the reports' pass over them read from the index alone
        # (app/reports/cells.py): application, then session and status.
        Index("ix_attendance_marks_application_session", "application_id", "session_id",
              "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)  # last change
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                ondelete="SET NULL"))
    # The operations whose status and note the mark shows (`ops.py`: the latest of each wins);
    # None for a mark saved before operations existed.
    status_op_id: Mapped[int | None] = mapped_column(ForeignKey("attendance_ops.id"))
    note_op_id: Mapped[int | None] = mapped_column(ForeignKey("attendance_ops.id"))

    marked_by = relationship("User")
    status_op = relationship("AttendanceOp", foreign_keys=[status_op_id])
    note_op = relationship("AttendanceOp", foreign_keys=[note_op_id])

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "secondary")

    def __repr__(self) -> str:
        return f"<AttendanceMark {self.session_id}/{self.application_id} {self.status}>"


# The statuses as bits of a set (`AttendanceSummary.days_<set>`): present 1, late 2, excused 4,
# absent 8.
STATUS_BITS = {status: 1 << i for i, status in enumerate(STATUSES)}
STATUS_SETS = range(1, 1 << len(STATUSES))  # every non-empty set of statuses


def status_set(statuses) -> int:
    """The bits of a set of statuses ({"present", "late"} is 3)."""
    return sum(STATUS_BITS[s] for s in set(statuses))


class AttendanceSummary(db.Model):
    """One learner's marks in one class, counted (one row per application that has marks),
    kept by `summary.py` in the flush that writes the marks, so the reports read
    one row a learner instead of one a session (`app/reports/cells.py`).

    Counts that no setting changes: the sessions marked with each status, and for every
    non-empty set of statuses (its bits, `STATUS_BITS`) the dates on which at least one mark
    has a status of that set (`days_3`: dates with a present or late mark). Completion
    (`completion.py`) and the allowance's paid days (the settings' paid statuses) are computed
    from these with the class's and the organisation's current settings."""

    __tablename__ = "attendance_summaries"
    __table_args__ = (Index("ix_attendance_summaries_class", "class_id"),)

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"),
                                                primary_key=True, autoincrement=False)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"))
    present: Mapped[int] = mapped_column(default=0, server_default="0")
    late: Mapped[int] = mapped_column(default=0, server_default="0")
    excused: Mapped[int] = mapped_column(default=0, server_default="0")
    absent: Mapped[int] = mapped_column(default=0, server_default="0")
    days_1: Mapped[int] = mapped_column(default=0, server_default="0")  # present
    days_2: Mapped[int] = mapped_column(default=0, server_default="0")  # late
    days_3: Mapped[int] = mapped_column(default=0, server_default="0")  # present/late
    days_4: Mapped[int] = mapped_column(default=0, server_default="0")  # excused
    days_5: Mapped[int] = mapped_column(default=0, server_default="0")  # present/excused
    days_6: Mapped[int] = mapped_column(default=0, server_default="0")  # late/excused
    days_7: Mapped[int] = mapped_column(default=0, server_default="0")  # present/late/excused
    days_8: Mapped[int] = mapped_column(default=0, server_default="0")  # absent
    days_9: Mapped[int] = mapped_column(default=0, server_default="0")  # present/absent
    days_10: Mapped[int] = mapped_column(default=0, server_default="0")  # late/absent
    days_11: Mapped[int] = mapped_column(default=0, server_default="0")  # present/late/absent
    days_12: Mapped[int] = mapped_column(default=0, server_default="0")  # excused/absent
    days_13: Mapped[int] = mapped_column(default=0, server_default="0")  # present/excused/absent
    days_14: Mapped[int] = mapped_column(default=0, server_default="0")  # late/excused/absent
    days_15: Mapped[int] = mapped_column(default=0, server_default="0")  # any mark

    @classmethod
    def days(cls, statuses) -> object:
        """The column of the dates with a mark of these statuses (none: 0)."""
        bits = status_set(statuses)
        return getattr(cls, f"days_{bits}") if bits else literal(0)

    def __repr__(self) -> str:
        return f"<AttendanceSummary {self.application_id} {self.present}/{self.late}/" \
               f"{self.excused}/{self.absent}>"


OP_SOURCES = ("phone", "form", "photo")
# An operation's first outcome, kept for its duplicates: applied (it decided the status or the
# note), superseded (a later one had decided both already), pending (held for a coordinator).
OP_OUTCOMES = ("applied", "superseded", "pending")
OP_DECISIONS = ("approved", "declined")


class AttendanceOp(db.Model):
    """One change of a mark, with an id made where it was taken (a phone, a form page, a photo
    of a signed sheet): who took it, when (as sent and corrected for the device's clock), the
    status and the note (None: left as it was), and the operation whose mark its taker saw.
    Kept for good, winning or losing (`ops.py` holds the rules)."""

    __tablename__ = "attendance_ops"
    __table_args__ = (
        UniqueConstraint("op_id"),
        CheckConstraint("status IS NULL OR status IN ('present', 'late', 'excused', 'absent')",
                        name="status"),
        CheckConstraint("status IS NOT NULL OR note IS NOT NULL", name="changes_something"),
        CheckConstraint("source IN ('phone', 'form', 'photo')", name="source"),
        CheckConstraint("outcome IN ('applied', 'superseded', 'pending')", name="outcome"),
        CheckConstraint("decision IS NULL OR decision IN ('approved', 'declined')",
                        name="decision"),
        Index("ix_attendance_ops_session_application", "session_id", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    op_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    status: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    taken_at: Mapped[datetime]  # as the device's clock said (UTC)
    effective_at: Mapped[datetime]  # corrected by the batch's clock skew; orders the ops
    received_at: Mapped[datetime]
    base_op_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10))
    client_id: Mapped[str | None] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(10))
    counted: Mapped[bool] = mapped_column(default=False)  # takes part in the marks
    hold_reason: Mapped[str | None] = mapped_column(String(300))  # why it waits (pending)
    decision: Mapped[str | None] = mapped_column(String(10))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    application = relationship("Application")
    session = relationship("ClassSession")

    @property
    def key(self) -> tuple[datetime, str]:
        """The order of operations: the corrected time taken, then the op id."""
        return (self.effective_at, self.op_id)

    def __repr__(self) -> str:
        return f"<AttendanceOp {self.op_id} {self.status} {self.outcome}>"


class AttendanceEvidence(db.Model):
    """A scan or photo (PDF, JPG, PNG) of a signed sheet, attached to a session. The file is
    stored under UPLOAD_DIR/attendance with a generated name (`evidence.py`)."""

    __tablename__ = "attendance_evidence"
    __table_args__ = (
        CheckConstraint("kind IN ('pdf', 'jpg', 'png')", name="kind"),
        CheckConstraint("size > 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(4))
    mime_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(40), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))

    session = relationship("ClassSession")
    uploaded_by = relationship("User")

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpg", "png")

    def __repr__(self) -> str:
        return f"<AttendanceEvidence {self.session_id} {self.original_name}>"


@event.listens_for(ClassSession, "before_delete")
def _keep_marked_sessions(_mapper, connection, session: ClassSession) -> None:
    """A session with marks or evidence is not deleted: refused with the reason (the foreign
    keys would refuse it too, without one)."""
    marks = connection.scalar(select(func.count()).select_from(AttendanceMark.__table__)
                              .where(AttendanceMark.session_id == session.id))
    files = connection.scalar(select(func.count()).select_from(AttendanceEvidence.__table__)
                              .where(AttendanceEvidence.session_id == session.id))
    if marks or files:
        raise MarkedSession(_("Buổi học này đã có điểm danh (%(marks)s học viên, %(files)s bản "
                              "quét danh sách ký) nên không xóa được.", marks=marks,
                              files=files))


class MarkedSession(Refusal):
    """Deleting a session that has attendance."""


# --------------------------------------------------------------------------- allowance settings

LEVELS = ("province", "district", "commune")
LEVEL_LABELS = {"province": N_("Cấp tỉnh"), "district": N_("Cấp huyện (trước 01/07/2025)"),
                "commune": N_("Cấp xã")}
# The meal support per day of Thông tư 40/2017/TT-BTC, Điều 12 khoản 4, as the defaults by who
# organises the class (docs/PAPERS.md says how the circular words them); a province's own
# resolution is entered as a dated `MealRate`.
DEFAULT_MEAL_RATES = {"province": 200_000, "district": 150_000, "commune": 100_000}
DEFAULT_BASIS = "Thông tư 40/2017/TT-BTC"
DEFAULT_PAID = ("present", "late")
SHEET_TITLE = "DANH SÁCH HỌC VIÊN KÝ NHẬN THAM DỰ LỚP TẬP HUẤN"


class AllowanceSetting(db.Model):
    """The attendance papers' settings (one row, id = 1): which marks count as a paid day
    ("present,late" by default), and the sign-in sheet's title."""

    __tablename__ = "allowance_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    paid_statuses: Mapped[str] = mapped_column(String(40), default=",".join(DEFAULT_PAID))
    sheet_title: Mapped[str] = mapped_column(String(200), default=SHEET_TITLE)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    @property
    def paid(self) -> frozenset[str]:
        return frozenset(s for s in (self.paid_statuses or "").split(",") if s in STATUSES)


class MealRate(db.Model):
    """The meal support per day for attendees not on the state payroll, by the level of who
    organises the class, from a date on (a province's resolution: "Nghị quyết số
    .../NQ-HĐND"). The class takes the rate valid on its first day (copied onto it)."""

    __tablename__ = "meal_rates"
    __table_args__ = (
        UniqueConstraint("level", "valid_from", name="level_valid_from"),
        CheckConstraint("level IN ('province', 'district', 'commune')", name="level"),
        CheckConstraint("amount >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(10))
    valid_from: Mapped[date]
    amount: Mapped[int]
    basis: Mapped[str] = mapped_column(String(200), default="")


class TravelRate(db.Model):
    """Travel support per attendee by commune of residence (integer đồng, per class)."""

    __tablename__ = "travel_rates"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount"),)

    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    amount: Mapped[int]

    commune = relationship("Unit")


class TravelAmount(db.Model):
    """Travel support typed for one attendee of one class (overrides the commune's)."""

    __tablename__ = "travel_amounts"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount"),)

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id",
                                                           ondelete="CASCADE"),
                                                primary_key=True)
    amount: Mapped[int]
