"""Administrative units, positions and cadres (the people who are trained)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import DDL, CheckConstraint, ForeignKey, Index, String, event, text
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, validates

from app.core.refusal import explain_unique
from app.core.sortkey import SortKey
from app.extensions import db
from app.i18n_markers import N_
from app.people import count_triggers, search_index
from app.people.ethnicities import by_code
from app.timeutil import local_today, utcnow
from app.vietnamese import fold, format_date, name_sort_key, nfc

UNIT_KINDS = ("province", "district", "commune", "village")
UNIT_KIND_LABELS = {"province": N_("Tỉnh"), "district": N_("Huyện"), "commune": N_("Xã"),
                    "village": N_("Thôn")}
# Where a cadre works, as their position says. The district level ended on 30/06/2025: kept for
# the records of before; provincial officials are "province".
LEVELS = ("village", "commune", "province", "district")
LEVEL_LABELS = {"village": N_("Cấp thôn"), "commune": N_("Cấp xã"),
                "province": N_("Cấp tỉnh"), "district": N_("Cấp huyện")}
LEVEL_CHECK = "level IN ('village', 'commune', 'province', 'district')"
GENDER_LABELS = {"F": N_("Nữ"), "M": N_("Nam")}



def unit_name_key(name: str | None) -> str:
    """What makes two unit names the same: NFC, case and spaces ignored (tones are not:
    "Làng Rê" and "Làng Re" are two names)."""
    return " ".join(nfc(name).casefold().split())[:120]


def unit_title(category: str, name: str) -> str:
    """A unit's name with its category: "xã Sơn Ba", "thôn Làng Rê" (`Unit.title`, and the
    lists that read units as plain rows)."""
    return f"{category} {name}"


def capitalised(text: str) -> str:
    """The first letter made a capital, the rest kept: "Thôn Làng Rê" (`Unit.title_cap`)."""
    return text[:1].upper() + text[1:]


class Unit(db.Model):
    """A province, district, commune or village, valid for a period, possibly merged."""

    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint("kind IN ('province', 'district', 'commune', 'village')", name="kind"),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
                        name="validity"),
        CheckConstraint("successor_id IS NULL OR successor_id <> id", name="successor"),
        # Two villages of one name in one commune could not be told apart (by an import, by
        # a person): one name per commune, case and spaces ignored (`unit_name_key`).
        Index("uq_units_village_name", "parent_id", "name_key", unique=True,
              sqlite_where=text("kind = 'village'"),
              postgresql_where=text("kind = 'village'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))  # unit_name_key(name), set with the name
    kind: Mapped[str] = mapped_column(String(10), index=True)
    category: Mapped[str] = mapped_column(String(20))  # "xã", "thị trấn", "thôn", "bản"...
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]  # last day of validity
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)

    parent: Mapped[Unit | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list[Unit]] = relationship(
        foreign_keys=[parent_id], back_populates="parent"
    )
    successor: Mapped[Unit | None] = relationship(
        remote_side=[id], foreign_keys=[successor_id], back_populates="predecessors"
    )
    predecessors: Mapped[list[Unit]] = relationship(
        foreign_keys=[successor_id], back_populates="successor"
    )

    @validates("name")
    def _keep_name_key(self, _key, name: str) -> str:
        self.name_key = unit_name_key(name)
        return name

    @property
    def title(self) -> str:
        """Display name with its category: "xã Sơn Ba", "thôn Làng Rê"."""
        return unit_title(self.category, self.name)

    @property
    def title_cap(self) -> str:
        return capitalised(self.title)

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.is_valid_on(local_today())

    def current(self) -> Unit:
        """The unit that carries this one on today (follows the merger chain)."""
        unit, seen = self, set()
        while unit.successor is not None and unit.id not in seen:
            seen.add(unit.id)
            unit = unit.successor
        return unit

    @property
    def validity_text(self) -> str:
        if self.valid_from and self.valid_to:
            return f"{format_date(self.valid_from)} – {format_date(self.valid_to)}"
        if self.valid_to:
            return _("đến %(date)s", date=format_date(self.valid_to))
        if self.valid_from:
            return _("từ %(date)s", date=format_date(self.valid_from))
        return ""

    def __repr__(self) -> str:
        return f"<Unit {self.kind} {self.name}>"


class Position(db.Model):
    """A controlled list of positions (app/people/reference.py), one office each; village-level
    leaders get priority for seats. A position no longer offered is retired (active False),
    never deleted: the cadres who hold it keep it."""

    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    level: Mapped[str] = mapped_column(String(10), default="village")
    village_leader: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (CheckConstraint(LEVEL_CHECK, name="level"),)

    def __repr__(self) -> str:
        return f"<Position {self.name}>"


class Cadre(db.Model):
    """A person who can be trained."""

    __tablename__ = "cadres"
    __table_args__ = (
        CheckConstraint("gender IN ('F', 'M')", name="gender"),
        CheckConstraint(LEVEL_CHECK, name="level"),
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year"),
        Index("ix_cadres_commune_sort", "commune_id", "sort_key"),
        # The reports' coverage per commune and village (app/reports/coverage.py), read from
        # the index alone and in its order.
        Index("ix_cadres_coverage", "commune_id", "village_id", "active", "created_at",
              "gender"),
        # The cadre search (`name_search LIKE '%…%'`, app/people/queries.py) on PostgreSQL: a
        # trigram index (pg_trgm) serves a substring. On SQLite an FTS5 trigram table does
        # (people/search_index.py). migrations/env.py compares it on PostgreSQL.
        Index("ix_cadres_name_trigram", "name_search", postgresql_using="gin",
              postgresql_ops={"name_search": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    name_search: Mapped[str] = mapped_column(String(120), index=True)
    sort_key: Mapped[str] = mapped_column(SortKey, index=True)
    identity_key: Mapped[str] = mapped_column(String(200), unique=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    birth_year: Mapped[int]
    ethnicity_code: Mapped[str | None] = mapped_column(String(2), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), index=True)
    level: Mapped[str] = mapped_column(String(10), default="village")
    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    # "Hưởng lương từ ngân sách": on the state payroll (no meal support at a class: Thông tư
    # 40/2017/TT-BTC pays it to attendees not on the payroll; app/attendance/allowance.py).
    on_payroll: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    position: Mapped[Position] = relationship()
    commune: Mapped[Unit] = relationship(foreign_keys=[commune_id])
    village: Mapped[Unit | None] = relationship(foreign_keys=[village_id])
    user = relationship("User", backref=db.backref("cadre", uselist=False))

    def set_name(self, full_name: str) -> None:
        self.full_name = nfc(full_name)
        self.name_search = fold(self.full_name)
        self.sort_key = name_sort_key(self.full_name)

    def refresh_identity(self) -> None:
        self.identity_key = identity_key(
            self.full_name, self.birth_date, self.birth_year, self.commune_root_id()
        )

    def commune_root_id(self) -> int:
        commune = self.commune or db.session.get(Unit, self.commune_id)
        return commune.current().id

    @property
    def ethnicity_name(self) -> str:
        eth = by_code(self.ethnicity_code) if self.ethnicity_code else None
        return eth.name if eth else ""

    @property
    def gender_label(self) -> str:
        return GENDER_LABELS.get(self.gender, "")

    @property
    def birth_text(self) -> str:
        return birth_text(self.birth_date, self.birth_year)

    @property
    def is_village_leader(self) -> bool:
        return bool(self.position and self.position.village_leader)

    def __repr__(self) -> str:
        return f"<Cadre {self.full_name}>"


class CadreCount(db.Model):
    """How many cadres are recorded under a commune (as recorded: a former commune keeps its
    own rows; a scope adds up its family), a position, a gender and an active flag. Kept by
    database triggers on `cadres` (app/people/count_triggers.py), so that every path that
    writes cadres, the ORM's and Core's bulk inserts alike, moves them in the same
    transaction; read by the coordinator's home and the cadre list's total
    (app/people/counts.py) instead of counting 100,000 rows. Never written by the app."""

    __tablename__ = "cadre_counts"
    __table_args__ = (CheckConstraint("n >= 0", name="n"),)

    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), primary_key=True)
    gender: Mapped[str] = mapped_column(String(1), primary_key=True)
    active: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


def birth_text(birth_date: date | None, birth_year: int | None) -> str:
    """A birth as recorded: the date ("12/03/1985"), else the year alone."""
    return format_date(birth_date) if birth_date else str(birth_year)


def cadre_facts(path=None) -> tuple:
    """Loader options for what a line about a cadre shows (position, commune, village), joined
    in the same query. Relationships load lazily by default; a page that shows these asks for
    them. `path`: the relationship that reaches the cadre (`joinedload(Application.cadre)`)."""
    if path is None:
        return (joinedload(Cadre.position), joinedload(Cadre.commune),
                joinedload(Cadre.village))
    return (path.joinedload(Cadre.position), path.joinedload(Cadre.commune),
            path.joinedload(Cadre.village))


def identity_key(full_name: str, birth_date: date | None, birth_year: int,
                 commune_root_id: int) -> str:
    """Same normalised name, birth date (or year) and commune (after mergers): same person.

    The name part is the Vietnamese sort key: case-, NFC/NFD- and tone-placement-independent
    ("Hoà" and "Hòa" are the same name)."""
    born = birth_date.isoformat() if birth_date else str(birth_year)
    return f"{name_sort_key(full_name)}|{born}|{commune_root_id}"


def split_identity_key(key: str) -> tuple[str, str, str]:
    """identity_key -> (name key, birth "yyyy" or "yyyy-mm-dd", commune root id)."""
    name, born, root = key.rsplit("|", 2)
    return name, born, root


def same_person_by_year(key: str, stored_key: str) -> bool:
    """Same name and commune, the year in one key and a date of that year in the other
    (village lists often give only the year): the same person, unless several qualify."""
    name, born, root = split_identity_key(key)
    stored_name, stored_born, stored_root = split_identity_key(stored_key)
    if (name, root) != (stored_name, stored_root):
        return False
    if len(born) == 4:
        return len(stored_born) == 10 and stored_born.startswith(born + "-")
    return len(stored_born) == 4 and born.startswith(stored_born + "-")


# What a taken key means (app/core/refusal.py): a double tap, or two coordinators at once.
explain_unique("uq_cadres_identity_key", _l(
    "Cán bộ cùng họ tên, ngày sinh và xã vừa được ghi nhận (có thể do bấm gửi hai lần hoặc có "
    "người khác vừa thêm); không thêm lần nữa. Hãy tìm cán bộ đó trong danh sách."), "full_name")
explain_unique("uq_cadres_user_id", _l(
    "Tài khoản này vừa được gắn với một cán bộ khác; không gắn thêm lần nữa."), "username")
explain_unique("uq_units_village_name", _l(
    "Xã vừa có thôn/bản tên này (có thể do bấm gửi hai lần hoặc có người khác vừa thêm); "
    "không thêm lần nữa. Hai thôn/bản của một xã phải khác tên."), "name")
explain_unique("uq_units_code", _l(
    "Mã đơn vị này vừa được dùng (có thể do bấm gửi hai lần hoặc có người khác vừa thêm); "
    "hãy tải lại trang và kiểm tra trước khi thêm lại."), "code")


# pg_trgm for `ix_cadres_name_trigram`, when the tables are made without the migrations (tests,
# benchmarks); migration 0027 creates it otherwise.
event.listen(db.metadata, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))

# The counters' triggers, when the tables are made without the migrations (tests, benchmarks);
# migration 0029 creates them otherwise.
event.listen(db.metadata, "after_create", count_triggers.create_after_tables)
event.listen(db.metadata, "after_drop", count_triggers.drop_function)

# The cadre search's FTS5 index and its triggers on SQLite (app/people/search_index.py), when the
# tables are made without the migrations; migration 0031 creates them otherwise.
event.listen(db.metadata, "after_create", search_index.create_after_tables)
event.listen(db.metadata, "after_drop", search_index.drop_after_tables)
