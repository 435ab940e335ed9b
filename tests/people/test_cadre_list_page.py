"""The cadre list's page: its statements are built once per process with their values as
parameters (people/queries.py), its filters' options written once for the same choices
(people/list_rows.py `options`). What a user sees must not depend on what an earlier request
asked for."""

import re

import pytest
from jinja2 import Environment
from sqlalchemy import select, update

from app.people import list_rows, queries
from app.people.models import Cadre
from app.people.scope import WHOLE, scope_for_unit
from app.vietnamese import fold
from bench.generate import populate


def _expected(db, filters, scope):
    """The ids these filters select within `scope`, in the list's order, by Python alone."""
    folded = fold(filters.q) if filters.q else ""
    digits = "".join(ch for ch in filters.q if ch.isdigit())
    family = queries.commune_family_ids(filters.commune) if filters.commune else None

    def kept(c):
        return ((scope.whole or c.commune_id in scope.commune_ids)
                and (not filters.q or folded in c.name_search
                     or (len(digits) >= 4 and digits in (c.phone or "")))
                and (family is None or c.commune_id in family)
                and filters.village in (None, c.village_id)
                and filters.gender in (None, c.gender)
                and filters.position in (None, c.position_id)
                and filters.ethnicity in (None, c.ethnicity_code)
                and (filters.status == "all" or c.active == (filters.status == "active")))

    cadres = db.session.scalars(select(Cadre)).all()
    return [c.id for c in sorted((c for c in cadres if kept(c)), key=lambda c: (c.sort_key, c.id))]


@pytest.fixture()
def listed(db, son_ha, make_village):
    populate(db.session, cadres=80, classes=0, courses=0, tag="listed")
    village = make_village(son_ha["old:son-ba"], "Gò Da")
    db.session.execute(update(Cadre).where(Cadre.id % 4 == 0).values(active=False))
    db.session.execute(update(Cadre).where(Cadre.id % 5 == 0)
                       .values(commune_id=son_ha["old:son-ba"].id))
    db.session.execute(update(Cadre).where(Cadre.id % 6 == 0).values(village_id=village.id))
    db.session.execute(update(Cadre).where(Cadre.id % 3 == 0).values(ethnicity_code="01"))
    for cadre in db.session.scalars(select(Cadre).where(Cadre.id % 7 == 0)):
        cadre.phone = f"0905{cadre.id:06d}"
    db.session.commit()
    position = db.session.scalar(select(Cadre.position_id).order_by(Cadre.id).limit(1))
    return {"village": village, "position": position}


def test_each_request_gets_its_own_filters_values(db, son_ha, listed):
    """The same statement serves every request of a shape, with that request's values: a
    row of pages asked one after the other (two searches, two communes, scopes...) each
    gives exactly the cadres, order and total a filter in Python gives, as plain rows and as
    objects (the nominating page's)."""
    ky, ba = son_ha["new:son-ky"], son_ha["old:son-ba"]
    scopes = (WHOLE, scope_for_unit(ky), scope_for_unit(son_ha["new:son-ha"]))
    asked = [{}, {"q": "thi"}, {"q": "van"}, {"q": "Đinh Thị"}, {"q": "oa"}, {"q": "an"},
             {"q": "0905"}, {"q": "x"}, {"q": "100%"}, {"q": "a_b"},
             {"commune": str(ky.id)}, {"commune": str(ba.id), "status": "all"},
             {"commune": str(son_ha["new:son-ha"].id), "gender": "M"},
             {"village": str(listed["village"].id), "status": "all"},
             {"gender": "F", "status": "inactive"}, {"position": str(listed["position"])},
             {"ethnicity": "01", "q": "thi"}, {"ethnicity": "18", "gender": "F"},
             {"q": "thi", "commune": str(ky.id), "status": "all"}]
    for scope in scopes:
        for args in asked:
            filters = queries.CadreFilters.from_args(args)
            expected = _expected(db, filters, scope)
            for page in (1, 2, 9):
                shown = expected[(page - 1) * 5:page * 5]
                rows, total = queries.line_page(filters, page, 5, scope)
                assert ([row[0] for row in rows], total) == (shown, len(expected)), (args, page)
                cadres, total = queries.page_of(filters, page, 5, scope)
                assert ([c.id for c in cadres], total) == (shown, len(expected)), (args, page)


JINJA = Environment(autoescape=True).from_string(
    '{% for value, label in choices %}<option value="{{ value }}"'
    '{% if selected == value %} selected{% endif %}>{{ label }}</option>{% endfor %}')


@pytest.mark.parametrize("selected", [None, 3, 4, "a&b", '"q"', 99, ""])
def test_the_options_are_what_the_templates_loop_wrote(selected):
    choices = [(3, "Xã Sơn Kỳ"), (4, "Xã Sơn Ba (cũ)"), ("a&b", "<b>Hrê</b> & Ca Dong"),
               ('"q"', 'say "hi"'), (4, "twice the same value")]
    for _ in range(2):  # written once, then read from the memo
        assert list_rows.options(choices, selected) == JINJA.render(choices=choices,
                                                                    selected=selected)


def test_the_filters_show_this_requests_choice(client, db, son_ha, users, login, listed):
    """Each page marks the commune, position and ethnic group it was asked for, and none
    when none was asked, whatever the pages before it asked; a former commune says so in the
    reader's language."""
    login("coordinator")
    ky, ba = son_ha["new:son-ky"].id, son_ha["old:son-ba"].id
    position = listed["position"]
    for args, chosen in ((f"commune={ky}", {ky}), (f"commune={ba}&ethnicity=01", {ba, "01"}),
                         ("", set()), (f"position={position}", {position}),
                         (f"commune={ky}", {ky})):
        page = client.get(f"/cadres/?{args}").get_data(as_text=True)
        marked = set(_selected(page)) - {"active"}  # the status filter's default
        assert marked == {str(v) for v in chosen}, args
    page = client.get("/cadres/").get_data(as_text=True)
    assert f'<option value="{ba}">Xã Sơn Ba (cũ)</option>' in page
    client.set_cookie("lang", "en")
    page = client.get(f"/cadres/?commune={ba}").get_data(as_text=True)
    assert f'<option value="{ba}" selected>Xã Sơn Ba (former)</option>' in page


def _selected(page: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', page)
