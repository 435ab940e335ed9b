"""Read-only queries for the class pages (constant number of statements per page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, exists, func, inspect, or_, select
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
from app.core.paging import count_of
from app.courses.models import Course
from app.extensions import db
from app.people.models import Unit
from app.people.scope import Scope
from app.vietnamese import fold

SEAT_ACTIONS = ("class.allocate", "application.promote", "application.override",
                "application.withdraw", "application.nominate", "application.import",
                "application.create", "class.status", "class.capacity")


# The order of every class list: the latest first.
LATEST_FIRST = (TrainingClass.start_date.desc(), TrainingClass.id.desc())


def class_page(status: str | None, q: str, page: int, size: int, condition=None
               ) -> tuple[list, int]:
    """One page of the coordinator's class list (plain rows, `rows_of`) and the total. Search
    (with or without diacritics) runs in the database on the folded code, title and place.
    `condition`: the coordinator's scope (`access.scope_condition`)."""
    query = select(TrainingClass)
    if condition is not None:
        query = query.where(condition)
    if status:
        query = query.where(TrainingClass.status == status)
    if q:
        query = query.where(TrainingClass.search_text.contains(fold(q), autoescape=True))
    return paged(query.order_by(*LATEST_FIRST), page, size)


SOONEST_FIRST = (TrainingClass.start_date, TrainingClass.id)  # the home page's classes ahead


# What a class list (and a home page card) shows of a class: plain rows of these columns, not
# ORM objects of the class's forty (a page of 50 classes built 50 objects, each column set
# through the instrumentation: half of the learner's list). `status` is the class's.
LIST_COLUMNS = (TrainingClass.id, TrainingClass.code, TrainingClass.title, TrainingClass.place,
                TrainingClass.start_date, TrainingClass.end_date, TrainingClass.status,
                TrainingClass.capacity, TrainingClass.admitted_count, TrainingClass.apply_until)
# ... and of an application, beside its class's columns.
APPLICATION_COLUMNS = (Application.status.label("application_status"),
                       Application.waitlist_rank)


def rows_of(query: Select, order=LATEST_FIRST, limit: int | None = None, offset: int = 0
            ) -> list:
    """The rows of a select of classes, or of applications with their classes, in `order`
    (the select's own), cut to `limit` from `offset`: plain rows of LIST_COLUMNS (with
    APPLICATION_COLUMNS for applications). The ids are chosen by the select reading ids alone
    and the rows read by those ids, in one statement: the database sorts ids, not whole rows
    (a learner's 2,000 applications with their classes: 5.6 ms of SQLite, 1.5 so), and the
    select's conditions are not evaluated again for the rows."""
    model = query.column_descriptions[0]["entity"]
    ids = (query.with_only_columns(model.id, maintain_column_froms=True)
           .limit(limit).offset(offset or None).scalar_subquery())
    if model is Application:
        rows = select(*LIST_COLUMNS, *APPLICATION_COLUMNS).join_from(
            Application, TrainingClass, Application.class_id == TrainingClass.id)
    else:
        rows = select(*LIST_COLUMNS)
    return list(db.session.execute(rows.where(model.id.in_(ids)).order_by(*order)))


def paged(query: Select, page: int, size: int, counted: Select | None = None
          ) -> tuple[list, int]:
    """One page of a class list (a select of classes or of applications, the latest first,
    `rows_of`) and the total, both in SQL. A page that is not full tells the total itself,
    so only a full page, or an empty one beyond the first, is counted: `counted`, the same
    rows without what only their order needs (`mine_counted`), or `query`."""
    offset = (page - 1) * size
    rows = rows_of(query, limit=size, offset=offset)
    if 0 < len(rows) < size or (not rows and page == 1):
        return rows, offset + len(rows)
    return rows, count_of(query if counted is None else counted)


def taught(trainer_id: int) -> Select:
    """The classes a trainer teaches, the latest first."""
    return select(TrainingClass).where(TrainingClass.id.in_(
        select(class_trainers.c.class_id).where(class_trainers.c.user_id == trainer_id))
    ).order_by(*LATEST_FIRST)


def taught_counted(trainer_id: int) -> Select:
    """`taught` to count: the trainer's rows of class_trainers alone (each has its class), read
    from the index by trainer, not the classes they name."""
    return select(class_trainers).where(class_trainers.c.user_id == trainer_id)


def applications_of(cadre_id: int) -> Select:
    """A cadre's applications, the latest class first (`rows_of` reads them with their
    classes)."""
    return (select(Application).join(Application.training_class)
            .where(Application.cadre_id == cadre_id).order_by(*LATEST_FIRST))


def mine_counted(cadre_id: int) -> Select:
    """`applications_of` to count: without the classes, which only its order needs (every
    application has its class), the count reads the index by cadre alone."""
    return select(Application).where(Application.cadre_id == cadre_id)


def open_to(cadre_id: int, commune_ids: set[int], today: date) -> Select:
    """The classes a cadre may apply to today and has not applied to, the latest first: taking
    applications (open, or allocated within its window), inviting one of `commune_ids` (the
    cadre's commune and the units merged into or with it: `enrolment.same_commune`). SQL
    of `TrainingClass.takes_applications` and `enrolment.eligibility_problem`."""
    in_window = and_(or_(TrainingClass.apply_from.is_(None), TrainingClass.apply_from <= today),
                     or_(TrainingClass.apply_until.is_(None),
                         TrainingClass.apply_until >= today))
    # Two probes per class, in this order (SQLite tests the conditions as written): not yet
    # applied, a probe of the (class, cadre) key (NOT EXISTS, not NOT IN); then invited, a
    # probe of the (class, unit) key (EXISTS: an IN over the commune's invitations built the
    # list of all of them first). A learner who applied to all of 2,000 open classes: 1.6 ms
    # of SQLite became 0.7; one who applied to none: 0.5 ms became 0.05, the first 50 found.
    return select(TrainingClass).where(
        TrainingClass.status.in_(sorted(st.TAKES_APPLICATIONS)),
        or_(TrainingClass.status == "open", in_window),
        ~select(Application.id).where(Application.class_id == TrainingClass.id,
                                      Application.cadre_id == cadre_id).exists(),
        select(class_units.c.class_id).where(
            class_units.c.class_id == TrainingClass.id,
            class_units.c.unit_id.in_(sorted(commune_ids))).exists(),
    ).order_by(*LATEST_FIRST)


@dataclass
class Coordination:
    """The coordinator's home card: the classes in progress, their active applications
    (`counts[id]["active"]`, as `application_counts` gives it), and those waiting for the
    allocation (window closed)."""

    classes: list[TrainingClass]
    counts: dict[int, dict[str, int]]
    to_allocate: set[int]


def application_counts(class_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per class: applications by status, in one grouped query."""
    if not class_ids:
        return {}
    counts: dict[int, dict[str, int]] = {i: {} for i in class_ids}
    for class_id, status, n in db.session.execute(
            select(Application.class_id, Application.status, func.count())
            .where(Application.class_id.in_(class_ids))
            .group_by(Application.class_id, Application.status)):
        counts[class_id][status] = n
    for c in counts.values():
        c["active"] = c.get("applied", 0) + c.get("admitted", 0) + c.get("waitlisted", 0)
    return counts


def class_history(class_id: int, limit: int = 200) -> list[AuditEntry]:
    """The class's seat and status changes, the latest first, with who made them (joined: a
    lazy load per author before); at most `limit`."""
    return list(db.session.scalars(_class_history(limit), {"class_id": class_id}).unique())


@cache
def _class_history(limit: int) -> Select:
    """Built once per process (per limit), the class a parameter."""
    return (select(AuditEntry).options(joinedload(AuditEntry.user))
            .where(AuditEntry.object_type == "class",
                   AuditEntry.object_id == bindparam("class_id"),
                   AuditEntry.action.in_(SEAT_ACTIONS))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))


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
            .order_by(*SOONEST_FIRST).limit(limit))


def latest_applications(cadre_id: int, limit: int) -> list:
    """A cadre's applications with their classes, the latest class first (as the class list
    shows them, `applications_of`); the first `limit`."""
    return list(db.session.execute(_latest_applications(limit), {"cadre_id": cadre_id}))


@cache
def _latest_applications(limit: int) -> Select:
    # The ids chosen first, as `rows_of` does: from the index by cadre, which holds the class
    # id (a learner's 2,000 applications: 0.46 ms of the card against 0.73 reading each row).
    ids = (select(Application.id).join(TrainingClass, TrainingClass.id == Application.class_id)
           .where(Application.cadre_id == bindparam("cadre_id"))
           .order_by(*LATEST_FIRST).limit(limit).scalar_subquery())
    return (select(*LIST_COLUMNS, *APPLICATION_COLUMNS)
            .join_from(Application, TrainingClass, Application.class_id == TrainingClass.id)
            .where(Application.id.in_(ids)).order_by(*LATEST_FIRST))


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
        Application.status.in_(ACTIVE_APPLICATIONS)).scalar_subquery()


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
            .order_by(*SOONEST_FIRST).limit(limit))
