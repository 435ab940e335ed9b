"""Ids and numbers are ASCII digits within the database's range, parsed once (app/numbers.py
`parse_id`): a superscript "²" (which Python's isdigit() accepts and int() refuses) or an id
beyond PostgreSQL's integer range is "no such id", never a 500."""

import pytest
from sqlalchemy import func, select

from app.classes.models import TrainingClass
from app.numbers import parse_id
from app.people.models import Cadre
from tests.classes.test_classes import _form as class_form
from tests.people.test_cadres import _form as cadre_form

BAD_IDS = ["²", "١٢", "1²", "99999999999", "2147483648", "-3", "0", " 7", "7 ", "+7", "0x1f"]


@pytest.mark.parametrize("text", BAD_IDS)
def test_only_ascii_digits_within_range_are_ids(text):
    assert parse_id(text) is None


def test_ids_in_range_are_read():
    assert parse_id("7") == 7 and parse_id(7) == 7 and parse_id("2147483647") == 2147483647
    assert parse_id(None) is None and parse_id("") is None and parse_id(True) is None


@pytest.mark.parametrize("bad", ["²", "99999999999"])
def test_list_filters_ignore_bad_ids(client, login, users, make_class, bad):
    klass = make_class()
    login("coordinator")
    for url in (f"/cadres/?commune={bad}&village={bad}&position={bad}",
                f"/cadres/export.xlsx?commune={bad}",
                f"/classes/{klass.id}/nominate?commune={bad}&position={bad}"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("bad", ["²", "99999999999"])
def test_posted_bad_ids_are_refused_at_the_field(client, db, login, users, son_ha, bad):
    login("coordinator")
    response = client.post("/cadres/new", data=cadre_form(db, son_ha, position_id=bad))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Cadre.id))) == 0
    response = client.post("/cadres/new", data=cadre_form(db, son_ha, commune_id=bad))
    assert response.status_code == 400
    response = client.post("/classes/new", data={**class_form(son_ha, users),
                                                 "unit_ids": [bad]})
    assert response.status_code == 400
    response = client.post("/classes/new", data={**class_form(son_ha, users),
                                                 "trainer_ids": [bad]})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(TrainingClass.id))) == 0


def test_nominating_bad_ids_is_a_clear_refusal(client, login, users, make_class):
    klass = make_class()
    login("coordinator")
    response = client.post(f"/classes/{klass.id}/nominate",
                           data={"cadre_ids": ["²", "99999999999"]})
    assert response.status_code == 400
    assert "Vui lòng chọn ít nhất một cán bộ" in response.get_data(as_text=True)


def test_an_ethnicity_written_with_a_superscript_is_a_row_problem(db, son_ha):
    from app.people import cadre_file as cf
    from tests.people.test_cadre_file import HOA, csv_bytes

    valid, problems = cf.load("l.csv", csv_bytes([[*HOA[:3], "²", *HOA[4:]]]))
    assert not valid and [p.column for p in problems] == [cf.ETHNICITY]
