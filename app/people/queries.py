"""Cadre list queries shared by the list page and the export."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, column, func, or_, select, table, text

from app.core import like, written
from app.extensions import db
from app.numbers import parse_id
from app.people import counts, search_index
from app.people.models import Cadre, Position, Unit, cadre_facts, capitalised, unit_title
from app.vietnamese import fold, text_sort_key


@dataclass
class CadreFilters:
    q: str = ""
    commune: int | None = None
    village: int | None = None
    gender: str | None = None
    position: int | None = None
    ethnicity: str | None = None
    status: str = "active"  # active, inactive, all

    @classmethod
    def from_args(cls, args) -> CadreFilters:
        def as_int(name):  # an id, else no filter
            return parse_id(args.get(name, ""))

        gender = args.get("gender") if args.get("gender") in ("F", "M") else None
        status = args.get("status") if args.get("status") in ("active", "inactive", "all") \
            else "active"
        return cls(q=(args.get("q") or "").strip()[:100], commune=as_int("commune"),
                   village=as_int("village"), gender=gender, position=as_int("position"),
                   ethnicity=(args.get("ethnicity") or None), status=status)

    def as_args(self) -> dict:
        out = {"q": self.q, "commune": self.commune, "village": self.village,
               "gender": self.gender, "position": self.position, "ethnicity": self.ethnicity,
               "status": None if self.status == "active" else self.status}
        return {k: v for k, v in out.items() if v not in (None, "")}


def village_choices(filters: CadreFilters) -> list[Unit]:
    """The villages the village filter may choose from (those of the chosen commune, after
    mergers). A village of another commune (the commune was changed, the village list was
    not: no JavaScript) or without a commune is dropped from the filters, so the list never
    turns up empty for a reason the user cannot see."""
    commune = db.session.get(Unit, filters.commune) if filters.commune else None
    villages = villages_of(commune) if commune is not None and commune.kind == "commune" else []
    if filters.village and filters.village not in {v.id for v in villages}:
        filters.village = None
    return villages


def commune_family_ids(commune_id: int) -> list[int]:
    """The commune and every unit merged into it (recursively): history rolls up."""
    ids, frontier = [commune_id], [commune_id]
    while frontier:
        found = db.session.scalars(select(Unit.id).where(Unit.successor_id.in_(frontier)))
        frontier = [i for i in found if i not in ids]  # a cycle must never loop forever
        ids.extend(frontier)
    return ids


class _Shape(NamedTuple):
    """Which conditions a set of filters puts on the cadres (not their values): the statements
    of a shape are built once per process (`_conditions`), the values passed as parameters
    (`_bound`). Building a statement and working out its cache key cost SQLAlchemy about a
    millisecond a page; it keeps the key with a statement built once."""

    dialect: str
    scoped: bool  # within a commune's family (people/scope.py)
    search: str | None  # how the name is matched: "index", "index+check", "instr", "like",
    # "like+check"
    phone: bool  # or the phone holds the search's digits
    commune: bool
    village: bool
    gender: bool
    position: bool
    ethnicity: bool
    status: str  # active, inactive, all


def _bound(filters: CadreFilters, scope=None, family: list[int] | None = None
           ) -> tuple[_Shape, dict]:
    """The shape of these filters within `scope` (people/scope.py; None: all), and the values
    of its parameters. `family`: the chosen commune's family when the caller has read it
    already."""
    dialect = db.engine.dialect.name
    values: dict = {}
    scoped = scope is not None and not scope.whole
    if scoped:
        values["scope_ids"] = sorted(scope.commune_ids)
    search = None
    phone = False
    if filters.q:
        folded = fold(filters.q)
        digits = "".join(ch for ch in filters.q if ch.isdigit())
        search, values["folded"] = _name_search(dialect, folded)
        if search == "index":
            values["phrase"], check = search_index.match(folded)
            if check:
                search = "index+check"
            else:
                del values["folded"]
        elif search == "like" and (pieces := search_index.pieces(folded)) is not None:
            search, values["folded"] = "like+check", folded
            values["pieces"] = "%" + "%".join(map(like.literal, pieces)) + "%"
        if len(digits) >= 4:
            phone, values["digits"] = True, like.literal(digits)
    if filters.commune:
        values["family"] = family if family is not None else commune_family_ids(filters.commune)
    for name in ("village", "gender", "position", "ethnicity"):
        if getattr(filters, name):
            values[name] = getattr(filters, name)
    return _Shape(dialect, scoped, search, phone, bool(filters.commune), bool(filters.village),
                  bool(filters.gender), bool(filters.position), bool(filters.ethnicity),
                  filters.status), values


def _name_search(dialect: str, folded: str) -> tuple[str, str]:
    """How a search for the folded name `folded` is matched, and its parameter `folded`.
    On SQLite, a search of three characters or more reads the matching ids from the FTS5
    trigram index (people/search_index.py `match`: a few of its rarer trigrams, the
    candidates then checked with instr(), or the whole phrase) rather than every name; a
    shorter one, which has no trigram, reads them from the narrow index on `name_search`
    alone (name and id) with instr() (the same test as LIKE on folded names, without its
    escapes). On PostgreSQL the trigram index (ix_cadres_name_trigram) serves LIKE on the
    table itself (for a few rarer pieces of the search, `search_index.pieces`, when it has
    them)."""
    if search_index.usable(dialect, folded):
        return "index", folded
    if dialect == "sqlite":
        return "instr", folded
    return "like", like.literal(folded)


def _conditions(shape: _Shape) -> list:
    """The conditions on the cadres of a shape, with its parameters unset (`_bound` gives
    them). On the table's columns (`Cadre.__table__`), not the mapped attributes: a statement
    of them alone is run by SQLAlchemy Core, without the ORM's work per execution (about
    0.2 ms a statement of plain rows); they serve a select of `Cadre` objects as well."""
    from app.people.scope import cadres_within  # scope.py reads this module

    cadre = Cadre.__table__.c
    conditions = []
    if shape.scoped:
        conditions.append(cadres_within(bindparam("scope_ids", expanding=True)))
    if shape.search is not None:
        folded = bindparam("folded")
        if shape.search.startswith("index"):
            name = cadre.id.in_(select(column("rowid")).select_from(table(search_index.TABLE))
                                .where(text(f"{search_index.TABLE} MATCH :phrase")))
            if shape.search == "index+check":
                name = and_(name, func.instr(cadre.name_search, folded) > 0)
        elif shape.search == "instr":
            named = Cadre.__table__.alias("cadres_1").c
            name = cadre.id.in_(select(named.id).where(func.instr(named.name_search, folded) > 0))
        elif shape.search == "like+check":  # PostgreSQL: a few rarer pieces, then checked
            name = and_(cadre.name_search.like(bindparam("pieces"), escape=like.ESCAPE),
                        func.strpos(cadre.name_search, folded) > 0)
        else:
            name = cadre.name_search.contains(folded, escape=like.ESCAPE)
        if shape.phone:
            name = or_(name, cadre.phone.contains(bindparam("digits"), escape=like.ESCAPE))
        conditions.append(name)
    if shape.commune:
        conditions.append(cadre.commune_id.in_(bindparam("family", expanding=True)))
    if shape.village:
        conditions.append(cadre.village_id == bindparam("village"))
    if shape.gender:
        conditions.append(cadre.gender == bindparam("gender"))
    if shape.position:
        conditions.append(cadre.position_id == bindparam("position"))
    if shape.ethnicity:
        conditions.append(cadre.ethnicity_code == bindparam("ethnicity"))
    if shape.status != "all":
        conditions.append(cadre.active.is_(shape.status == "active"))
    return conditions


def cadre_select(filters: CadreFilters, scope=None, family: list[int] | None = None) -> Select:
    """The cadres these filters select, within `scope` (people/scope.py; None: all).
    `family`: the chosen commune's family when the caller has read it already."""
    shape, values = _bound(filters, scope, family)
    return select(Cadre).where(*_conditions(shape)).params(values)


def ordered(query: Select) -> Select:
    cadre = Cadre.__table__.c
    return query.order_by(cadre.sort_key, cadre.id)


def page_of(filters: CadreFilters, page: int, size: int, scope=None
            ) -> tuple[list[Cadre], int]:
    """One page of cadres in Vietnamese name order (with what their lines show: position,
    commune, village), and the total count (`_page`)."""
    return _page(filters, page, size, scope, "cadres")


def line_page(filters: CadreFilters, page: int, size: int, scope=None) -> tuple[list, int]:
    """`page_of` as plain rows of what the cadre list shows (`LINE`), no ORM object made:
    loading 50 cadres with their position, commune and village as objects was most of the
    list's time in the database layer."""
    return _page(filters, page, size, scope, "lines")


# The columns of a row of `line_page`, in order (people/list_rows.py unpacks them).
LINE = ("id", "full_name", "gender", "birth_date", "birth_year", "ethnicity_code", "phone",
        "active", "commune_id", "user_id", "position", "village_leader", "commune_category",
        "commune_name", "village_category", "village_name")


def line_columns(query: Select) -> Select:
    """The cadres of `query` as rows of what a line of the list shows (`LINE`), named as on
    `Cadre` where they are its own; from the tables (a Core statement: `_conditions`)."""
    cadres, positions = Cadre.__table__, Position.__table__
    communes, villages = Unit.__table__.alias("commune"), Unit.__table__.alias("village")
    cadre, position, commune, village = cadres.c, positions.c, communes.c, villages.c
    return (query.with_only_columns(
        cadre.id, cadre.full_name, cadre.gender, cadre.birth_date, cadre.birth_year,
        cadre.ethnicity_code, cadre.phone, cadre.active, cadre.commune_id, cadre.user_id,
        position.name.label("position"), position.village_leader,
        commune.category.label("commune_category"), commune.name.label("commune_name"),
        village.category.label("village_category"), village.name.label("village_name"))
        .select_from(cadres.outerjoin(positions, position.id == cadre.position_id)
                     .outerjoin(communes, commune.id == cadre.commune_id)
                     .outerjoin(villages, village.id == cadre.village_id)))


@lru_cache(maxsize=256)
def _page_statement(shape: _Shape, kind: str, counted: bool) -> Select:
    """A page of the cadres of `shape`, in name order, as `kind` ("lines": `line_columns`;
    "cadres": objects with what their lines show), from the parameters `limit` and `offset`;
    `counted`: with the total of the matches (`_counted_page`). Built once per process."""
    if counted:
        conditions, page = (), _counted_page(shape)
    else:
        conditions, page = _conditions(shape), None
    if kind == "lines":
        query = line_columns(ordered(select(Cadre.__table__).where(*conditions)))
    else:
        query = ordered(select(Cadre).where(*conditions)).options(*cadre_facts())
    if page is None:
        return query.limit(written.LIMIT).offset(written.OFFSET)
    return query.join(page, page.c.id == Cadre.__table__.c.id).add_columns(page.c.total)


def _counted_page(shape: _Shape):
    """The ids of a page of the cadres of `shape` with the total of the matches
    (`count(*) OVER ()`: the matches are found once, for the page and its count), chosen in a
    subquery of their own, in the order of the subquery's columns.

    With the count beside the page in one select, PostgreSQL's planner costed the LIMIT as
    stopping early, although the count reads every match first: when it guessed the matches
    many (a search's estimate comes from the sampled names, and moved from one ANALYZE to the
    next), it walked the whole index on the name order to find them, 130 ms at 100,000
    cadres instead of 2 (docs/SPEED.md). In this order no index can serve the page, so the
    matches are found by the cheapest way of finding them all, then sorted. The page's rows
    are read by these ids."""
    cadre = Cadre.__table__.c
    matched = select(cadre.id, cadre.sort_key, func.count().over().label("total")) \
        .where(*_conditions(shape)).subquery("matched")
    return (select(matched.c.id, matched.c.total)
            .order_by(matched.c.sort_key, matched.c.id)
            .limit(written.LIMIT).offset(written.OFFSET).subquery("page"))


def _page(filters: CadreFilters, page: int, size: int, scope, kind: str) -> tuple[list, int]:
    """One page of the cadres these filters select, in Vietnamese name order, as `kind`
    (`_page_statement`), and the total count.

    The total comes from the kept counters (people/counts.py) when they can say it (no search,
    village or ethnic group: a sum over a few counter rows instead of a count of 100,000
    cadres); otherwise it is counted over the matched cadres in the page's own statement
    (`count(*) OVER ()`: the matches are found once, not once for the count and once for the
    page), and by a count of its own only for a page past the end."""
    family = commune_family_ids(filters.commune) if filters.commune else None
    shape, values = _bound(filters, scope, family)
    countable = counts.countable(filters)
    result = db.session.execute(_page_statement(shape, kind, not countable),
                                {**values, "limit": size, "offset": (page - 1) * size})
    entities = kind == "cadres"
    if countable:
        rows = result.scalars().unique().all() if entities else result.all()
        return list(rows), counts.total(filters, scope, family)
    found = result.unique().all() if entities else result.all()
    if found:
        return [row[0] for row in found] if entities else found, found[0].total
    total = 0 if page == 1 else db.session.scalar(
        select(func.count()).select_from(select(Cadre.__table__.c.id).where(*_conditions(shape))
                                          .subquery()), values)
    return [], total


def communes(current_only: bool = False, scope=None) -> list[Unit]:
    """Communes (within `scope`, people/scope.py, when given)."""
    query = select(Unit).where(Unit.kind == "commune")
    if current_only:
        query = query.where(Unit.successor_id.is_(None))
    if scope is not None and not scope.whole:
        query = query.where(Unit.id.in_(sorted(scope.commune_ids)))
    units = db.session.scalars(query).all()
    return sorted(units, key=lambda u: _commune_order(u.successor_id, u.name))


class CommuneChoice(NamedTuple):
    id: int
    title_cap: str
    former: bool  # merged into another


def commune_choices(scope=None) -> tuple[CommuneChoice, ...]:
    """`communes` as plain rows for a filter's choices (no Unit object made)."""
    if scope is None or scope.whole:
        rows = db.session.execute(_commune_choices_select(False)).all()
    else:
        rows = db.session.execute(_commune_choices_select(True),
                                  {"ids": sorted(scope.commune_ids)}).all()
    return _commune_choices_of(tuple(tuple(row) for row in rows))


@lru_cache(maxsize=256)
def _commune_choices_of(rows: tuple) -> tuple[CommuneChoice, ...]:
    """The choices of the rows (id, category, name, successor) in the communes' order: the
    same few rows on every page of the cadre list (a pure function of them)."""
    ordered_rows = sorted(rows, key=lambda row: _commune_order(row[3], row[2]))
    return tuple(CommuneChoice(id_, capitalised(unit_title(category, name)), successor is not None)
                 for id_, category, name, successor in ordered_rows)


@lru_cache(maxsize=2)
def _commune_choices_select(scoped: bool) -> Select:
    """Built once per process (SQLAlchemy keeps a statement's cache key with it), of the
    table's columns (run by Core, without the ORM's work per execution); `scoped`: the
    communes whose ids are the parameter `ids`."""
    unit = Unit.__table__.c
    query = select(unit.id, unit.category, unit.name, unit.successor_id).where(
        unit.kind == "commune")
    return query.where(unit.id.in_(bindparam("ids", expanding=True))) if scoped else query


def _commune_order(successor_id: int | None, name: str) -> tuple:
    """Current communes first, then former ones; each group by name."""
    return successor_id is not None, _name_order(name)


# A unit's name's place in the Vietnamese order: the same few names on every page of the
# cadre list, whose filter lists the communes (a pure function of the name).
_name_order = lru_cache(maxsize=4096)(text_sort_key)


def villages_of(commune: Unit) -> list[Unit]:
    """Villages of the commune, including those of the units merged into it."""
    parent_ids = commune_family_ids(commune.id)
    units = db.session.scalars(
        select(Unit).where(Unit.kind == "village", Unit.parent_id.in_(parent_ids))
    ).all()
    return sorted(units, key=lambda u: text_sort_key(u.name))


def villages_by_current_commune() -> list[tuple[Unit, list[Unit]]]:
    """Every current commune with its villages (its own and its predecessors'), in two
    queries whatever the number of communes: for the village choices of the cadre form."""
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.kind == "commune"))}
    villages = db.session.scalars(select(Unit).where(Unit.kind == "village")).all()
    grouped: dict[int, list[Unit]] = {}
    for village in villages:
        parent = units.get(village.parent_id)
        if parent is not None:
            grouped.setdefault(parent.current().id, []).append(village)
    current = sorted((u for u in units.values() if u.successor_id is None),
                     key=lambda u: text_sort_key(u.name))
    return [(c, sorted(grouped.get(c.id, []), key=lambda v: text_sort_key(v.name)))
            for c in current]
