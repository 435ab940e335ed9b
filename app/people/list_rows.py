"""The cadre list's rows, prepared once in Python for the page from plain rows
(`queries.line_page`, no ORM object): what the viewer may see of each cadre's birth and phone
(the one rule, people/visibility.py `Sight`, with the viewer's roles read once for the page),
the gender in the reader's language and the ethnic group's name (each looked up once per
page, not per row), the place ("Thôn Làng Rê, xã Sơn Hà") and the link to the cadre (the
route built once, `core.templating.Links`: `url_for` per row was the dearest part of the
page's rows)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.templating import Links
from app.people.ethnicities import by_code
from app.people.models import GENDER_LABELS, capitalised, unit_title
from app.people.visibility import Sight


@dataclass(slots=True)
class Line:
    href: str
    name: str
    active: bool
    gender: str
    birth: str
    ethnicity: str
    position: str
    village_leader: bool
    place: str
    phone: str


def _place(row) -> str:
    """The village (capitalised) and commune of a row, as the list writes them."""
    commune = unit_title(row.commune_category, row.commune_name) if row.commune_name else ""
    if row.village_name is None:
        return commune
    return f"{capitalised(unit_title(row.village_category, row.village_name))}, {commune}"


def lines(rows: list, viewer, scope) -> list[Line]:
    detail = Links("people.detail", "cadre_id")
    sight = Sight(viewer, scope)
    genders: dict[str | None, str] = {}
    ethnicities: dict[str | None, str] = {}
    out = []
    for row in rows:
        gender = genders.get(row.gender)
        if gender is None:
            label = GENDER_LABELS.get(row.gender, "")
            gender = genders[row.gender] = _(label) if label else ""
        ethnicity = ethnicities.get(row.ethnicity_code)
        if ethnicity is None:
            found = by_code(row.ethnicity_code) if row.ethnicity_code else None
            ethnicity = ethnicities[row.ethnicity_code] = found.name if found else ""
        out.append(Line(detail(row.id), row.full_name, row.active, gender, sight.birth(row),
                        ethnicity, row.position or "", bool(row.village_leader), _place(row),
                        sight.phone(row)))
    return out
