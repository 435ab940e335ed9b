"""Guards (counts, not times): every list and home page, and the allocation page of a class
whose applicants stay the same, makes the same number of SQL queries and loads the same
number of rows at 1 × and at 10 × the data (bench/generate.py makes it:
cadres, classes with their courses and trainers, applications, accounts). A page that sorted,
filtered or paged in Python, or loaded a relationship per row, would grow."""

import re

import pytest

from app.extensions import db as _db
from app.people.models import Cadre
from bench.generate import populate
from tests.conftest import PASSWORD, statements

# role -> pages. The course catalogue is guarded beside its tests (tests/courses/
# test_progress.py): courses do not grow with the district's data, which this grows; the
# class pages of one class grow with that class.
# Lookup tables bounded by the map and the law, not by the data (a filter lists every position;
# a page's cadres bring the few units and positions they name): not compared.
LOOKUPS = {"Position", "Unit"}
PAGES = {
    "coordinator": ("/", "/cadres/", "/cadres/?q=thi", "/classes/", "/classes/?q=lop",
                    "/classes/?page=2"),
    "admin": ("/", "/admin/users", "/admin/users?q=user", "/admin/users?page=2"),
    "trainer": ("/", "/classes/"),
    "learner": ("/", "/classes/"),
}


def _grow(db, make_user, scale: int, trainer_id: int, learner_cadre: int | None) -> dict:
    """Add `scale` units of data: 20 cadres, 12 classes of 4 applicants (the trainer teaches
    them, the learner applies to them), 10 accounts."""
    made = populate(db.session, cadres=20 * scale, classes=12 * scale,
                    applications_per_class=4, courses=2 if learner_cadre is None else 0,
                    tag=f"x{scale}",
                    trainer_ids=(trainer_id,), learner_cadre=learner_cadre is None,
                    applicant_id=learner_cadre)
    db.session.commit()
    for i in range(10 * scale):
        make_user(f"user{scale}x{i}", full_name=f"Nguyễn Văn Người {scale}x{i}")
    return {"learner": made["learner_cadre_id"] or learner_cadre,
            "class": made["first_class_id"]}


def _measure(app, count_queries, count_rows, class_id: int) -> dict:
    """`class_id`: a class whose applications do not change while the data grows (its page,
    and its allocation page: the preview of the same applicants among 10 × the cadres and
    classes)."""
    out = {}
    for role, urls in PAGES.items():  # the `users` fixture names each account by its role
        client = app.test_client()
        client.post("/auth/login", data={"login": role, "password": PASSWORD})
        if role == "coordinator":
            urls = (*urls, f"/classes/{class_id}", f"/classes/{class_id}/applications")
        for url in urls:
            _db.session.remove()  # nothing carried over from the last request
            with count_queries() as queries, count_rows() as rows:
                response = client.get(url)
            assert response.status_code == 200, (role, url)
            out[(role, url)] = (queries(), {kind: n for kind, n in rows().items()
                                            if kind not in LOOKUPS})
    return out


@pytest.mark.parametrize("_", [None])
def test_queries_and_rows_loaded_do_not_grow_with_the_data(
        _, app, db, users, make_user, son_ha, count_queries, count_rows,
        monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)  # every list fills its page at 1 ×
    trainer_id, learner_id = users["trainer"].id, users["learner"].id
    made = _grow(db, make_user, 1, trainer_id, None)
    cadre_id, class_id = made["learner"], made["class"]
    db.session.get(Cadre, cadre_id).user_id = learner_id
    db.session.commit()
    once = _measure(app, count_queries, count_rows, class_id)
    _grow(db, make_user, 9, trainer_id, cadre_id)  # 10 × in all
    tenfold = _measure(app, count_queries, count_rows, class_id)
    grew = {page: (once[page][0], tenfold[page][0], {
        kind: (once[page][1].get(kind), tenfold[page][1].get(kind))
        for kind in {*once[page][1], *tenfold[page][1]}
        if once[page][1].get(kind) != tenfold[page][1].get(kind)})
        for page in once if once[page] != tenfold[page]}
    assert not grew, grew


# The list pages' own statements, beyond what every signed-in page pays (measured on the
# password page in the same test): the cadre list reads its page, its total from the
# counters, the communes and the positions of its filters; its search counts in the page's
# statement; the account list reads its total, its page and the page's roles. None of them
# makes an object of the rows it lists (plain rows: app/people/list_rows.py,
# app/admin/account_rows.py).
OWN = {("coordinator", "/cadres/"): 4, ("coordinator", "/cadres/?q=thi"): 3,
       ("coordinator", "/cadres/?page=2"): 4, ("admin", "/admin/users"): 3,
       ("admin", "/admin/users?q=user"): 3}
LISTED = {"Cadre", "User", "UserRole", "TwoFactor"}


def test_the_list_pages_own_statements_and_no_object_per_row(
        app, db, users, make_user, son_ha, count_queries, count_rows, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    _grow(db, make_user, 1, users["trainer"].id, None)
    for role in ("coordinator", "admin"):
        client = app.test_client()
        client.post("/auth/login", data={"login": role, "password": PASSWORD})
        _db.session.remove()
        with count_queries() as base, count_rows() as base_rows:
            assert client.get("/auth/password").status_code == 200
        for (who, url), own in OWN.items():
            if who != role:
                continue
            _db.session.remove()
            with count_queries() as queries, count_rows() as rows:
                page = client.get(url)
            assert page.status_code == 200
            assert page.get_data(as_text=True).count("<tr") >= 5, url  # a full page
            assert queries() - base() == own, url
            assert {kind: n for kind, n in rows().items() if kind in LISTED} \
                == {kind: n for kind, n in base_rows().items() if kind in LISTED}, url


# A LIMIT, OFFSET or fixed value sent as a parameter makes PostgreSQL plan the statement afresh
# at every request once it is prepared (app/core/written.py): the pages write them in. (SQLite's
# dialect adds `OFFSET ?` of its own to a LIMIT without one, sent as 0: harmless there.)
SENT = {"postgresql": re.compile(r"\b(?:LIMIT|OFFSET)\s+%\("),
        "sqlite": re.compile(r"\bLIMIT\s+\?")}
WRITTEN_PAGES = {"coordinator": ("/", "/cadres/", "/cadres/?q=thi", "/cadres/?page=2",
                                 "/classes/", "/classes/?page=2", "/audit/"),
                 "admin": ("/admin/users", "/admin/users?page=2"),
                 "trainer": ("/", "/classes/"), "learner": ("/", "/classes/")}


def test_no_page_sends_its_limit_or_offset_as_a_parameter(
        app, db, users, make_user, son_ha, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    made = _grow(db, make_user, 1, users["trainer"].id, None)
    db.session.get(Cadre, made["learner"]).user_id = users["learner"].id
    db.session.commit()
    class_id = made["class"]
    pages = {**WRITTEN_PAGES, "coordinator": (
        *WRITTEN_PAGES["coordinator"], f"/classes/{class_id}",
        f"/classes/{class_id}/applications", f"/cadres/{made['learner']}")}
    for role, urls in pages.items():
        client = app.test_client()
        client.post("/auth/login", data={"login": role, "password": PASSWORD})
        for url in urls:
            _db.session.remove()
            with statements() as seen:
                assert client.get(url).status_code == 200, (role, url)
            limited = [s for s in seen if "LIMIT" in s]
            assert limited, url  # every one of these pages cuts a list
            sent = SENT[_db.engine.dialect.name]
            assert not [s for s in limited if sent.search(s)], url


def test_the_class_page_names_the_status_of_its_admitted_learners_in_its_statement(
        app, db, users, make_user, son_ha):
    made = _grow(db, make_user, 1, users["trainer"].id, None)
    client = app.test_client()
    client.post("/auth/login", data={"login": "coordinator", "password": PASSWORD})
    _db.session.remove()
    with statements() as seen:
        assert client.get(f"/classes/{made['class']}").status_code == 200
    assert [s for s in seen if "FROM cadres JOIN applications" in s
            and "applications.status = 'admitted'" in s]


def test_the_homes_and_the_open_list_name_the_statuses_they_ask_for_in_their_statements(
        app, db, users, make_user, son_ha):
    """Statuses fixed in the code are written into the statement (core/written.py `words`),
    so that PostgreSQL's kept plan knows them: the coordinator's classes in progress (not
    closed, their active applications counted), a learner's classes open to them."""
    made = _grow(db, make_user, 1, users["trainer"].id, None)
    db.session.get(Cadre, made["learner"]).user_id = users["learner"].id
    db.session.commit()
    asked = {"coordinator": ("/", ("classes.status NOT IN ('cancelled', 'finished')",
                                   "applications.status IN ('admitted', 'applied', "
                                   "'waitlisted')")),
             "learner": ("/classes/", ("classes.status IN ('allocated', 'open')",
                                       "classes.status = 'open'"))}
    for role, (url, named) in asked.items():
        client = app.test_client()
        client.post("/auth/login", data={"login": role, "password": PASSWORD})
        _db.session.remove()
        with statements() as seen:
            assert client.get(url).status_code == 200
        for words in named:
            assert [s for s in seen if words in s], (role, words)
