"""Date fields (VNDateField) and the date messages of app.vietnamese follow the reader's
language; app.vietnamese itself stays plain Python, Vietnamese without an app."""

import pytest
from flask_babel import gettext, refresh

from app.vietnamese import DateError, parse_date


@pytest.fixture()
def admin_in_english(client, users, login, son_ha):
    client.set_cookie("lang", "en")
    login(users["admin"])
    return client


def _unit(**dates):
    return {"name": "Xã Thử", "code": "xa-thu-2", "kind": "commune", "category": "xã",
            "parent_id": "", "valid_from": "", "valid_to": "", "successor_id": "", **dates}


@pytest.mark.parametrize("typed,expected", [
    ("31/02/2020", "Invalid date: 31/02/2020"),
    ("hôm qua", "Cannot read the date: hôm qua; write dd/mm/yyyy or the year yyyy"),
    ("2020", "Please write the full date (dd/mm/yyyy), not only the year: 2020"),
])
def test_date_field_messages_are_in_english(admin_in_english, db, typed, expected):
    response = admin_in_english.post("/units/new", data=_unit(valid_from=typed))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected in page
    assert f'value="{typed}"' in page  # what was typed stays


def test_date_field_follows_the_language_cookie(client, db, users, login, son_ha):
    login(users["admin"])
    client.set_cookie("lang", "en")
    page = client.post("/units/new", data=_unit(valid_to="2020")).get_data(as_text=True)
    assert "Please write the full date (dd/mm/yyyy), not only the year: 2020" in page
    client.delete_cookie("lang")
    page = client.post("/units/new", data=_unit(valid_to="2020")).get_data(as_text=True)
    assert "Hãy ghi đủ ngày, tháng, năm (dd/mm/yyyy), không chỉ năm: 2020" in page


def test_date_errors_carry_a_translatable_message(app):
    # No app context at all: plain Vietnamese.
    with pytest.raises(DateError) as caught:
        parse_date("31/02/1980")
    assert str(caught.value) == "Ngày không hợp lệ: 31/02/1980"
    assert caught.value.params == {"text": "31/02/1980"}
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        refresh()
        assert gettext(caught.value.message, **caught.value.params) == \
            "Invalid date: 31/02/1980"
