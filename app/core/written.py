"""Values written into a statement's text instead of sent beside it as parameters, so that
PostgreSQL's plan of the prepared statement knows them.

psycopg prepares a statement once it has run five times on a connection (app/core/read_only.py
keeps them); PostgreSQL plans a prepared statement for its parameters' values five times more,
then keeps one generic plan if it costs no more than those did. A generic plan knows no
parameter's value: of a LIMIT or OFFSET it assumes a tenth of the rows (a page of 50 of 100,000
cadres looked like 10,000), of `status = $1` an average status. Such a plan looked dearer than
the custom ones, so the statement was planned afresh at every request: 1.2 ms of the class
page's admitted learners (five tables joined), about 1 ms of the cadre list, more than running
them. Written in, a value is part of the statement: one prepared statement per value (per page
of a list, per status named in the code), each planned once, then generic.

SQLAlchemy's `literal_execute` writes the value in when the statement runs, from the compiled
form it keeps. Not for what a user types (a search, a name): each would be a statement of its
own, and a plan for the value is what such a statement needs.
"""

from __future__ import annotations

from sqlalchemy import BindParameter, Integer, String, bindparam, literal

# A page of a statement built once: `.limit(LIMIT).offset(OFFSET)`, run with
# {"limit": size, "offset": skipped}.
LIMIT = bindparam("limit", type_=Integer, literal_execute=True)
OFFSET = bindparam("offset", type_=Integer, literal_execute=True)


def number(value: int):
    """A whole number fixed when the statement is built: `.limit(written.number(6))`."""
    return literal(value, Integer, literal_execute=True)


def word(value: str):
    """A string fixed in the code: `Application.status == written.word("admitted")`."""
    return literal(value, String, literal_execute=True)


def words(values) -> BindParameter:
    """Strings fixed in the code, for IN: `Application.status.in_(written.words(ACTIVE))`
    (in sorted order: the same set gives the same statement)."""
    return bindparam(None, sorted(values), type_=String, expanding=True, literal_execute=True)
