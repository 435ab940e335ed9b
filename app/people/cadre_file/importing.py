"""Writing validated rows: create or update by identity, all or nothing (the caller commits)."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from app.audit.models import record
from app.extensions import db
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
from app.people.models import Cadre, Unit


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
    if cadre.position_id == data.position_id:
        data.level = cadre.level
    if data.birth_date is None and cadre.birth_date and cadre.birth_year == data.birth_year:
        data.birth_date = cadre.birth_date  # a list with only the year keeps the known date
    return data


def import_rows(actor, rows: list[ValidRow], dry_run: bool = False) -> Summary:
    """Create or update the cadres of validated rows. Flushes only: the caller commits, or
    rolls back (dry run: the summary says what an import would do)."""
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
        elif service.update_cadre(actor, cadre, _merge_with_existing(row, cadre),
                                  source="import"):
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


def load(filename: str, data: bytes) -> tuple[list[ValidRow], list[Problem]]:
    """read_table + validate; file-level problems are returned like row problems."""
    try:
        rows = read_table(filename, data)
    except ImportProblem as exc:
        return [], exc.problems
    return validate(rows)
