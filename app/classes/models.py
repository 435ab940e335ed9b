"""Classes (lớp tập huấn), their sessions, trainers, invited units and applications."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.classes import start_triggers
from app.classes import status as st
from app.classes.allocation import POLICY_FIELDS, Policy
from app.core import written
from app.extensions import db
from app.i18n_markers import N_
from app.timeutil import utcnow
from app.vietnamese import fold

if TYPE_CHECKING:
    from app.people.models import Position

PARTS = ("morning", "afternoon")
PART_LABELS = {"morning": N_("Sáng"), "afternoon": N_("Chiều")}
DEFAULT_TIMES = {"morning": (time(7, 30), time(11, 0)), "afternoon": (time(13, 30), time(17, 0))}
APPLICATION_STATUSES = ("applied", "admitted", "waitlisted", "withdrawn", "rejected")
APPLICATION_LABELS = {
    "applied": N_("Đã đăng ký"),
    "admitted": N_("Được triệu tập"),
    "waitlisted": N_("Danh sách chờ"),
    "withdrawn": N_("Đã rút"),
    "rejected": N_("Không đủ điều kiện"),
}
# Applications still in the running for a seat (or holding one).
ACTIVE_APPLICATIONS = ("applied", "admitted", "waitlisted")
APPLICATION_BADGES = {"applied": "secondary", "admitted": "success", "waitlisted": "warning",
                      "withdrawn": "light", "rejected": "danger"}
SOURCES = ("self", "nominated", "imported")
SOURCE_LABELS = {"self": N_("Tự đăng ký"), "nominated": N_("Được đề cử"),
                 "imported": N_("Nhập từ tệp")}

class_trainers = Table(
    "class_trainers",
    db.metadata,
    Column("class_id", ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # The class's start date, kept by the database's triggers (never set by the code:
    # app/classes/start_triggers.py): a trainer's classes in their order from the index alone.
    Column("starts_on", Date),
    Index("ix_class_trainers_user_starts", "user_id", "starts_on", "class_id"),
)

class_units = Table(
    "class_units",
    db.metadata,
    Column("class_id", ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


class TrainingClass(db.Model):
    """One offering of a course: place, dates, sessions, seats, trainers, invited units."""

    __tablename__ = "classes"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("admitted_count >= 0 AND admitted_count <= capacity",
                        name="admitted_count"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint("apply_until IS NULL OR apply_from IS NULL OR apply_until >= apply_from",
                        name="apply_window"),
        CheckConstraint("status IN ('planned', 'open', 'allocated', 'running', 'finished', "
                        "'cancelled')", name="status"),
        CheckConstraint("min_attendance_pct BETWEEN 0 AND 100", name="min_attendance_pct"),
        CheckConstraint("daily_rate >= 0", name="daily_rate"),
        CheckConstraint("min_women_share >= 0 AND min_women_share <= 1", name="min_women_share"),
        CheckConstraint("max_per_unit IS NULL OR max_per_unit >= 1", name="max_per_unit"),
        CheckConstraint("weight_woman >= 0 AND weight_village_leader >= 0 "
                        "AND weight_not_trained >= 0", name="weights"),
        CheckConstraint("weight_ethnic_minority >= 0", name="weight_ethnic_minority"),
        CheckConstraint("min_per_village >= 0 AND (max_per_village IS NULL OR "
                        "(max_per_village >= 1 AND min_per_village <= max_per_village))",
                        name="village_quota"),
        Index("ix_classes_status_start", "status", "start_date"),
        # The class list's order (the latest first) read from an index, not sorted (0030).
        Index("ix_classes_start_date_id", "start_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    place: Mapped[str] = mapped_column(String(200))
    search_text: Mapped[str] = mapped_column(String(450), default="")  # folded code, title, place
    start_date: Mapped[date]
    end_date: Mapped[date]
    capacity: Mapped[int]
    admitted_count: Mapped[int] = mapped_column(default=0)  # kept under the class row lock
    status: Mapped[str] = mapped_column(String(10), default="planned")
    apply_from: Mapped[date | None]
    apply_until: Mapped[date | None]  # last day applications are taken (inclusive)
    description: Mapped[str] = mapped_column(Text, default="")
    # Completion rule (used by the certificates issue).
    min_attendance_pct: Mapped[int] = mapped_column(default=80)
    quiz_required: Mapped[bool] = mapped_column(default=False)
    # Allowance (used by the attendance issue): integer đồng per day attended.
    daily_rate: Mapped[int] = mapped_column(default=0)
    # The priority policy (allocation.Policy): read and written only as `policy`; the
    # defaults are Policy()'s, the required roles a row per position code.
    min_women_share: Mapped[float] = mapped_column(Float, default=0.5)
    max_per_unit: Mapped[int | None]
    weight_woman: Mapped[float] = mapped_column(Float, default=0.0)
    weight_village_leader: Mapped[float] = mapped_column(Float, default=2.0)
    weight_not_trained: Mapped[float] = mapped_column(Float, default=1.0)
    weight_ethnic_minority: Mapped[float] = mapped_column(Float, default=0.0)
    min_per_village: Mapped[int] = mapped_column(default=0)
    max_per_village: Mapped[int | None]
    required_roles: Mapped[list[ClassRequiredPosition]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True,
        order_by="ClassRequiredPosition.position_code")
    allocated_at: Mapped[datetime | None]
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # The convening document (papers): the decision, summons or invitation that convenes the
    # class, of which the admitted list is the annex (app/classes/papers.py). Its number
    # ("15/QĐ-UBND") and date are written in once the clerk has issued it; blank until then.
    convene_kind: Mapped[str] = mapped_column(
        String(10), CheckConstraint("convene_kind IN ('decision', 'summons', 'invitation')",
                                    name="convene_kind"), default="decision")
    convene_number: Mapped[str | None] = mapped_column(String(40))
    convene_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The program it belongs to (app/programs): entries valid on the class's dates, checked by
    # app/classes/program_fields.py; NULL when not recorded.
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("program_components.id"),
                                                     index=True)
    activity_type_id: Mapped[int | None] = mapped_column(ForeignKey("activity_types.id"),
                                                         index=True)
    funding_source_id: Mapped[int | None] = mapped_column(ForeignKey("funding_sources.id"),
                                                          index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    program = relationship("Program")
    component = relationship("Component")
    activity_type = relationship("ActivityType")
    funding_source = relationship("FundingSource")
    plan = relationship("Plan")

    course = relationship("Course")
    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="training_class", cascade="all, delete-orphan",
        order_by=lambda: (ClassSession.date, ClassSession.part.desc()))  # morning first
    trainers = relationship("User", secondary=class_trainers,
                            order_by="User.full_name")
    invited_units = relationship("Unit", secondary=class_units,
                                 order_by="Unit.name")
    applications: Mapped[list[Application]] = relationship(
        back_populates="training_class", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def status_label(self) -> str:
        return st.STATUS_LABELS.get(self.status, self.status)

    @property
    def status_badge(self) -> str:
        return st.STATUS_BADGES.get(self.status, "secondary")

    # --- the life-cycle rules, as predicates (app/classes/status.py holds the sets) ---------
    # Hybrids work in Python and in SQL: `klass.is_closed`, `select(...).where(~TrainingClass
    # .is_closed)`.

    @hybrid_property
    def is_closed(self) -> bool:
        """Finished or cancelled: nothing about the class changes any more."""
        return self.status in st.CLOSED

    @is_closed.inplace.expression
    @classmethod
    def _is_closed(cls):
        return cls.status.in_(written.words(st.CLOSED))

    @hybrid_property
    def is_cancelled(self) -> bool:
        """Cancelled: nobody attends it, its days are free again."""
        return self.status in st.CANCELLED

    @is_cancelled.inplace.expression
    @classmethod
    def _is_cancelled(cls):
        return cls.status.in_(written.words(st.CANCELLED))

    @hybrid_property
    def has_started(self) -> bool:
        """Running or finished: its admitted learners count as trained on its topic."""
        return self.status in st.STARTED

    @has_started.inplace.expression
    @classmethod
    def _has_started(cls):
        return cls.status.in_(written.words(st.STARTED))

    @property
    def issues_certificates(self) -> bool:
        """Finished: its results are final and certificates may be issued."""
        return self.status in st.ISSUES_CERTIFICATES

    @property
    def has_seats(self) -> bool:
        """The allocation has been confirmed: seats are given out."""
        return self.status in st.HAS_SEATS

    @property
    def before_allocation(self) -> bool:
        """Planned or open: applications wait for the allocation (the preview shows it)."""
        return self.status in st.BEFORE_ALLOCATION

    @property
    def takes_nominations(self) -> bool:
        """Coordinators nominate until the class starts (after the allocation, to the end of
        the waitlist)."""
        return self.status in st.ENROLLING

    @property
    def takes_withdrawals(self) -> bool:
        """Applications can be withdrawn until the class starts."""
        return self.status in st.ENROLLING

    @property
    def takes_overrides(self) -> bool:
        """A coordinator may move people between the seats and the waitlist."""
        return self.status in st.TAKES_OVERRIDES

    @property
    def fills_from_waitlist(self) -> bool:
        """Allocated and not started: a freed or added seat goes to the waitlist, and a late
        application joins its end."""
        return self.status == "allocated"

    def in_apply_window(self, today: date) -> bool:
        """Today lies within the application window (open ends count as open)."""
        return not (self.apply_from and today < self.apply_from) and \
            not (self.apply_until and today > self.apply_until)

    def takes_applications(self, today: date) -> bool:
        """Whether learners are offered "apply": an open class (outside its window the
        refusal says why), or an allocated one whose window is still open."""
        if self.status not in st.TAKES_APPLICATIONS:
            return False
        return self.status == "open" or self.in_apply_window(today)

    def waits_for_allocation(self, today: date) -> bool:
        """Open, and its application window has closed: the coordinator should allocate."""
        return self.status == "open" and self.apply_until is not None \
            and self.apply_until < today

    @property
    def free_seats(self) -> int:
        return max(self.capacity - self.admitted_count, 0)

    @property
    def topic(self) -> str | None:
        return self.course.main_topic if self.course is not None else None

    @property
    def required_positions(self) -> list[str]:
        """The codes of the positions the class requires (đối tượng bắt buộc), sorted."""
        return sorted(r.position_code for r in self.required_roles)

    @required_positions.setter
    def required_positions(self, codes) -> None:
        wanted = set(codes or ())
        self.required_roles = [r for r in self.required_roles if r.position_code in wanted] + [
            ClassRequiredPosition(position_code=c)
            for c in sorted(wanted - {r.position_code for r in self.required_roles})]

    @property
    def policy(self) -> Policy:
        """The class's priority policy (its policy columns and required roles)."""
        return Policy.from_dict({name: getattr(self, name) for name in POLICY_FIELDS})

    @policy.setter
    def policy(self, policy: Policy) -> None:
        for name, value in policy.as_dict().items():
            setattr(self, name, value)

    def policy_percent(self) -> int:
        return round(self.min_women_share * 100)

    def has_trainer(self, user) -> bool:
        return any(t.id == getattr(user, "id", None) for t in self.trainers)

    def __repr__(self) -> str:
        return f"<TrainingClass {self.code}>"


class ClassRequiredPosition(db.Model):
    """A position the class requires (đối tượng bắt buộc): its holders are admitted first."""

    __tablename__ = "class_required_positions"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"),
                                          primary_key=True)
    position_code: Mapped[str] = mapped_column(
        String(30), ForeignKey("positions.code", onupdate="CASCADE"), primary_key=True,
        index=True)
    position: Mapped[Position] = relationship(viewonly=True)


class ClassSession(db.Model):
    """A half-day of a class: date, morning or afternoon, optional times and place."""

    __tablename__ = "class_sessions"
    __table_args__ = (
        UniqueConstraint("class_id", "date", "part", name="class_date_part"),
        CheckConstraint("part IN ('morning', 'afternoon')", name="part"),
        CheckConstraint("starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at",
                        name="times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"),
                                          index=True)
    date: Mapped[dt.date]
    part: Mapped[str] = mapped_column(String(10))
    starts_at: Mapped[time | None]
    ends_at: Mapped[time | None]
    place: Mapped[str | None] = mapped_column(String(200))  # None: the class's place

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")

    @property
    def part_label(self) -> str:
        return PART_LABELS.get(self.part, self.part)

    @property
    def times_text(self) -> str:
        if self.starts_at and self.ends_at:
            return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
        if self.starts_at:
            return _("từ %(t)s", t=f"{self.starts_at:%H:%M}")
        return ""


class Application(db.Model):
    """A cadre applying or nominated for a class, and how it ended, with the reasons."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("class_id", "cadre_id", name="class_cadre"),
        CheckConstraint("status IN ('applied', 'admitted', 'waitlisted', 'withdrawn', "
                        "'rejected')", name="status"),
        CheckConstraint("source IN ('self', 'nominated', 'imported')", name="source"),
        CheckConstraint("(status = 'waitlisted') = (waitlist_rank IS NOT NULL)",
                        name="waitlist_rank"),
        CheckConstraint("waitlist_rank IS NULL OR waitlist_rank >= 1", name="waitlist_rank_min"),
        Index("ix_applications_class_status", "class_id", "status"),
        # A cadre's applications in their classes' order (the latest first), with their
        # classes' ids, from the index alone: the learner's class list and home page read a
        # page and stop there (migration 0033; it extends 0032's (cadre_id, class_id)).
        Index("ix_applications_cadre_starts", "cadre_id", "starts_on", "class_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadres.id"))
    status: Mapped[str] = mapped_column(String(10), default="applied")
    waitlist_rank: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(10), default="self")
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list | None] = mapped_column(JSON)  # Vietnamese lines, latest decision
    note: Mapped[str | None] = mapped_column(Text)  # withdrawal or rejection reason
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    # The class's start date, kept by the database's triggers whatever writes (never set by
    # the code: app/classes/start_triggers.py), for the index above.
    starts_on: Mapped[date | None]

    training_class: Mapped[TrainingClass] = relationship(back_populates="applications")
    cadre = relationship("Cadre")

    @property
    def status_label(self) -> str:
        return APPLICATION_LABELS.get(self.status, self.status)

    @property
    def status_badge(self) -> str:
        return APPLICATION_BADGES.get(self.status, "secondary")

    @property
    def is_active(self) -> bool:
        """Applied, admitted or waitlisted: not withdrawn or rejected."""
        return self.status in ACTIVE_APPLICATIONS

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def __repr__(self) -> str:
        return f"<Application {self.class_id}/{self.cadre_id} {self.status}>"


@event.listens_for(TrainingClass, "before_insert")
@event.listens_for(TrainingClass, "before_update")
def _fold_search_text(_mapper, _connection, klass: TrainingClass) -> None:
    """Keep the folded search text ("son ha" finds "Sơn Hà") in step with the class."""
    klass.search_text = fold(f"{klass.code} {klass.title} {klass.place}")[:450]


# The triggers that keep `Application.starts_on` (app/classes/start_triggers.py), when the
# tables are made by `create_all`; migration 0033 makes the same.
event.listen(db.metadata, "after_create", start_triggers.create_after_tables)
event.listen(db.metadata, "after_drop", start_triggers.drop_functions)
