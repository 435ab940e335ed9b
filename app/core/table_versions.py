"""Each table's version: a random number that every committed write to the table replaces, so
that a page made from some tables can be kept while none of them has changed
(app/core/page_cache.py).

The app's engine notes the tables each statement writes (the ORM's flushes, Core statements,
executemany, bulk loads); just before the transaction commits, the versions of those tables
are replaced in the same transaction (`table_versions`, one row per table, upserted in the
order of their names, so two writers never wait on each other in a circle). What the database
writes by itself is counted as written too: a table whose rows a foreign key deletes or
changes (ON DELETE CASCADE / SET NULL when the statement deletes, ON UPDATE CASCADE when it
updates or inserts, an upsert; read from the models) and what a trigger writes
(`TRIGGERS`, checked against the database's own triggers by the tests). A statement of plain
SQL that writes counts as a write to every table (`ANY`, which every kept page depends on).

The version is random, not a counter: a database restored from a backup, or another test's,
never shows a number that once stood for other rows. What is written outside taphuan (psql by
hand) changes no version: a kept page would show it after the next write through taphuan to
that table, or when the workers restart.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from sqlalchemy import BigInteger, String, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.util import find_tables

from app.extensions import db

ANY = "*"  # written by a statement of plain SQL: every table may have changed
# What the database's triggers write besides the table they are on (app/classes/
# start_triggers.py, app/people/count_triggers.py, app/people/search_index.py).
TRIGGERS = {
    "classes": ("applications", "class_trainers"),
    "cadres": ("cadre_counts", "cadres_name_fts"),
}
_WRITTEN = "taphuan_written"  # in a connection's info: the tables written in its transaction
_READING = "taphuan_reading"  # in a connection's info while a page is made: the tables read


class TableVersion(db.Model):
    """A table's version: replaced by every committed write to it."""

    __tablename__ = "table_versions"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


_READ = select(TableVersion.name, TableVersion.version)


def read(connection: Connection) -> dict[str, int]:
    """{table: version} of every table written since versions were kept."""
    return dict(connection.execute(_READ).all())


def writing(connection: Connection) -> bool:
    """Whether this connection's transaction has written something not yet committed."""
    return bool(connection.info.get(_WRITTEN))


def start_reading(connection: Connection) -> None:
    connection.info[_READING] = set()


def stop_reading(connection: Connection) -> set[str]:
    """The tables read since `start_reading` (`ANY` among them for plain SQL)."""
    return connection.info.pop(_READING, None) or {ANY}


def install(engine: Engine) -> None:
    """Note every statement's tables on `engine` and replace the versions at each commit."""
    implied = _implied()

    @event.listens_for(engine, "before_cursor_execute")
    def _note(conn, _cursor, statement, _parameters, context, _executemany):
        info = conn.info
        compiled = getattr(context, "compiled", None)
        if context is not None and (context.isinsert or context.isupdate or context.isdelete):
            table = getattr(getattr(compiled, "statement", None), "table", None)
            kind = "delete" if context.isdelete else "update" if context.isupdate \
                else _ANYHOW if _REPLACES.match(statement) else "insert"
            info.setdefault(_WRITTEN, set()).add((getattr(table, "name", ANY), kind))
        elif _writes(statement):
            info.setdefault(_WRITTEN, set()).add((ANY, _ANYHOW))
        reading = info.get(_READING)
        if reading is not None:
            reading.update(_tables_read(compiled))

    @event.listens_for(engine, "commit")
    def _commit(conn):
        written = conn.info.pop(_WRITTEN, None)
        if written:
            _replace(conn, sorted(_expand(written, implied)))

    @event.listens_for(engine, "rollback")
    def _rollback(conn):
        conn.info.pop(_WRITTEN, None)

    @event.listens_for(engine.pool, "reset")
    def _reset(_dbapi_connection, record, _reset_state):
        record.info.pop(_WRITTEN, None)
        record.info.pop(_READING, None)


_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|DROP|ALTER)\b|\s*WITH\b.*"
                    r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)


# SQLite's INSERT OR REPLACE deletes the rows it replaces: their foreign keys' ON DELETE acts
_REPLACES = re.compile(r"\s*(?:INSERT\s+OR\s+REPLACE|REPLACE)\b", re.IGNORECASE)


def _writes(statement: str) -> bool:
    """Whether a statement not compiled as an INSERT, UPDATE or DELETE writes (plain SQL)."""
    return _WRITE.match(statement) is not None


# {compiled statement: the tables it reads}: SQLAlchemy keeps a statement's compiled form and
# runs it again, so its tables are found once (walking a statement cost about 0.2 ms).
_TABLES_READ: WeakKeyDictionary = WeakKeyDictionary()


def _tables_read(compiled) -> Iterable[str]:
    statement = getattr(compiled, "statement", None)
    if statement is None:
        return (ANY,)
    tables = _TABLES_READ.get(compiled)
    if tables is None:
        tables = _TABLES_READ[compiled] = frozenset(
            {t.name for t in find_tables(statement, check_columns=True, include_aliases=True)
             if getattr(t, "name", None)} or {ANY})
    return tables


_ANYHOW = "any"  # a table written by a statement of any kind (a trigger's, plain SQL)


def _implied() -> dict[tuple[str, str], set[str]]:
    """{(table, kind of write): the tables the database changes with it}: a trigger's, on any
    write to its table; a foreign key's ON DELETE, on a DELETE of the rows it refers to; its
    ON UPDATE, on an UPDATE or an INSERT (which may be an upsert). An INSERT or an UPDATE fires
    no ON DELETE: a sign-in, an UPDATE
    of `users`, changes none of the tables whose rows name an account (which were all counted
    written at every sign-in, making every kept page again)."""
    out: dict[tuple[str, str], set[str]] = {}
    for name, more in TRIGGERS.items():
        for kind in ("insert", "update", "delete", _ANYHOW):
            out.setdefault((name, kind), set()).update(more)
    for table in db.metadata.tables.values():
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            # an INSERT … ON CONFLICT DO UPDATE updates: it counts as an UPDATE here
            for kinds, action in ((("delete",), fk.ondelete), (("update", "insert"), fk.onupdate)):
                if action:
                    for kind in (*kinds, _ANYHOW):
                        out.setdefault((parent, kind), set()).add(table.name)
    return out


def _expand(written: set[tuple[str, str]],
            implied: dict[tuple[str, str], set[str]]) -> set[str]:
    """The tables written: those the statements named and what the database changed with
    them. A table changed by the database (a trigger's rows, rows deleted or set to NULL by a
    foreign key) counts as written by a statement of any kind, so what it implies in turn is
    never left out."""
    out, seen, todo = set(), set(), list(written)
    while todo:
        entry = todo.pop()
        if entry not in seen:
            seen.add(entry)
            out.add(entry[0])
            todo.extend((name, _ANYHOW) for name in implied.get(entry, ()))
    return out


def _replace(conn: Connection, names: list[str]) -> None:
    """Upsert the tables' new version on the transaction's own DBAPI connection, unseen by the
    listeners above; nothing if the table of versions is not there yet (a migration before
    it)."""
    raw = conn.connection.dbapi_connection
    cursor = raw.cursor()
    try:
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        if conn.dialect.name == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                           "AND name = 'table_versions'")
        else:
            cursor.execute("SELECT 1 WHERE to_regclass('table_versions') IS NOT NULL")
        if cursor.fetchone() is None:
            return
        version = secrets.randbits(62)
        cursor.executemany(
            f"INSERT INTO table_versions (name, version) VALUES ({mark}, {mark}) "  # noqa: S608
            "ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            [(name, version) for name in names])
    finally:
        cursor.close()
