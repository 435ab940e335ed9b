"""The class lists page in SQL (issue 15): the page's ids chosen first and its rows read by
id, the total counted without sorting, and not counted at all when the page tells it."""

from sqlalchemy import event

from app.classes import queries
from app.extensions import db as _db


def _statements(run):
    seen = []

    def before(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(_db.engine, "before_cursor_execute", before)
    try:
        run()
    finally:
        event.remove(_db.engine, "before_cursor_execute", before)
    return seen


def test_pages_of_a_trainers_classes_and_their_total(make_class, users):
    made = [make_class(code=f"P-{i}") for i in range(5)]
    latest_first = [c.code for c in sorted(made, key=lambda c: (c.start_date, c.id),
                                           reverse=True)]
    query = queries.taught(users["trainer"].id)
    pages = [queries.paged(query, page, 2) for page in (1, 2, 3, 4)]
    assert [[c.code for c in rows] for rows, _ in pages] == [
        latest_first[0:2], latest_first[2:4], latest_first[4:], []]
    assert [total for _, total in pages] == [5, 5, 5, 5]


def test_the_total_is_counted_without_sorting_and_only_when_needed(make_class, users):
    for i in range(3):
        make_class(code=f"C-{i}")
    query = queries.taught(users["trainer"].id)
    full = _statements(lambda: queries.paged(query, 1, 2))
    counts = [s for s in full if "count(" in s]
    assert len(counts) == 1
    assert "ORDER BY" not in counts[0] and "code" not in counts[0]  # neither sorted nor read
    partial = _statements(lambda: queries.paged(query, 2, 2))  # one row: the total is 2 + 1
    assert not [s for s in partial if "count(" in s]
    assert queries.paged(query, 2, 2)[1] == 3


def test_a_learners_applications_page_reads_their_classes_with_them(
        make_class, make_cadre, apply_for, count_queries):
    cadre = make_cadre("Lò Thị Mai")
    for i in range(3):
        apply_for(make_class(code=f"A-{i}"), [cadre])
    cadre_id = cadre.id
    _db.session.expunge_all()
    with count_queries() as n:
        rows, total = queries.paged(queries.applications_of(cadre_id), 1, 2)
        shown = [(row.code, row.application_status) for row in rows]
    assert total == 3 and shown == [("A-2", "applied"), ("A-1", "applied")]
    assert n() == 2  # the page (applications with their classes) and the count


def test_a_learners_applications_are_counted_without_their_classes(
        app, client, login, make_class, learner_cadre, apply_for, monkeypatch):
    """The learner's list counts their applications from the index by cadre alone: the
    classes, which only the order needs, are not joined for the total."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for i in range(3):
        apply_for(make_class(code=f"M-{i}", title=f"Lớp số {i}"), [learner_cadre])
    login("learner")
    seen = _statements(lambda: client.get("/classes/?list=mine"))
    page = client.get("/classes/?list=mine").get_data(as_text=True)
    counts = [s for s in seen if "count(" in s]
    assert len(counts) == 1 and "classes" not in counts[0]
    assert "Trang 1 / 2" in page and "Lớp số 2" in page and "Lớp số 0" not in page


def test_a_trainers_classes_are_counted_from_their_assignments(
        app, client, login, make_class, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for i in range(3):
        make_class(code=f"D-{i}")  # taught by the trainer
    login("trainer")
    seen = _statements(lambda: client.get("/classes/"))
    page = client.get("/classes/").get_data(as_text=True)
    counts = [s for s in seen if "count(" in s]
    assert len(counts) == 1 and "FROM class_trainers WHERE" in counts[0]
    assert "FROM classes" not in counts[0]
    assert "Trang 1 / 2" in page and "D-2 –" in page and "D-0 –" not in page
