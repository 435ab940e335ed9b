"""A request that wrote nothing ends its transaction with COMMIT on PostgreSQL, so psycopg
keeps its prepared statements (app/core/read_only.py); one that wrote and did not commit, holds
unsaved changes or failed is rolled back as ever; SQLite is left as it was."""

import pytest
from sqlalchemy import event, text

from app.core import read_only


@pytest.fixture()
def endings(db):
    """The ends of transactions on the engine, in order: "commit" or "rollback"."""
    seen: list[str] = []

    def commit(_conn):
        seen.append("commit")

    def rollback(_conn):
        seen.append("rollback")

    event.listen(db.engine, "commit", commit)
    event.listen(db.engine, "rollback", rollback)
    yield seen
    event.remove(db.engine, "commit", commit)
    event.remove(db.engine, "rollback", rollback)


def _postgresql(db) -> bool:
    return db.engine.dialect.name == "postgresql"


def test_a_page_that_reads_ends_with_commit_on_postgresql(client, login, users, db, endings):
    login("coordinator")
    db.session.remove()
    endings.clear()
    assert client.get("/cadres/").status_code == 200
    if _postgresql(db):
        assert endings == ["commit"]
    else:  # SQLite: as before
        assert "commit" not in endings


def test_what_a_request_wrote_and_did_not_commit_is_not_committed(app, users, db, endings):
    db.session.execute(text("UPDATE users SET locale = 'en'"))  # written, not committed
    read_only.end()
    assert endings == []
    db.session.rollback()
    assert db.session.scalar(text("SELECT count(*) FROM users WHERE locale = 'en'")) == 0


def test_changes_not_flushed_are_not_committed(app, users, db, endings):
    db.session.scalar(text("SELECT 1"))
    users["admin"].full_name = "Đổi mà chưa lưu"
    read_only.end()
    assert endings == []
    db.session.rollback()


def test_a_request_that_failed_is_left_to_its_rollback(app, users, db, endings):
    (finish,) = [f for f in app.teardown_request_funcs[None]
                 if f.__name__ == "_commit_if_read_only"]
    db.session.scalar(text("SELECT 1"))
    finish(RuntimeError("the view failed"))
    assert endings == []
    finish(None)
    assert endings == (["commit"] if _postgresql(db) else [])
