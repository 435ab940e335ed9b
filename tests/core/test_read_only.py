"""A request that wrote nothing ends its transaction with COMMIT on PostgreSQL, so psycopg
keeps its prepared statements (app/core/read_only.py); one that wrote and did not commit, holds
unsaved changes or failed is rolled back as ever; SQLite is left as it was."""

from collections import Counter

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


def test_postgresql_keeps_a_pages_statements_prepared(client, login, users, db):
    """What the rule is for: psycopg prepares a statement at its sixth run on a connection,
    and a ROLLBACK at the end of every request made it forget them all."""
    if not _postgresql(db):
        pytest.skip("PostgreSQL's prepared statements")
    login("coordinator")
    used = []

    def note(conn, *_args):
        used.append(conn.connection.driver_connection)

    # The pool holds several connections, as after the suite's tests of requests at once,
    # and hands them out in turn.
    for connection in [db.engine.connect() for _ in range(3)]:
        connection.close()
    served: Counter = Counter()  # requests served by each connection
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        while max(served.values(), default=0) < 6 and sum(served.values()) < 100:
            db.session.remove()
            assert client.get("/cadres/").status_code == 200
            served[used[-1]] += 1
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    db.session.remove()
    (raw, runs), = served.most_common(1)
    assert runs >= 6
    with raw.cursor() as cursor:  # idle in the pool: asked directly, its transaction ended
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        (prepared,) = cursor.fetchone()
    raw.commit()
    assert prepared > 0
