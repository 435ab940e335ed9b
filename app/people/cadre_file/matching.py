"""A birth year in one place, the full date in the other: still the same person.

Lists kept by villages often give only the year of birth. A row whose identity (name, birth,
commune after mergers) has no exact match is compared with the cadres of the same name and
commune: a row with only the year matches the one cadre born on a day of that year; a row
with the full date matches the cadre recorded with only that year (the date is then filled
in). When several cadres could be the one meant, the row is a problem to resolve in the file
(the full date tells them apart); nothing is guessed.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.extensions import db
from app.people.cadre_file.columns import BIRTH, Problem, ValidRow
from app.people.models import Cadre, same_person_by_year
from app.people.models import split_identity_key as _parts
from app.vietnamese import format_date


def match_by_year(rows: list[ValidRow], chunk: int = 500) -> list[Problem]:
    """Set `existing_id` on rows that name, by year or by date, a cadre stored the other way.
    Returns the problems (ambiguous rows; two rows naming one cadre). One query per 500
    different names in the file."""
    names = sorted({_parts(r.key)[0] for r in rows})
    stored_keys: set[str] = set()
    by_name_root: dict[tuple[str, str], list[Cadre]] = defaultdict(list)
    for start in range(0, len(names), chunk):
        for cadre in db.session.scalars(select(Cadre).options(lazyload("*")).where(
                Cadre.sort_key.in_(names[start:start + chunk]))):
            stored_keys.add(cadre.identity_key)
            name, _born, root = _parts(cadre.identity_key)
            by_name_root[(name, root)].append(cadre)
    open_rows = [r for r in rows if r.key not in stored_keys]  # no exact match

    problems: list[Problem] = []
    claimed: dict[int, int] = {}  # cadre id -> file row
    taken_keys = {r.key for r in rows}
    for row in open_rows:
        name, born, root = _parts(row.key)
        candidates = [c for c in by_name_root.get((name, root), [])
                      if c.identity_key not in taken_keys
                      and same_person_by_year(row.key, c.identity_key)]
        if not candidates:
            continue
        if len(candidates) > 1:
            dates = ", ".join(sorted(format_date(c.birth_date) for c in candidates))
            problems.append(Problem(row.row, BIRTH, _(
                "Có %(n)s cán bộ tên %(name)s sinh năm %(year)s ở xã này (ngày sinh "
                "%(dates)s); dòng này chỉ ghi năm sinh nên không biết là ai. Hãy ghi ngày sinh "
                "đầy đủ.", n=len(candidates), name=row.data.full_name, year=born,
                dates=dates)))
            continue
        cadre = candidates[0]
        if cadre.id in claimed:
            problems.append(Problem(row.row, BIRTH, _(
                "Dòng %(row)s và dòng này cùng chỉ cán bộ %(name)s (một dòng ghi năm sinh, một "
                "dòng ghi ngày sinh). Hãy xóa một trong hai dòng.", row=claimed[cadre.id],
                name=cadre.full_name)))
            continue
        claimed[cadre.id] = row.row
        row.existing_id = cadre.id
    return problems

