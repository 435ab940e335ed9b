"""After a large import (people/after_import.py): on PostgreSQL the counters' table rewritten
into as few pages as its rows need, the counts unchanged; left as it is after a small import,
or when another transaction is using it; nothing on SQLite, which reuses its free pages."""

import pytest
from sqlalchemy import func, select, text

from app.people import after_import, counts
from app.people.models import CadreCount
from tests.conftest import statements
from tests.people.test_cadre_file import BAY, HOA, run_import, xlsx


def _postgresql(db) -> bool:
    return db.session.connection().dialect.name == "postgresql"


def _pages(db) -> int:
    return db.session.scalar(select(func.pg_relation_size("cadre_counts"))) // 8192


def _bloat(db, times: int = 3000) -> None:
    """Old versions of the counters' rows, emptied by a vacuum but still the table's pages (as
    100,000 cadres loaded in one transaction leave them)."""
    with db.engine.connect() as connection:
        for _ in range(times):
            connection.exec_driver_sql("UPDATE cadre_counts SET n = n")
        connection.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM cadre_counts")


@pytest.mark.parametrize("tidy_after", [2, 100])
def test_a_large_import_rewrites_the_counters_compactly(db, son_ha, make_cadre, monkeypatch,
                                                        tidy_after):
    monkeypatch.setattr(after_import, "TIDY_AFTER", tidy_after)
    for i in range(3):
        make_cadre(f"Hồ Văn Sẵn{i}", gender="M")
    if _postgresql(db):
        _bloat(db)
        assert _pages(db) > 10
    with statements() as seen:
        run_import(db, xlsx([HOA, BAY]))
    rewritten = any("TRUNCATE cadre_counts" in statement for statement in seen)
    assert rewritten == (tidy_after == 2 and _postgresql(db))
    if _postgresql(db):
        assert (_pages(db) <= 1) == (tidy_after == 2)
    db.session.expire_all()
    assert counts.kept() == counts.recount()
    assert db.session.scalar(select(func.sum(CadreCount.n))) == 5


def test_counters_in_use_elsewhere_are_left_as_they_are(db, son_ha, make_cadre, monkeypatch):
    """Another transaction reading the counters: the import neither waits for it nor fails;
    the table is rewritten by a later one."""
    if not _postgresql(db):
        assert counts.compact(db.session.connection()) is False
        return
    monkeypatch.setattr(after_import, "TIDY_AFTER", 2)
    make_cadre("Hồ Văn Sẵn", gender="M")
    _bloat(db)
    pages = _pages(db)
    with db.engine.connect() as other:
        other.exec_driver_sql("SELECT sum(n) FROM cadre_counts").scalar()  # holds its lock
        # were the import to wait for the table, the test fails in 5 s rather than hang
        db.session.execute(text("SET LOCAL lock_timeout = '5s'"))
        run_import(db, xlsx([HOA, BAY]))
        assert _pages(db) == pages
    assert counts.kept() == counts.recount()
    assert db.session.scalar(select(func.sum(CadreCount.n))) == 3
