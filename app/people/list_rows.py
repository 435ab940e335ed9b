"""The cadre list's rows, prepared once in Python for the page from plain rows
(`queries.line_page`, no ORM object): what the viewer may see of each cadre's birth and phone
(the one rule, people/visibility.py `Sight`, with the viewer's roles read once for the page),
the gender in the reader's language, the ethnic group's name and the place ("Thôn Làng Rê, xã
Sơn Hà"), each written once per page for each value, not per row, and the link to the cadre
(the route built once, `core.templating.Links`: `url_for` per row was the dearest part of the
page's rows). A row is unpacked by position (`queries.LINE`): a SQLAlchemy row read by name
costs about a microsecond an attribute."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.core.templating import Links
from app.people.ethnicities import by_code
from app.people.models import GENDER_LABELS, capitalised, unit_title
from app.people.visibility import Sight


@dataclass(slots=True)
class Line:
    number: int  # in the whole list, from 1
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


def _place(commune_category, commune_name, village_category, village_name) -> str:
    """The village (capitalised) and commune of a row, as the list writes them."""
    commune = unit_title(commune_category, commune_name) if commune_name else ""
    if village_name is None:
        return commune
    return f"{capitalised(unit_title(village_category, village_name))}, {commune}"


def _gender(code: str | None) -> str:
    label = GENDER_LABELS.get(code, "")
    return _(label) if label else ""


def _ethnicity(code: str | None) -> str:
    found = by_code(code) if code else None
    return found.name if found else ""


def lines(rows: list, viewer, scope, offset: int = 0) -> list[Line]:
    """The rows of `queries.line_page` as the list shows them to `viewer` within `scope`,
    numbered from `offset` + 1."""
    detail = Links("people.detail", "cadre_id")
    sight = Sight(viewer, scope)
    clear, phone_shown, birth_shown = sight.clear, sight.phone_shown, sight.birth_shown
    genders: dict[str | None, str] = {}
    ethnicities: dict[str | None, str] = {}
    places: dict[tuple, str] = {}
    out = []
    for number, (cadre_id, name, gender, birth_date, birth_year, ethnicity, phone, active,
                 commune_id, user_id, position, village_leader, commune_category, commune_name,
                 village_category, village_name, *_total,  # a search's rows end with the total
                 ) in enumerate(rows, offset + 1):
        place = (commune_category, commune_name, village_category, village_name)
        shown = genders.get(gender)
        if shown is None:
            shown = genders[gender] = _gender(gender)
        group = ethnicities.get(ethnicity)
        if group is None:
            group = ethnicities[ethnicity] = _ethnicity(ethnicity)
        where = places.get(place)
        if where is None:
            where = places[place] = _place(*place)
        in_clear = clear(user_id, commune_id)
        out.append(Line(number, detail(cadre_id), name, active, shown,
                        birth_shown(birth_date, birth_year, in_clear), group, position or "",
                        bool(village_leader), where, phone_shown(phone, in_clear)))
    return out


def filter_options(filters, communes: list, positions: list, ethnicities: list
                   ) -> dict[str, Markup]:
    """The options of the list's commune, position and ethnic group filters (`options`), the
    ones `filters` chose selected: the communes (`queries.commune_choices`, a former one
    marked "(cũ)"), the positions ((id, name) rows) and the ethnic groups ((code, name))."""
    former = _("cũ")
    return {
        "commune_options": options(
            [(c.id, f"{c.title_cap} ({former})" if c.former else c.title_cap)
             for c in communes], filters.commune),
        "position_options": options(positions, filters.position),
        "ethnicity_options": options(ethnicities, filters.ethnicity)}


def options(choices, selected) -> Markup:
    """The `<option>`s of a filter's select: `choices` a sequence of (value, label), the
    options whose value equals `selected` marked selected, every value and label escaped (as
    `<option value="{{ value }}"{% if … %} selected{% endif %}>{{ label }}</option>` in a
    loop wrote them). The filters' hundred-odd options (communes, positions, ethnic groups)
    are the same on every page: they are written once per process for the same choices (a
    pure function of them, `_written`), the selected one marked per request."""
    pieces, where = _written(tuple(choices))
    chosen = where.get(selected, ())
    if not chosen:
        return Markup("".join(pieces))  # noqa: S704 - escaped in _written
    pieces = list(pieces)
    for i in chosen:
        pieces[i] = pieces[i].replace('">', '" selected>', 1)
    return Markup("".join(pieces))  # noqa: S704 - escaped in _written


@lru_cache(maxsize=256)
def _written(choices: tuple) -> tuple[tuple[str, ...], dict]:
    """Each option of `choices` written, and the places of each value among them."""
    where: dict = {}
    for i, (value, _label) in enumerate(choices):
        where.setdefault(value, []).append(i)
    return (tuple(f'<option value="{escape(value)}">{escape(label)}</option>'
                  for value, label in choices), where)
