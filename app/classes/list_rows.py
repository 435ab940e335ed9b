"""The class lists' rows, prepared once in Python for the page from plain rows (`queries`,
`Listing`: a class's LIST_COLUMNS, with its application's for a learner's own list): the links
(the route built once, `core.templating.Links`), the dates and the seats as the lists write
them, and the labels and badges of the statuses, translated once for the page. The templates
then read each value as an attribute of a slotted object: in Jinja a filter, a link or a label
looked up per row (and a SQLAlchemy row read by name, about a microsecond an attribute) was
most of a list's rendering."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from app.classes.models import APPLICATION_BADGES, APPLICATION_LABELS
from app.classes.status import STATUS_BADGES, STATUS_LABELS
from app.core.templating import Links
from app.numbers import format_number
from app.vietnamese import format_date


@dataclass(slots=True)
class ClassLine:
    id: int
    href: str  # the class page
    code: str
    title: str
    place: str
    start: str  # dd/mm/yyyy
    end: str
    status: str  # the class's
    status_text: str
    badge: str
    capacity: str  # "1.200"
    admitted: int
    apply_until: str  # dd/mm/yyyy, "" when none
    applications: str = ""  # the coordinator's: the class's applications page ...
    active: int = 0  # ... and its active applications (applied, admitted, waitlisted)
    application_status: str | None = None  # a learner's own list: their application's
    application_text: str = ""
    application_badge: str = ""
    waitlist_rank: int | None = None


class _Labels(dict):
    """A status's label in the reader's language, translated when first met on the page (a
    page's rows have one or two statuses: translating every label up front was most of the
    rows' preparation)."""

    def __init__(self, labels: dict[str, str]) -> None:
        super().__init__()
        self.labels = labels

    def __missing__(self, status: str) -> str:
        label = self.labels.get(status)
        text = self[status] = gettext(label) if label else ""
        return text


def lines(rows: list, counts: dict[int, dict[str, int]] | None = None) -> list[ClassLine]:
    """The list's rows as `ClassLine`s. `counts`: the coordinator's, per class its
    applications by status (`queries.application_counts`), with a link to them."""
    detail = Links("classes.detail", "class_id")
    applications = Links("classes.applications", "class_id") if counts is not None else None
    status_text, application_text = _Labels(STATUS_LABELS), _Labels(APPLICATION_LABELS)
    capacities: dict[int, str] = {}
    out = []
    for row in rows:
        (class_id, code, title, place, start, end, status, capacity, admitted,
         apply_until, *application) = row
        seats = capacities.get(capacity)
        if seats is None:
            seats = capacities[capacity] = format_number(capacity)
        line = ClassLine(class_id, detail(class_id), code, title, place, format_date(start),
                         format_date(end), status, status_text[status],
                         STATUS_BADGES.get(status, ""), seats, admitted,
                         format_date(apply_until))
        if applications is not None:
            line.applications = applications(class_id)
            line.active = counts[class_id]["active"]
        if application:
            line.application_status, line.waitlist_rank = application
            line.application_text = application_text[line.application_status]
            line.application_badge = APPLICATION_BADGES.get(line.application_status, "")
        out.append(line)
    return out
