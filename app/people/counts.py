"""Cadre figures read from the kept counters (`CadreCount`, kept by the triggers of
app/people/count_triggers.py) instead of counting the cadres.

A scope (people/scope.py) or a commune filter is a set of communes as recorded (a commune and
those merged into it), so a figure is a sum over a few dozen counter rows whatever the number
of cadres. What the counters cannot say (a name or phone search, a village, an ethnic group)
is counted by the list's own query (app/people/queries.py).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, case, func, select

from app.extensions import db
from app.people.models import Cadre, CadreCount, Position


def overview(scope=None) -> tuple[int, int, int]:
    """(active cadres, of them women, of them in a village-level position) within `scope`."""
    scoped = scope is not None and not scope.whole
    cadres, women, leaders = db.session.execute(
        overview_select(scoped), scope_values(scope)).one()
    return int(cadres), int(women), int(leaders)


def scope_values(scope) -> dict:
    """The parameters of `overview_select(scoped)` for `scope`."""
    if scope is None or scope.whole:
        return {}
    return {"scope_ids": sorted(scope.commune_ids)}


@lru_cache(maxsize=2)
def overview_select(scoped: bool):
    """`overview`'s statement, built once per process of the tables' columns (run by Core);
    scoped: its communes are the parameter `scope_ids` (`scope_values`)."""
    count, position = CadreCount.__table__.c, Position.__table__.c
    n = count.n
    query = select(
        func.coalesce(func.sum(n), 0),
        func.coalesce(func.sum(case((count.gender == "F", n), else_=0)), 0),
        func.coalesce(func.sum(case((position.village_leader.is_(True), n), else_=0)), 0),
    ).select_from(CadreCount.__table__.join(Position.__table__, position.id == count.position_id)
                  ).where(count.active.is_(True))
    if scoped:
        query = query.where(count.commune_id.in_(bindparam("scope_ids", expanding=True)))
    return query


def countable(filters) -> bool:
    """Whether the counters can say how many cadres these filters select."""
    return not (filters.q or filters.village or filters.ethnicity)


def total(filters, scope=None, commune_ids=None) -> int:
    """How many cadres `filters` (queries.CadreFilters, `countable`) select within `scope`;
    `commune_ids`: the chosen commune's family, when one is chosen."""
    scoped = scope is not None and not scope.whole
    values = {"gender": filters.gender, "position": filters.position}
    if scoped:
        values["scope_ids"] = sorted(scope.commune_ids)
    if commune_ids is not None:
        values["commune_ids"] = sorted(commune_ids)
    statement = _total_statement(scoped, commune_ids is not None, bool(filters.gender),
                                 bool(filters.position), filters.status)
    return int(db.session.scalar(statement, values))


@lru_cache(maxsize=64)
def _total_statement(scoped: bool, communes: bool, gender: bool, position: bool, status: str):
    """`total`'s statement for the filters it is given, built once per process (SQLAlchemy
    keeps a statement's cache key with it) of the table's columns (run by Core, without the
    ORM's work per execution); the values are parameters."""
    count = CadreCount.__table__.c
    query = select(func.coalesce(func.sum(count.n), 0))
    if scoped:
        query = query.where(count.commune_id.in_(bindparam("scope_ids", expanding=True)))
    if communes:
        query = query.where(count.commune_id.in_(bindparam("commune_ids", expanding=True)))
    if gender:
        query = query.where(count.gender == bindparam("gender"))
    if position:
        query = query.where(count.position_id == bindparam("position"))
    if status != "all":
        query = query.where(count.active.is_(status == "active"))
    return query


def compact(connection) -> bool:
    """On PostgreSQL, rewrite the counters' table into as few pages as its rows need, in the
    caller's transaction (after a large import, people/after_import.py); whether it did.

    Every cadre written moves a counter, and each move leaves the row's old version behind
    until a vacuum: 100,000 cadres loaded in one transaction left 360 counters spread over 541
    pages, which a vacuum empties but does not give back (the live rows are at the end), so
    every province-wide figure (the coordinator's home, the cadre list's total) read 541
    pages: 0.41 ms of the home page's statement, 0.22 on the table rewritten (docs/SPEED.md).
    TRUNCATE gives the table a new file, so the rows are copied aside and back. It needs the
    table to itself until the commit: when another transaction is using it, the table is left
    as it is (NOWAIT, inside a savepoint), rather than wait or deadlock. SQLite reuses a
    table's free pages: nothing to do there."""
    from sqlalchemy.exc import OperationalError

    if connection.dialect.name != "postgresql":
        return False
    try:
        with connection.begin_nested():
            for statement in _COMPACT:
                connection.exec_driver_sql(statement)
    except OperationalError:  # the lock not available at once
        return False
    return True


_COMPACT = (
    "LOCK TABLE cadre_counts IN ACCESS EXCLUSIVE MODE NOWAIT",
    "CREATE TEMPORARY TABLE cadre_counts_kept ON COMMIT DROP AS SELECT * FROM cadre_counts",
    "TRUNCATE cadre_counts",
    "INSERT INTO cadre_counts SELECT * FROM cadre_counts_kept",
    "DROP TABLE cadre_counts_kept",
)


def held_position_ids():
    """A select of the positions some cadre holds (active or not)."""
    count = CadreCount.__table__.c  # the table's columns: a statement of them is run by Core
    return select(count.position_id).where(count.n > 0)


def recount() -> dict[tuple, int]:
    """The counters as a count of the cadres would give them (tests; a check by hand)."""
    rows = db.session.execute(select(Cadre.commune_id, Cadre.position_id, Cadre.gender,
                                     Cadre.active, func.count())
                              .group_by(Cadre.commune_id, Cadre.position_id, Cadre.gender,
                                        Cadre.active))
    return {(c, p, g, bool(a)): n for c, p, g, a, n in rows}


def kept() -> dict[tuple, int]:
    """The counters as kept (rows fallen to zero left out)."""
    rows = db.session.execute(select(CadreCount.commune_id, CadreCount.position_id,
                                     CadreCount.gender, CadreCount.active, CadreCount.n)
                              .where(CadreCount.n != 0))
    return {(c, p, g, bool(a)): n for c, p, g, a, n in rows}
