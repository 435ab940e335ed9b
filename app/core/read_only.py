"""On PostgreSQL, a request that wrote nothing ends its transaction with COMMIT, not ROLLBACK,
so that psycopg keeps the statements it has prepared.

psycopg prepares a statement on the server once it has run it five times on a connection
(`prepare_threshold`): parsed once, then sent by name, which at 100,000 cadres costs a
simple page's statement 0.17 ms instead of 0.5 ms. But at every ROLLBACK it forgets all of
them and deallocates them on the server (a rolled-back transaction may have dropped what they
name). Every request ended in a ROLLBACK, Flask-SQLAlchemy's session being closed at the end
of the request, so no statement of any page reached its sixth run: none was ever prepared.

For a transaction that wrote nothing, COMMIT and ROLLBACK leave the database the same; locks
are released by either. A request that wrote (what `table_versions.writing` sees: an ORM
flush, a Core INSERT, UPDATE or DELETE, plain SQL that writes), that holds changes not yet
flushed, or that ended in an exception is rolled back as before (app/core/errors.py). A view
still commits what it writes itself, once (the house rule).
"""

from __future__ import annotations

from flask import Flask

from app.core import table_versions
from app.extensions import db


def register(app: Flask) -> None:
    @app.teardown_request
    def _commit_if_read_only(exc: BaseException | None) -> None:
        if exc is None:
            end()


def end() -> None:
    """COMMIT the session's transaction if it is on PostgreSQL and wrote nothing."""
    session = db.session()  # the request's own Session
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active or session.new or session.dirty \
            or session.deleted:  # none, failed (an error handled), or changes not flushed
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql" or table_versions.writing(connection):
        return
    # The objects are left as they are: nothing was written, and the session ends with the
    # request (a test's session, which outlives it, keeps them as it did before).
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    except Exception:  # noqa: BLE001 - a connection lost at the end: the rollback follows
        session.rollback()
    finally:
        session.expire_on_commit = expire
