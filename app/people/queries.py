"""Cadre list queries shared by the list page and the export."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, column, func, or_, select, table, text
from sqlalchemy.orm import aliased

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


def cadre_select(filters: CadreFilters, scope=None, family: list[int] | None = None) -> Select:
    """The cadres these filters select, within `scope` (people/scope.py; None: all).
    `family`: the chosen commune's family when the caller has read it already."""
    query = select(Cadre)
    if scope is not None and not scope.whole:
        query = query.where(scope.cadre_condition())
    if filters.q:
        folded = fold(filters.q)
        digits = "".join(ch for ch in filters.q if ch.isdigit())
        conditions = [_name_matches(folded)]
        if len(digits) >= 4:
            conditions.append(Cadre.phone.contains(digits, autoescape=True))
        query = query.where(or_(*conditions))
    if filters.commune:
        query = query.where(Cadre.commune_id.in_(
            family if family is not None else commune_family_ids(filters.commune)))
    if filters.village:
        query = query.where(Cadre.village_id == filters.village)
    if filters.gender:
        query = query.where(Cadre.gender == filters.gender)
    if filters.position:
        query = query.where(Cadre.position_id == filters.position)
    if filters.ethnicity:
        query = query.where(Cadre.ethnicity_code == filters.ethnicity)
    if filters.status != "all":
        query = query.where(Cadre.active.is_(filters.status == "active"))
    return query


def _name_matches(folded: str):
    """The condition on Cadre: the folded name contains `folded`. On SQLite, a search of three
    characters or more reads the matching ids from the FTS5 trigram index
    (people/search_index.py `match`: a few of its rarer trigrams, the candidates then
    checked with instr(), or the whole phrase) rather than every name; a shorter one, which
    has no trigram, reads them from the narrow index on `name_search` alone (name and id)
    with instr() (the same test as LIKE on folded names, without its escapes). On PostgreSQL
    the trigram index (ix_cadres_name_trigram) serves LIKE on the table itself."""
    dialect = db.engine.dialect.name
    if search_index.usable(dialect, folded):
        query, check = search_index.match(folded)
        found = Cadre.id.in_(select(column("rowid")).select_from(table(search_index.TABLE))
                             .where(text(f"{search_index.TABLE} MATCH :phrase")
                                    .bindparams(phrase=query)))
        return and_(found, func.instr(Cadre.name_search, folded) > 0) if check else found
    if dialect == "sqlite":
        named = aliased(Cadre)
        return Cadre.id.in_(select(named.id).where(func.instr(named.name_search, folded) > 0))
    return Cadre.name_search.contains(folded, autoescape=True)


def ordered(query: Select) -> Select:
    return query.order_by(Cadre.sort_key, Cadre.id)


def page_of(filters: CadreFilters, page: int, size: int, scope=None
            ) -> tuple[list[Cadre], int]:
    """One page of cadres in Vietnamese name order (with what their lines show: position,
    commune, village), and the total count (`_page`)."""
    return _page(filters, page, size, scope, lambda query: query.options(*cadre_facts()), True)


def line_page(filters: CadreFilters, page: int, size: int, scope=None) -> tuple[list, int]:
    """`page_of` as plain rows of what the cadre list shows (`line_columns`), no ORM object
    made: loading 50 cadres with their position, commune and village as objects was most
    of the list's time in the database layer."""
    return _page(filters, page, size, scope, line_columns, False)


@lru_cache(maxsize=1)
def _places():
    """The commune and the village of a line (made on first use: an alias made on import
    would configure the mappers before every model is imported)."""
    return aliased(Unit, name="commune"), aliased(Unit, name="village")


def line_columns(query: Select) -> Select:
    """The cadres of `query` as rows of what a line of the list shows, named as on `Cadre`
    where they are its own (people/visibility.py reads `user_id`, `commune_id`, `phone`,
    `birth_date` and `birth_year` from them)."""
    commune, village = _places()
    return (query.with_only_columns(
        Cadre.id, Cadre.full_name, Cadre.gender, Cadre.birth_date, Cadre.birth_year,
        Cadre.ethnicity_code, Cadre.phone, Cadre.active, Cadre.commune_id, Cadre.user_id,
        Position.name.label("position"), Position.village_leader,
        commune.category.label("commune_category"), commune.name.label("commune_name"),
        village.category.label("village_category"), village.name.label("village_name"))
        .join_from(Cadre, Position, Position.id == Cadre.position_id, isouter=True)
        .join_from(Cadre, commune, commune.id == Cadre.commune_id, isouter=True)
        .join_from(Cadre, village, village.id == Cadre.village_id, isouter=True))


def _page(filters: CadreFilters, page: int, size: int, scope, shape, entities: bool
          ) -> tuple[list, int]:
    """One page of the cadres these filters select, in Vietnamese name order, `shape`d (the
    loader options or the columns), and the total count.

    The total comes from the kept counters (people/counts.py) when they can say it (no search,
    village or ethnic group: a sum over a few counter rows instead of a count of 100,000
    cadres); otherwise it is counted over the matched cadres in the page's own statement
    (`count(*) OVER ()`: the matches are found once, not once for the count and once for the
    page), and by a count of its own only for a page past the end."""
    family = commune_family_ids(filters.commune) if filters.commune else None
    query = cadre_select(filters, scope, family)
    page_query = shape(ordered(query)).limit(size).offset((page - 1) * size)
    if counts.countable(filters):
        result = db.session.execute(page_query)
        rows = result.scalars().unique().all() if entities else result.all()
        return list(rows), counts.total(filters, scope, family)
    result = db.session.execute(page_query.add_columns(func.count().over().label("total")))
    found = result.unique().all() if entities else result.all()
    if found:
        return [row[0] for row in found] if entities else found, found[0].total
    total = 0 if page == 1 else db.session.scalar(
        select(func.count()).select_from(query.subquery()))
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


def commune_choices(scope=None) -> list[CommuneChoice]:
    """`communes` as plain rows for a filter's choices (no Unit object made)."""
    if scope is None or scope.whole:
        rows = db.session.execute(_commune_choices_select(False)).all()
    else:
        rows = db.session.execute(_commune_choices_select(True),
                                  {"ids": sorted(scope.commune_ids)}).all()
    rows.sort(key=lambda u: _commune_order(u.successor_id, u.name))
    out = []
    for row in rows:
        out.append(CommuneChoice(row.id, capitalised(unit_title(row.category, row.name)),
                                 row.successor_id is not None))
    return out


@lru_cache(maxsize=2)
def _commune_choices_select(scoped: bool) -> Select:
    """Built once per process (SQLAlchemy keeps a statement's cache key with it); `scoped`:
    the communes whose ids are the parameter `ids`."""
    query = select(Unit.id, Unit.category, Unit.name, Unit.successor_id).where(
        Unit.kind == "commune")
    return query.where(Unit.id.in_(bindparam("ids", expanding=True))) if scoped else query


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
