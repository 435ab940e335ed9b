"""The applications page's lists, each paged, every row prepared once in Python.

A class of 600 applicants made a page of about 1 MB: every applicant's facts came from an
include, their reasons were translated line by line, and every row carried a hidden form.
Here each list (the preview's admitted and waitlist, the admitted, the waitlist, all
applications) shows one page (`?list=waitlist&page=3`, the others their first page); a
person's facts are written once per cadre, each distinct reason line translated once per
request, and the form to move a person (`?override=<id>`) or to withdraw them
(`?withdraw=<id>`) is shown on that row only.

The seats come first: the lists that follow them (a waitlist, all applications) are folded
when longer than `FOLD`, their title and count shown with a link that opens them
(`?list=waitlist`), their rows neither prepared nor written meanwhile (a class of 600 made
some 70 KB of rows that a closed fold hid: a tenth of the page's time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from flask_babel import gettext as _

from app.classes import points_text
from app.classes.allocation import admitted_place
from app.classes.enrolment import display_key
from app.classes.models import Application
from app.classes.reasons import shown_reason
from app.core.paging import MAX_PAGE
from app.numbers import parse_id
from app.timeutil import format_moment

NAMES = ("preview_admitted", "preview_waitlist", "admitted", "waitlist", "all")
ANCHORS = {"preview_admitted": "preview-admitted-h", "preview_waitlist": "preview-waitlist-h",
           "admitted": "admitted-h", "waitlist": "waitlist-h", "all": "all-h"}
OWN_ARGS = ("list", "page", "override", "withdraw")  # this module's; the rest are kept
FOLD = 10  # a waitlist or the list of all applications longer than this opens on demand


@dataclass
class Row:
    application: Application
    name: str
    facts: str  # gender · birth · position
    leader: bool  # a village-level position
    place: str  # village, commune
    score: object  # points (None: not scored)
    reasons: list[str]  # in the reader's language
    number: int  # 1-based in its list
    seat: tuple[int, int] | None = None  # "thứ i/n" of an admission, from its reasons
    points: str = ""  # the score as shown ("4,5 điểm"), "" when not scored
    status: str = ""  # the application's status, its source and the moment it was made,
    source: str = ""  # in the reader's language (the list of all applications shows them)
    applied: str = ""


@dataclass
class Section:
    rows: list[Row]
    total: int
    page: int
    pages: int
    page_args: Callable[[int], str]
    folded: bool = False  # closed: no rows, the link `page_args(1)` opens it

    @property
    def start(self) -> int:
        return self.rows[0].number if self.rows else 1


@dataclass
class Chosen:
    """What the query string asks of the lists: which list's page, which row's form."""

    list: str | None
    page: int
    override: int | None
    withdraw: int | None
    kept: dict

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Chosen:
        name = args.get("list") if args.get("list") in NAMES else None
        page = parse_id(args.get("page", "")) or 1
        return cls(name, min(page, MAX_PAGE), parse_id(args.get("override", "")),
                   parse_id(args.get("withdraw", "")),
                   {k: v for k, v in args.items() if k not in OWN_ARGS})

    def row_args(self, **extra) -> str:
        """The query string of this view with one row's form open (`override=<id>`)."""
        current = {"list": self.list, "page": self.page} if self.list else {}
        return urlencode({**self.kept, **current, **extra})


class Writer:
    """Prepares rows: each cadre's facts once, each distinct reason line, score, status and
    source once (a translation looked up per row cost more than the rest of the row)."""

    def __init__(self) -> None:
        self._facts: dict[int, tuple[str, str, bool, str]] = {}
        self._reasons: dict[str, str] = {}
        self._texts: dict[tuple, str] = {}

    def person(self, application: Application) -> tuple[str, str, bool, str]:
        cadre = application.cadre
        if cadre.id not in self._facts:
            place = (f"{cadre.village.title_cap}, " if cadre.village else "") \
                + cadre.commune.title
            facts = " · ".join((self._text(cadre.gender_label), cadre.birth_text,
                                cadre.position.name))
            self._facts[cadre.id] = (cadre.full_name, facts,
                                     bool(cadre.position.village_leader), place)
        return self._facts[cadre.id]

    def reasons(self, lines) -> list[str]:
        out = []
        for line in lines or ():
            if line not in self._reasons:
                self._reasons[line] = shown_reason(line)
            out.append(self._reasons[line])
        return out

    def _text(self, label: str) -> str:
        key = ("label", label)
        if key not in self._texts:
            self._texts[key] = _(label)
        return self._texts[key]

    def _points(self, score) -> str:
        if score is None:
            return ""
        key = ("points", score)
        if key not in self._texts:
            self._texts[key] = points_text(score)
        return self._texts[key]

    def row(self, application: Application, number: int, score, reasons,
            seat=None) -> Row:
        name, facts, leader, place = self.person(application)
        return Row(application, name, facts, leader, place, score, self.reasons(reasons),
                   number, seat, self._points(score))

    def listed(self, application: Application, number: int) -> Row:
        """A row of the list of all applications: with its status, source and time."""
        row = self.row(application, number, application.score, ())
        row.status = self._text(application.status_label)
        row.source = self._text(application.source_label)
        row.applied = format_moment(application.applied_at)
        return row


def words() -> dict[str, str]:
    """The words every row repeats, translated once per request."""
    return {"leader": _("cấp thôn"), "reasons": _("Lý do"), "withdraw": _("Rút tên…"),
            "extra": _("bổ sung"), "to_waitlist": _("Chuyển sang danh sách chờ…"),
            "admit": _("Nhận vào lớp…")}


def _section(name: str, items: list, size: int, chosen: Chosen,
             make: Callable[[object, int], Row], folds: bool = False,
             asked: bool = False, order: Callable | None = None) -> Section:
    """One page of a list. `folds`: closed when longer than FOLD, unless it is the chosen
    list or holds the row whose form is `asked` for (`?override=`, `?withdraw=`). `order`: the
    key the items are sorted by, when the list is shown."""
    total = len(items)
    pages = max(-(-total // size), 1)
    page = min(chosen.page, pages) if chosen.list == name else 1

    def page_args(n: int) -> str:
        return urlencode({**chosen.kept, "list": name, "page": n}) + "#" + ANCHORS[name]

    if folds and total > FOLD and chosen.list != name and not asked:
        return Section([], total, 1, pages, page_args, folded=True)
    if order is not None:
        items = sorted(items, key=order)
    start = (page - 1) * size
    rows = [make(item, start + i) for i, item in enumerate(items[start:start + size], 1)]
    return Section(rows, total, page, pages, page_args)


def sections(apps: list[Application], preview, chosen: Chosen, size: int,
             writer: Writer | None = None) -> dict[str, Section]:
    """The five lists of the page, one page each. `apps`: every application of the class
    (`enrolment.class_applications`), each list sorted (`enrolment.display_key`) when its rows
    are shown; `preview`: the allocation preview or None."""
    writer = writer or Writer()
    out = {}
    if preview is not None:
        for name, rows in (("preview_admitted", preview.admitted),
                           ("preview_waitlist", preview.waitlist)):
            out[name] = _section(name, rows, size, chosen, lambda r, n: writer.row(
                r.application, n, r.score, r.reasons), folds=name == "preview_waitlist")
    admitted = [a for a in apps if a.status == "admitted"]
    waiting = [a for a in apps if a.status == "waitlisted"]
    out["admitted"] = _section("admitted", admitted, size, chosen, lambda a, n: writer.row(
        a, n, a.score, a.reasons, admitted_place(a.reasons)), order=display_key)
    out["waitlist"] = _section("waitlist", waiting, size, chosen, lambda a, n: writer.row(
        a, n, a.score, a.reasons), folds=True,
        asked=any(a.id == chosen.override for a in waiting), order=display_key)
    out["all"] = _section("all", apps, size, chosen, writer.listed, folds=True,
                          asked=any(a.id == chosen.withdraw for a in apps), order=display_key)
    return out
