"""The cadre list's rows, prepared once in Python for the page: what the viewer may see of
each cadre's birth and phone (the one rule, people/visibility.py, applied with the viewer and
their scope read once, where the template globals read them for every call), the gender in
the reader's language (translated once per request, not per row) and the link to the cadre
(the route built once, `core.templating.Links`: `url_for` per row was the dearest part of
the page's rows)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.templating import Links
from app.people.models import Cadre
from app.people.visibility import birth_for, phone_for


@dataclass(slots=True)
class Line:
    cadre: Cadre
    href: str
    gender: str
    birth: str
    phone: str


def lines(cadres: list[Cadre], viewer, scope) -> list[Line]:
    detail = Links("people.detail", "cadre_id")
    genders: dict[str, str] = {}
    out = []
    for cadre in cadres:
        label = cadre.gender_label
        if label not in genders:
            genders[label] = _(label)
        out.append(Line(cadre, detail(cadre.id), genders[label],
                        birth_for(viewer, cadre, scope), phone_for(viewer, cadre, scope)))
    return out
