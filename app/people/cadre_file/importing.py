"""Importing a cadre list: `import_file`, the one way in (the import page, `flask cadres
import`, nominating from a file), and the stage that writes validated rows (`import_rows`:
create or update by identity, all or nothing; the caller commits)."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.audit.models import record
from app.core.refusal import CONFLICTS
from app.extensions import db
from app.i18n_markers import N_
from app.people import after_import, service
from app.people.cadre_file.columns import (
    OPTIONAL_FIELDS,
    ImportProblem,
    Problem,
    Summary,
    ValidRow,
)
from app.people.cadre_file.reading import read_table
from app.people.cadre_file.validation import validate
from app.people.models import Cadre, Position, Unit
from app.people.reference import position_code_for_village


def existing_by_key(keys: list[str], chunk: int = 500) -> dict[str, Cadre]:
    """The cadres having these identity keys (one query per 500 keys)."""
    found: dict[str, Cadre] = {}
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        for cadre in db.session.scalars(select(Cadre).options(lazyload("*")).where(
                Cadre.identity_key.in_(part))):
            found[cadre.identity_key] = cadre
    return found


class _Units:
    """Units and positions for a whole file, each list loaded once, when first needed (one
    query each): merging a row with the stored cadre asks for them row after row."""

    def __init__(self):
        self._units: dict[int, Unit] | None = None
        self._positions: dict[int, Position] | None = None

    @property
    def units(self) -> dict[int, Unit]:
        if self._units is None:
            self._units = {u.id: u for u in db.session.scalars(
                select(Unit).where(Unit.kind.in_(("commune", "village"))))}
        return self._units

    @property
    def positions(self) -> dict[int, Position]:
        if self._positions is None:
            self._positions = {p.id: p for p in db.session.scalars(select(Position))}
            self.positions_by_code = {p.code: p for p in self._positions.values()}
        return self._positions

    def is_former(self, unit_id: int) -> bool:
        unit = self.units.get(unit_id)
        return unit is not None and unit.successor_id is not None

    def position_for_village(self, position_id: int, village_id: int | None) -> Position:
        """The same office named for the village's kind (reference.position_for_village)."""
        position = self.positions[position_id]
        village = self.units.get(village_id) if village_id else None
        code = position_code_for_village(position.code, village.category if village else None)
        return self.positions_by_code.get(code, position)


def _merge_with_existing(row: ValidRow, cadre: Cadre, ref: _Units) -> service.CadreData:
    """What the file says, keeping what it leaves open: absent columns, the stored spelling of
    an all-capitals name, the stored unit when the file's name fits it, the stored level."""
    data = copy.copy(row.data)  # no __post_init__: the row's values are clean already
    for column, attribute in OPTIONAL_FIELDS.items():
        if column not in row.present:
            setattr(data, attribute, getattr(cadre, attribute))
    if row.name_all_caps and cadre.full_name.casefold() == data.full_name.casefold():
        data.full_name = cadre.full_name
    if cadre.commune_id in row.commune_choices:
        data.commune_id = cadre.commune_id
    elif cadre.commune_id != data.commune_id and ref.is_former(data.commune_id):
        # Same person, so the same commune after mergers: a file that still says "xã Sơn Ba"
        # does not move a cadre recorded under xã Sơn Kỳ back to the former commune.
        data.commune_id = cadre.commune_id
    if cadre.village_id is not None and cadre.village_id in row.village_choices:
        data.village_id = cadre.village_id
    # The office named for the village the cadre is in, the stored one when the file has no
    # village column: "Trưởng thôn" of a tổ dân phố is its Tổ trưởng.
    position = ref.position_for_village(data.position_id, data.village_id)
    data.position_id, data.level = position.id, position.level
    if cadre.position_id == data.position_id:
        data.level = cadre.level
    if data.birth_date is None and cadre.birth_date and cadre.birth_year == data.birth_year:
        data.birth_date = cadre.birth_date  # a list with only the year keeps the known date
    return data


def _completed(row: ValidRow, cadre: Cadre) -> service.CadreData:
    """The stored values, only completed: a full birth date of the stored year fills in a
    cadre known by the year alone (create_only never rewrites what is recorded)."""
    data = service.CadreData(**{name: getattr(cadre, name) for name in service.FIELDS})
    if data.birth_date is None and row.data.birth_date and row.data.birth_year == data.birth_year:
        data.birth_date = row.data.birth_date
    return data


@dataclass
class Plan:
    """What an import would do, worked out without writing: the rows that add a cadre, the
    stored cadres each other row names with the values it would give them."""

    new: list[ValidRow] = field(default_factory=list)
    known: list[tuple[ValidRow, Cadre, service.CadreData]] = field(default_factory=list)

    def summary(self) -> Summary:
        summary = Summary(created=len(self.new))
        for _row, cadre, data in self.known:
            if service.changes(cadre, data):
                summary.updated += 1
            else:
                summary.unchanged += 1
        return summary


def plan_rows(rows: list[ValidRow], *, create_only: bool = False) -> Plan:
    """Find the cadre each row names (by identity, or by `existing_id`: the same person by
    year) and what the row would make of it; with `create_only`, listed cadres are only
    completed (`_completed`), never rewritten. A constant number of queries per 500 rows;
    writes nothing."""
    plan = Plan()
    existing = existing_by_key([r.key for r in rows])
    by_year = {c.id: c for c in db.session.scalars(select(Cadre).options(lazyload("*")).where(
        Cadre.id.in_([r.existing_id for r in rows if r.existing_id])))} if any(
        r.existing_id for r in rows) else {}
    ref = _Units() if len(existing) + len(by_year) else None
    for row in rows:
        cadre = existing.get(row.key) or by_year.get(row.existing_id)
        if cadre is None:
            plan.new.append(row)
        else:
            plan.known.append((row, cadre, _completed(row, cadre) if create_only
                               else _merge_with_existing(row, cadre, ref)))
    return plan


def write_plan(actor, plan: Plan) -> Summary:
    """Carry out a plan: the stored cadres updated one by one (each change audited with what
    it was), then every new cadre in bulk (`service.create_cadres`). Flushes only: the caller
    commits. `cadre_ids` follow the rows of the file."""
    summary = Summary()
    ids: dict[int, int] = {}  # file row -> cadre id
    for row, cadre, data in plan.known:
        if service.update_cadre(actor, cadre, data, source="import"):
            summary.updated += 1
        else:
            summary.unchanged += 1
        ids[row.row] = cadre.id
    db.session.flush()
    created = service.create_cadres(actor, [(row.data, row.key) for row in plan.new],
                                    source="import")
    ids.update(zip((row.row for row in plan.new), created))
    summary.created = len(created)
    summary.cadre_ids = [ids[number] for number in sorted(ids)]
    db.session.flush()
    return summary


def import_rows(actor, rows: list[ValidRow], *, create_only: bool = False) -> Summary:
    """Create or update the cadres of validated rows (found by identity, or by `existing_id`:
    the same person by year). With `create_only`, cadres already listed are matched and only
    completed, never rewritten. Flushes only: the caller commits."""
    return write_plan(actor, plan_rows(rows, create_only=create_only))


def record_import(actor, summary: Summary, filename: str, source: str) -> None:
    """The audit entry of one import (the caller commits)."""
    record(actor, "cadre.import", "cadre", None,
           f"Nhập danh sách cán bộ từ tệp {filename}: thêm mới {summary.created}, "
           f"cập nhật {summary.updated}, không đổi {summary.unchanged}",
           data={"file": filename, "source": source, **summary.as_dict()})


CONFLICT = N_("Danh sách cán bộ vừa được người khác thay đổi trong lúc nhập; chưa nhập dòng "
              "nào. Vui lòng tải tệp lên lại.")


@dataclass
class ImportOutcome:
    """What `import_file` did. status: 200 imported (or, with `dry_run`, checked), 400 not a
    spreadsheet, 422 content that cannot be imported (every problem by row and column), 409
    someone changed the same cadres meanwhile. Unless `to_commit`, the caller rolls back."""

    status: int
    problems: list[Problem] = field(default_factory=list)
    summary: Summary | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def to_commit(self) -> bool:
        return self.ok and not self.dry_run

    def refusal(self) -> ImportProblem:
        """The outcome as the refusal to raise when it is not ok."""
        return ImportProblem(self.problems, readable=self.status != 400, status=self.status)


def import_file(actor, filename: str, data: bytes, *, dry_run: bool = False,
                source: str = "web", create_only: bool = False, scope=None) -> ImportOutcome:
    """Read, validate (with the same person by year, matching.py), write all rows or none and
    record the import in the audit log (`source`: web, cli, nomination; not for a dry run).

    A dry run reads, validates and plans (`plan_rows`: which rows add a cadre, which change
    one) and writes nothing. Otherwise the plan is written in bulk (`write_plan`). Flushes
    only, as every service: the caller commits when `outcome.to_commit`, otherwise rolls
    back. A conflict (409) is a flush the database refused, which has already rolled the
    transaction back. `create_only`: listed cadres are found, not rewritten (nominating from
    a file). `scope` (people/scope.py): a row of a commune outside it is a problem."""
    valid, refused = _checked(filename, data, scope)
    if refused is not None:
        return refused
    plan = plan_rows(valid, create_only=create_only)
    if dry_run:
        return ImportOutcome(200, summary=plan.summary(), dry_run=True)
    try:
        summary = write_plan(actor, plan)
    except CONFLICTS:  # the same person added or changed by another import at this moment
        db.session.rollback()  # the failed flush has ended the transaction: reset the session
        return ImportOutcome(409, [Problem(None, None, _(CONFLICT))])
    record_import(actor, summary, filename, source)
    after_import.tidy(db.session.connection(), summary.written)
    return ImportOutcome(200, summary=summary)


def _checked(filename: str, data: bytes, scope=None
             ) -> tuple[list[ValidRow], ImportOutcome | None]:
    """read_table + validate: the valid rows, or the outcome that refuses the file."""
    try:
        rows = read_table(filename, data)
    except ImportProblem as exc:
        return [], ImportOutcome(exc.status, exc.problems)
    valid, problems = validate(rows, scope=scope)
    return valid, ImportOutcome(422, problems) if problems else None


def load(filename: str, data: bytes) -> tuple[list[ValidRow], list[Problem]]:
    """Check a file, writing nothing: the valid rows and every problem (file-level ones
    too)."""
    valid, refused = _checked(filename, data)
    return valid, refused.problems if refused else []
