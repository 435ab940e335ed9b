"""Read-only queries for the class pages (constant number of statements per page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    Date,
    Select,
    and_,
    bindparam,
    exists,
    func,
    inspect,
    or_,
    select,
    true,
)
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.audit.models import AuditEntry
from app.auth.models import User
from app.classes import status as st
from app.classes.access import scope_condition
from app.classes.models import (
    ACTIVE_APPLICATIONS,
    Application,
    ClassRequiredPosition,
    ClassSession,
    TrainingClass,
    class_trainers,
    class_units,
)
from app.core import like, written
from app.courses.models import Course
from app.extensions import db
from app.people.models import Cadre, Unit
from app.people.scope import Scope
from app.vietnamese import fold

SEAT_ACTIONS = ("class.allocate", "application.promote", "application.override",
                "application.withdraw", "application.nominate", "application.import",
                "application.create", "class.status", "class.capacity")


# The order of every class list: the latest first.
LATEST_FIRST = (TrainingClass.start_date.desc(), TrainingClass.id.desc())
SOONEST_FIRST = (TrainingClass.start_date, TrainingClass.id)  # the home page's classes ahead

# What a class list (and a home page card) shows of a class: plain rows of these columns, not
# ORM objects of the class's forty (a page of 50 classes built 50 objects, each column set
# through the instrumentation: half of the learner's list). `status` is the class's.
LIST_COLUMNS = (TrainingClass.id, TrainingClass.code, TrainingClass.title, TrainingClass.place,
                TrainingClass.start_date, TrainingClass.end_date, TrainingClass.status,
                TrainingClass.capacity, TrainingClass.admitted_count, TrainingClass.apply_until)

# The same, of the tables (SQLAlchemy Core): the lists' statements below are built of these,
# so that running them skips the ORM's set-up for statements of entities (about 0.1 ms each);
# with, for an application, its own columns beside its class's.
_classes, _applications = TrainingClass.__table__, Application.__table__
_LATEST = (_classes.c.start_date.desc(), _classes.c.id.desc())
_COLUMNS = tuple(_classes.c[column.key] for column in LIST_COLUMNS)
_APPLICATION = (_applications.c.status.label("application_status"),
                _applications.c.waitlist_rank)


@dataclass(frozen=True)
class Listing:
    """A class list's two statements, built once per process with bind parameters: `rows`,
    a page of plain rows of LIST_COLUMNS (with `application_status` and `waitlist_rank` for a
    list of applications), the latest first (`limit`, `offset`); `count`, the list's total.
    Building a list's statements and working out their cache keys cost more than running
    them (about 1.3 ms of the learner's list); SQLAlchemy keeps a statement's key with it.

    The page's ids are chosen by `ids` (ids alone, in the list's order) and its rows read by
    those ids in the same statement: the database sorts ids, not whole rows (a learner's 2,000
    applications with their classes: 5.6 ms of SQLite, 1.5 so), and the conditions are not
    evaluated again for the rows. `counted`: the same rows without what only their order
    needs (the total is counted neither sorted nor read)."""

    rows: Select
    count: Select

    @classmethod
    def of(cls, ids: Select, counted: Select) -> Listing:
        chosen = ids.limit(written.LIMIT).offset(written.OFFSET).scalar_subquery()
        if ids.selected_columns[0].table is _applications:
            rows = select(*_COLUMNS, *_APPLICATION).select_from(
                _applications.join(_classes, _applications.c.class_id == _classes.c.id)
            ).where(_applications.c.id.in_(chosen))
        else:
            rows = select(*_COLUMNS).where(_classes.c.id.in_(chosen))
        return cls(rows.order_by(*_LATEST),
                   counted.with_only_columns(func.count(), maintain_column_froms=True))


@dataclass(frozen=True)
class Asked:
    """A list (`Listing`) with the parameters of this request (whose classes, which ones)."""

    listing: Listing
    params: dict

    def rows(self, limit: int, offset: int = 0) -> list:
        return list(db.session.execute(self.listing.rows,
                                       {**self.params, "limit": limit, "offset": offset}))

    def count(self) -> int:
        return db.session.scalar(self.listing.count, self.params) or 0


def paged(asked: Asked, page: int, size: int) -> tuple[list, int]:
    """One page of a class list (`Asked`: the latest first) and the total, both in SQL. A page
    that is not full tells the total itself, so only a full page, or an empty one beyond the
    first, is counted."""
    offset = (page - 1) * size
    rows = asked.rows(size, offset)
    if 0 < len(rows) < size or (not rows and page == 1):
        return rows, offset + len(rows)
    return rows, asked.count()


def _classes_where(*conditions) -> Listing:
    ids = select(_classes.c.id).where(*conditions)
    return Listing.of(ids.order_by(*_LATEST), ids)


def _asked(status: bool, search: bool) -> tuple:
    """The conditions of the coordinator's filters, their values parameters."""
    return (_classes.c.status == bindparam("status") if status else true(),
            _classes.c.search_text.contains(bindparam("search"), escape=like.ESCAPE)
            if search else true())


@cache
def _class_page(status: bool, search: bool) -> Listing:
    return _classes_where(*_asked(status, search))


def class_page(status: str | None, q: str, page: int, size: int, condition=None
               ) -> tuple[list, int]:
    """One page of the coordinator's class list (plain rows, `Listing`) and the total. Search
    (with or without diacritics) runs in the database on the folded code, title and place.
    `condition`: the coordinator's scope (`access.scope_condition`), None for the whole
    province (whose statements are built once per process)."""
    params = {}
    if status:
        params["status"] = status
    if q:  # contains, with the LIKE wildcards of the search escaped
        params["search"] = like.literal(fold(q))
    if condition is None:
        listing = _class_page(bool(status), bool(q))
    else:
        listing = _classes_where(condition, *_asked(bool(status), bool(q)))
    return paged(Asked(listing, params), page, size)


@cache
def _taught() -> Listing:
    assigned = select(class_trainers.c.class_id).where(
        class_trainers.c.user_id == bindparam("trainer_id"))
    # In the classes' order from the index on (user_id, starts_on, class_id) alone: each
    # assignment holds its class's start date (kept by triggers, app/classes/start_triggers.py;
    # a trainer's 2,000 classes were sorted to choose a page, 0.6 ms of SQLite). Counted from
    # the same index (each row has its class), not the classes they name.
    return Listing.of(assigned.order_by(class_trainers.c.starts_on.desc(),
                                        class_trainers.c.class_id.desc()), assigned)


def taught(trainer_id: int) -> Asked:
    """The classes a trainer teaches, the latest first."""
    return Asked(_taught(), {"trainer_id": trainer_id})


@cache
def _applications_of() -> Listing:
    mine = select(_applications.c.id).where(
        _applications.c.cadre_id == bindparam("cadre_id"))
    # In the classes' order without reading them: each application holds its class's start
    # date (`starts_on`, kept by triggers, app/classes/start_triggers.py), and the index on
    # (cadre_id, starts_on, class_id) gives the page in this order, the database stopping
    # there (it read and sorted all of the learner's applications with their classes' dates:
    # 0.35 ms of SQLite for 2,000, ten times that for 20,000; now 0.03 ms). The count reads
    # the same index.
    return Listing.of(mine.order_by(_applications.c.starts_on.desc(),
                                    _applications.c.class_id.desc()), mine)


def applications_of(cadre_id: int) -> Asked:
    """A cadre's applications with their classes, the latest class first."""
    return Asked(_applications_of(), {"cadre_id": cadre_id})


_cadres = Cadre.__table__
_LEARNER = select(_cadres.c.id, _cadres.c.commune_id, _cadres.c.active).where(
    _cadres.c.user_id == bindparam("user_id"))


def learner_cadre(user_id: int):
    """The cadre a learner's account is linked to, as their class list needs it: a plain row
    (`id`, `commune_id`, `active`), or None. Built once, of the table: the account's
    `cadre`, a lazy load of the cadre's every column as an ORM object, was about 0.3 ms of
    the page (`access.cadre_of` stays for what needs the object)."""
    return db.session.execute(_LEARNER, {"user_id": user_id}).first()


@cache
def _open_to() -> Listing:
    today = bindparam("today", type_=Date)
    in_window = and_(or_(_classes.c.apply_from.is_(None), _classes.c.apply_from <= today),
                     or_(_classes.c.apply_until.is_(None), _classes.c.apply_until >= today))
    # In this order (SQLite tests the conditions as written): not yet applied, then invited, a
    # probe of the (class, unit) key (EXISTS: an IN over the commune's invitations built the
    # list of all of them first). A learner who applied to all of 2,000 open classes: 1.6 ms
    # of SQLite became 0.7; one who applied to none: 0.5 ms became 0.05, the first 50 found.
    # Not yet applied: NOT IN the learner's classes (`class_id` is never null), read once from
    # the index on (cadre_id, starts_on, class_id), not a NOT EXISTS. The same on SQLite (a
    # list built once, or a probe of the (class, cadre) key per class: 0.75 ms either way for
    # the benchmark's learner, who applied to every open class), but PostgreSQL's generic
    # plan of a NOT EXISTS (psycopg prepares a statement run five times on a connection, and
    # the plan for a cadre of a few applications is then kept) joined every open class with
    # every one of the learner's applications: 0.5 s for 2,000 by 2,000. NOT IN is a hashed
    # list of them whatever the plan (1.8 ms), and the classes are read in order to the page.
    ids = select(_classes.c.id).where(
        _classes.c.status.in_(written.words(st.TAKES_APPLICATIONS)),
        or_(_classes.c.status == written.word("open"), in_window),
        _classes.c.id.not_in(select(_applications.c.class_id).where(
            _applications.c.cadre_id == bindparam("cadre_id"))),
        select(class_units.c.class_id).where(
            class_units.c.class_id == _classes.c.id,
            class_units.c.unit_id.in_(bindparam("communes", expanding=True))).exists())
    return Listing.of(ids.order_by(*_LATEST), ids)


def open_to(cadre_id: int, commune_ids: set[int], today: date) -> Asked:
    """The classes a cadre may apply to today and has not applied to, the latest first: taking
    applications (open, or allocated within its window), inviting one of `commune_ids` (the
    cadre's commune and the units merged into or with it: `enrolment.same_commune`). SQL
    of `TrainingClass.takes_applications` and `enrolment.eligibility_problem`."""
    return Asked(_open_to(), {"cadre_id": cadre_id, "communes": sorted(commune_ids),
                              "today": today})


def rows_of(query: Select, order=LATEST_FIRST, limit: int | None = None) -> list:
    """The rows of a select of classes in `order` (the select's own), cut to `limit`: plain
    rows of LIST_COLUMNS, the ids chosen first as `Listing` does."""
    ids = query.with_only_columns(TrainingClass.id, maintain_column_froms=True).limit(
        None if limit is None else written.number(limit))
    return list(db.session.execute(
        select(*LIST_COLUMNS).where(TrainingClass.id.in_(ids.scalar_subquery()))
        .order_by(*order)))


@dataclass
class Coordination:
    """The coordinator's home card: the classes in progress, their active applications
    (`counts[id]["active"]`, as `application_counts` gives it), and those waiting for the
    allocation (window closed)."""

    classes: list[TrainingClass]
    counts: dict[int, dict[str, int]]
    to_allocate: set[int]


@cache
def _application_counts() -> Select:
    return (select(_applications.c.class_id, _applications.c.status, func.count())
            .where(_applications.c.class_id.in_(bindparam("class_ids", expanding=True)))
            .group_by(_applications.c.class_id, _applications.c.status))


def application_counts(class_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per class: applications by status, in one grouped query (built once per process)."""
    if not class_ids:
        return {}
    counts: dict[int, dict[str, int]] = {i: {} for i in class_ids}
    for class_id, status, n in db.session.execute(_application_counts(),
                                                  {"class_ids": class_ids}):
        counts[class_id][status] = n
    for c in counts.values():
        c["active"] = c.get("applied", 0) + c.get("admitted", 0) + c.get("waitlisted", 0)
    return counts


class HistoryLine(NamedTuple):
    """An entry of a class's history as its pages show it: plain values, not the entry's and
    its author's objects."""

    at: datetime
    author: str | None  # the account's full name; None: the system
    summary: str
    reason: str | None


def class_history(class_id: int, limit: int = 200) -> list[HistoryLine]:
    """The class's seat and status changes, the latest first, with who made them; at most
    `limit`."""
    return [HistoryLine(*row) for row in db.session.execute(_class_history(limit),
                                                            {"class_id": class_id})]


@cache
def _class_history(limit: int) -> Select:
    """Built once per process (per limit), the class a parameter."""
    return (select(AuditEntry.at, User.full_name, AuditEntry.summary, AuditEntry.reason)
            .outerjoin(User, User.id == AuditEntry.user_id)
            .where(AuditEntry.object_type == "class",
                   AuditEntry.object_id == bindparam("class_id"),
                   AuditEntry.action.in_(SEAT_ACTIONS))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(written.number(limit)))


def waitlist_size(class_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Application).where(
        Application.class_id == class_id, Application.status == "waitlisted")) or 0



# The home page's cards: one statement each, built once per process per number of rows (the
# person a parameter). SQLAlchemy keeps a statement's cache key with it, so a request neither
# builds it nor works its key out again (`auth.models._signed_in_statement`). Plain rows of
# LIST_COLUMNS, as the class lists.


def ahead_of_trainer(trainer_id: int, limit: int) -> list:
    """The classes a trainer teaches that are still ahead or running, the soonest first
    (finished and cancelled ones are on the class list); the first `limit`."""
    return list(db.session.execute(_ahead_of_trainer(limit), {"trainer_id": trainer_id}))


@cache
def _ahead_of_trainer(limit: int) -> Select:
    # Not closed, written as the statuses that are not (`~TrainingClass.is_closed` is a NOT IN,
    # which no index serves): SQLite reads them from the index by status and start
    # (ix_classes_status_start), probes the trainer's row of class_trainers for each, and stops
    # each status at `limit` rows. A trainer of 2,000 classes in progress: 0.03 ms of SQL, where
    # reading all their classes first and sorting them took 0.56; a trainer of none reads the
    # index entries of the classes in progress alone.
    in_progress = sorted(set(st.STATUSES) - st.CLOSED)
    return (select(*LIST_COLUMNS)
            .where(TrainingClass.status.in_(in_progress),
                   exists().where(class_trainers.c.class_id == TrainingClass.id,
                                  class_trainers.c.user_id == bindparam("trainer_id")))
            .order_by(*SOONEST_FIRST).limit(written.number(limit)))


def latest_applications(cadre_id: int, limit: int) -> list:
    """A cadre's applications with their classes, the latest class first, as the class list
    shows them (`applications_of`); the first `limit` (the home page's card)."""
    return applications_of(cadre_id).rows(limit)


# The class page (`pages.detail_page`): its statements built once per process, the class's id
# a parameter. A lazy load builds its statement and works its key out on every request (a
# quarter of the page's time for the four collections); set from these instead, the page
# shows the same. Selectin loads of the collections cost more than the lazy loads, and joined
# to the class they made SQLite build the join of every class's units and trainers before
# picking this one's (10 ms).


class PageRead(NamedTuple):
    klass: TrainingClass
    active: int  # its applications still in the running (applied, admitted, waitlisted)


def read_for_page(class_id: int) -> PageRead | None:
    """The class with its course (joined) and its active applications counted, into the
    session with what its page shows (`load_page_parts`), or None. `access.load_class` then
    finds it there, without a statement, and holds the route to its checks."""
    found = db.session.execute(_page_class(), {"class_id": class_id}).first()
    if found is None:
        return None
    load_page_parts(found[0])
    return PageRead(*found)


def load_page_parts(klass: TrainingClass) -> None:
    """What the class page shows of the class and is not loaded yet: its course, invited
    units, trainers, sessions and required positions (with their positions), one statement
    each, set as its relationships would have been loaded."""
    unloaded = inspect(klass).unloaded
    for name, statement in _page_parts().items():
        if name in unloaded:
            found = db.session.scalars(statement, {"class_id": klass.id}).all()
            set_committed_value(klass, name, found if name != "course" else next(iter(found),
                                                                               None))


@cache
def _page_class() -> Select:
    return (select(TrainingClass, _active_of(TrainingClass.id))
            .options(joinedload(TrainingClass.course))
            .where(TrainingClass.id == bindparam("class_id")))


@cache
def _page_parts() -> dict[str, Select]:
    """{relationship: its statement}, in the relationships' own order (then by id)."""
    of_class = bindparam("class_id")
    return {
        "course": select(Course).join(TrainingClass, TrainingClass.course_id == Course.id)
        .where(TrainingClass.id == of_class),
        "invited_units": select(Unit).join(class_units, class_units.c.unit_id == Unit.id)
        .where(class_units.c.class_id == of_class).order_by(Unit.name, Unit.id),
        "trainers": select(User).join(class_trainers, class_trainers.c.user_id == User.id)
        .where(class_trainers.c.class_id == of_class).order_by(User.full_name, User.id),
        "sessions": select(ClassSession).where(ClassSession.class_id == of_class)
        .order_by(ClassSession.date, ClassSession.part.desc(), ClassSession.id),
        "required_roles": select(ClassRequiredPosition)
        .options(joinedload(ClassRequiredPosition.position))
        .where(ClassRequiredPosition.class_id == of_class)
        .order_by(ClassRequiredPosition.position_code),
    }


def active_applications(class_id: int) -> int:
    """The class's applications still in the running (applied, admitted, waitlisted)."""
    return db.session.scalar(_active_applications(), {"class_id": class_id}) or 0


@cache
def _active_applications() -> Select:
    return select(_active_of(bindparam("class_id")))


def _active_of(class_id):
    """The count of a class's active applications (`class_id`: a column or a parameter)."""
    return select(func.count()).where(
        Application.class_id == class_id,
        Application.status.in_(written.words(ACTIVE_APPLICATIONS))).scalar_subquery()


def coordination_in(today: date, scope: Scope) -> Coordination:
    """The coordinator's home card: the classes they are working on (not closed) within their
    scope, the soonest first, each with its active applications counted in the same statement.
    The statement is built once per scope (per process: the province's, and one per commune
    that has a coordinator)."""
    key = None if scope.whole else scope.unit_ids
    statement = _IN_PROGRESS.get(key)
    if statement is None:
        statement = _IN_PROGRESS[key] = _in_progress(scope_condition(scope))
    found = list(db.session.execute(statement))
    classes = [klass for klass, _ in found]
    return Coordination(classes, {klass.id: {"active": n} for klass, n in found},
                        {c.id for c in classes if c.waits_for_allocation(today)})


_IN_PROGRESS: dict[frozenset[int] | None, Select] = {}


def _in_progress(condition, limit: int = 6) -> Select:
    """`coordination_in`'s statement (`condition`: the scope's)."""
    return (select(TrainingClass, _active_of(TrainingClass.id))
            .where(~TrainingClass.is_closed, condition)
            .order_by(*SOONEST_FIRST).limit(written.number(limit)))
