"""Row locks for counters that must never be overrun (seats, quiz attempts)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select

from app.extensions import db

Model = TypeVar("Model")


def lock_row(model: type[Model], row_id: int) -> Model | None:
    """Lock one row of `model` for the rest of the transaction and return it fresh from the
    database (None if it does not exist).

    PostgreSQL: ``SELECT ... FOR UPDATE OF <table>`` (only that row, not joined ones).
    SQLite has no row locks: ``BEGIN IMMEDIATE`` takes the database's write lock, unless this
    transaction already writes, in which case it holds that lock already."""
    conn = db.session.connection()
    query = select(model).where(model.id == row_id)
    if conn.dialect.name == "sqlite":
        if not conn.connection.driver_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        query = query.with_for_update(of=model)
    return db.session.scalars(query.execution_options(populate_existing=True)).first()
