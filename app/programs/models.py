"""Programs and what a class is recorded under: program, component, activity type, funding
source, plan. Every entry is data an admin (plans: a coordinator) maintains, with the dates it
is valid on and an `active` flag ("retired" entries stay on the classes that have them but are
no longer offered). Nothing in the code names one program: `flask setup` loads the programs as
rows (app/programs/reference.py)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.i18n_markers import N_
from app.vietnamese import format_date

VALIDITY_CHECK = "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from"


class Validity:
    """The period an entry is valid on: `valid_from` and `valid_to` (its last valid day), either
    open (None). Shared by every model of this feature."""

    valid_from: Mapped[date | None] = mapped_column()
    valid_to: Mapped[date | None] = mapped_column()  # the last valid day
    active: Mapped[bool] = mapped_column(default=True)

    # A capitalised label of the kind, for messages ("Nguồn kinh phí “…” …"); set by each model.
    KIND_LABEL = ""

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)

    def covers(self, start: date, end: date) -> bool:
        """Valid on every day from `start` to `end`."""
        return self.is_valid_on(start) and self.is_valid_on(end)

    @property
    def validity_text(self) -> str:
        if self.valid_from and self.valid_to:
            return f"{format_date(self.valid_from)} – {format_date(self.valid_to)}"
        if self.valid_to:
            return _("đến %(date)s", date=format_date(self.valid_to))
        if self.valid_from:
            return _("từ %(date)s", date=format_date(self.valid_from))
        return _("không giới hạn")

    @property
    def kind_label(self) -> str:
        return _(self.KIND_LABEL)

    @property
    def label(self) -> str:
        """The entry's name as messages and the class page quote it."""
        return getattr(self, "name", "")

    @property
    def choice_label(self) -> str:
        """The entry as the class form offers it."""
        return self.label


class Program(Validity, db.Model):
    """A national target program (or any program a class may belong to)."""

    __tablename__ = "programs"
    __table_args__ = (CheckConstraint(VALIDITY_CHECK, name="validity"),)
    KIND_LABEL = N_("Chương trình")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)  # stable key for `flask setup`
    name: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str] = mapped_column(String(120), unique=True)
    legal_basis: Mapped[str] = mapped_column(String(300), default="")

    components: Mapped[list[Component]] = relationship(
        back_populates="program", order_by="Component.code")

    @property
    def label(self) -> str:
        return self.short_name

    @property
    def choice_label(self) -> str:
        return f"{self.short_name} ({self.validity_text})"

    def __repr__(self) -> str:
        return f"<Program {self.code}>"


class Component(Validity, db.Model):
    """A part of a program (dự án, tiểu dự án, nội dung thành phần), e.g. "Dự án 7 / Tiểu dự
    án 1". Its own dates, when given, lie within its program's."""

    __tablename__ = "program_components"
    __table_args__ = (
        UniqueConstraint("program_id", "code", name="uq_program_components_program_code"),
        CheckConstraint(VALIDITY_CHECK, name="validity"),
    )
    KIND_LABEL = N_("Hợp phần")

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    code: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(300))

    program: Mapped[Program] = relationship(back_populates="components")

    @property
    def label(self) -> str:
        return self.code

    @property
    def choice_label(self) -> str:
        return f"{self.code} – {self.name} · {self.program.short_name}"

    def __repr__(self) -> str:
        return f"<Component {self.code}>"


class ActivityType(Validity, db.Model):
    """What kind of activity a class is: a training course, a study visit, a workshop."""

    __tablename__ = "activity_types"
    __table_args__ = (CheckConstraint(VALIDITY_CHECK, name="validity"),)
    KIND_LABEL = N_("Loại hoạt động")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class FundingSource(Validity, db.Model):
    """Where a class's money comes from: central budget, local counterpart, integration..."""

    __tablename__ = "funding_sources"
    __table_args__ = (CheckConstraint(VALIDITY_CHECK, name="validity"),)
    KIND_LABEL = N_("Nguồn kinh phí")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Plan(Validity, db.Model):
    """A plan a class belongs to, e.g. Kế hoạch số 48/KH-UBND ngày 12/3/2024 of UBND huyện Sơn
    Hà, valid for the year it plans."""

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("number", "issued_on", "issuer", name="uq_plans_number_date_issuer"),
        CheckConstraint(VALIDITY_CHECK, name="validity"),
    )
    KIND_LABEL = N_("Kế hoạch")

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60))  # "48/KH-UBND"
    issued_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(500))  # what the plan is about
    issuer: Mapped[str] = mapped_column(String(200))  # "UBND huyện Sơn Hà"
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)

    program: Mapped[Program | None] = relationship()

    @property
    def label(self) -> str:
        """"48/KH-UBND ngày 12/03/2024": how messages and the class page name the plan."""
        return _("%(number)s ngày %(date)s", number=self.number,
                 date=format_date(self.issued_on))

    @property
    def choice_label(self) -> str:
        return f"{self.label} – {self.issuer}: {self.title}"

    def __repr__(self) -> str:
        return f"<Plan {self.number} {self.issued_on}>"


# What a class records, by the name of its column: the form fields and ClassData use the same
# names (app/classes/program_fields.py).
CHOICE_MODELS: dict[str, type[Validity]] = {
    "program_id": Program,
    "component_id": Component,
    "activity_type_id": ActivityType,
    "funding_source_id": FundingSource,
    "plan_id": Plan,
}
