"""Ids in URLs stay inside the database's integer range: a huge id is "not found", never a
database error (PostgreSQL refuses a number over 2,147,483,647 for an integer column)."""

import pytest
from werkzeug.routing import IntegerConverter

from app.core.converters import INT_MAX


def test_every_int_in_every_route_is_bounded(app):
    unbounded = [rule.rule for rule in app.url_map.iter_rules()
                 for converter in rule._converters.values()
                 if isinstance(converter, IntegerConverter) and (
                     converter.max is None or converter.max > INT_MAX)]
    assert unbounded == []


@pytest.mark.parametrize("url", [
    "/cadres/2147483648", "/cadres/99999999999999999999", "/cadres/2147483648/edit",
    "/units/villages/99999999999999999999", "/admin/users/2147483648",
])
def test_huge_ids_are_not_found(client, users, login, url):
    login("admin")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", [
    "page=99999999999999999999", "commune=99999999999999999999", "commune=2147483648",
    "village=99999999999999999999", "position=2147483648",
])
def test_huge_numbers_in_list_filters_are_ignored(client, users, login, make_cadre, query):
    make_cadre("Đinh Thị Hoa")
    login("coordinator")
    assert client.get(f"/cadres/?{query}").status_code == 200
    assert client.get(f"/cadres/export.xlsx?{query}").status_code == 200
