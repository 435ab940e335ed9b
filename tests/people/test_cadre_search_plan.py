"""A searched page of the cadre list and its total, one statement (people/queries.py
`_counted_page`): on PostgreSQL the matches are found by the cheapest way of finding them all
and the page sorted from them, never by walking the whole index on the name order (which the
planner chose when it guessed the matches many, costing the page's LIMIT as stopping early
although the count reads every match: 50 ms for "ho van" at 100,000 cadres, 130 ms in a run
whose sampled names made "dinh thi hoa" look common). The page and its total are right on
both databases."""

import pytest
from sqlalchemy import event, text

from app.people import queries
from app.people.queries import CadreFilters
from bench.generate import populate


@pytest.fixture()
def many(db, son_ha):
    populate(db.session, cadres=4_000, classes=0, courses=0, tag="plan")
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE cadres"))  # as autovacuum would after the load
        db.session.commit()


@pytest.mark.parametrize("search", ["thi", "ho van", "dinh thi hoa"])
def test_a_search_finds_its_matches_first_then_sorts_the_page(db, many, search):
    sent = []

    def note(conn, cursor, statement, parameters, *args):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        rows, total = queries.line_page(CadreFilters(q=search), 1, 50, None)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    every = db.session.execute(text(
        "SELECT full_name FROM cadres WHERE active AND name_search LIKE :p "
        "ORDER BY sort_key, id"), {"p": f"%{search}%"}).scalars().all()
    assert total == len(every) > 0
    assert [r.full_name for r in rows] == every[:50]
    if db.engine.dialect.name == "postgresql":
        statement, parameters = sent[-1]
        plan = "\n".join(r[0] for r in db.session.connection().exec_driver_sql(
            "EXPLAIN " + statement, parameters))
        assert "ix_cadres_sort_key" not in plan, plan
