"""Importing a cadre list: `import_file`, the one way in (the import page, `flask cadres
import`, nominating from a file), and the stage that writes validated rows (`import_rows`:
create or update by identity, all or nothing; the caller commits)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.models import record
from app.core.refusal import CONFLICTS
from app.extensions import db
from app.i18n_markers import N_
from app.people import service
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
from app.people.reference import position_for_village


def existing_by_key(keys: list[str], chunk: int = 500) -> dict[str, Cadre]:
    """The cadres having these identity keys (one query per 500 keys)."""
    found: dict[str, Cadre] = {}
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        for cadre in db.session.scalars(select(Cadre).where(Cadre.identity_key.in_(part))
                                        ).unique():
            found[cadre.identity_key] = cadre
    return found


def _is_former(unit_id: int) -> bool:
    unit = db.session.get(Unit, unit_id)  # units are in the session already: no query
    return unit is not None and unit.successor_id is not None


def _merge_with_existing(row: ValidRow, cadre: Cadre) -> service.CadreData:
    """What the file says, keeping what it leaves open: absent columns, the stored spelling of
    an all-capitals name, the stored unit when the file's name fits it, the stored level."""
    data = replace(row.data)
    for column, attribute in OPTIONAL_FIELDS.items():
        if column not in row.present:
            setattr(data, attribute, getattr(cadre, attribute))
    if row.name_all_caps and cadre.full_name.casefold() == data.full_name.casefold():
        data.full_name = cadre.full_name
    if cadre.commune_id in row.commune_choices:
        data.commune_id = cadre.commune_id
    elif cadre.commune_id != data.commune_id and _is_former(data.commune_id):
        # Same person, so the same commune after mergers: a file that still says "xã Sơn Ba"
        # does not move a cadre recorded under xã Sơn Kỳ back to the former commune.
        data.commune_id = cadre.commune_id
    if cadre.village_id is not None and cadre.village_id in row.village_choices:
        data.village_id = cadre.village_id
    # The office named for the village the cadre is in, the stored one when the file has no
    # village column: "Trưởng thôn" of a tổ dân phố is its Tổ trưởng.
    position = position_for_village(
        db.session.get(Position, data.position_id),
        db.session.get(Unit, data.village_id) if data.village_id else None)
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


def import_rows(actor, rows: list[ValidRow], *, create_only: bool = False) -> Summary:
    """Create or update the cadres of validated rows (found by identity, or by `existing_id`:
    the same person by year). With `create_only`, cadres already listed are matched and only
    completed (`_completed`), never rewritten. Flushes only: the caller commits."""
    summary = Summary()
    existing = existing_by_key([r.key for r in rows])
    by_year = {c.id: c for c in db.session.scalars(select(Cadre).where(Cadre.id.in_(
        [r.existing_id for r in rows if r.existing_id]))).unique()} if any(
        r.existing_id for r in rows) else {}
    for row in rows:
        cadre = existing.get(row.key) or by_year.get(row.existing_id)
        if cadre is None:
            cadre = service.create_cadre(actor, row.data, source="import")
            summary.created += 1
        elif service.update_cadre(actor, cadre, _completed(row, cadre) if create_only
                                  else _merge_with_existing(row, cadre), source="import"):
            summary.updated += 1
        else:
            summary.unchanged += 1
        summary.cadre_ids.append(cadre.id)
    db.session.flush()
    return summary


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
                source: str = "web", create_only: bool = False) -> ImportOutcome:
    """Read, validate (with the same person by year, matching.py), write all rows or none and
    record the import in the audit log (`source`: web, cli, nomination; not for a dry run).

    Flushes only, as every service: the caller commits when `outcome.to_commit`, otherwise
    rolls back (a dry run flushed its rows to count them). A conflict (409) is a flush the
    database refused, which has already rolled the transaction back.
    `create_only`: listed cadres are found, not rewritten (nominating from a file)."""
    valid, refused = _checked(filename, data)
    if refused is not None:
        return refused
    try:
        summary = import_rows(actor, valid, create_only=create_only)
    except CONFLICTS:  # the same person added or changed by another import at this moment
        db.session.rollback()  # the failed flush has ended the transaction: reset the session
        return ImportOutcome(409, [Problem(None, None, _(CONFLICT))])
    if not dry_run:
        record_import(actor, summary, filename, source)
    return ImportOutcome(200, summary=summary, dry_run=dry_run)


def _checked(filename: str, data: bytes) -> tuple[list[ValidRow], ImportOutcome | None]:
    """read_table + validate: the valid rows, or the outcome that refuses the file."""
    try:
        rows = read_table(filename, data)
    except ImportProblem as exc:
        return [], ImportOutcome(exc.status, exc.problems)
    valid, problems = validate(rows)
    return valid, ImportOutcome(422, problems) if problems else None


def load(filename: str, data: bytes) -> tuple[list[ValidRow], list[Problem]]:
    """Check a file, writing nothing: the valid rows and every problem (file-level ones
    too)."""
    valid, refused = _checked(filename, data)
    return valid, refused.problems if refused else []
