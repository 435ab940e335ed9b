"""Two villages of one name in one commune cannot be told apart by an import or a person:
the page refuses it at the name field, and the database refuses it too (a unique index on the
commune and the normalised name: NFC, case and spaces ignored), so that a racing double tap
shows the form again with the message at the name field, 409."""

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.people.models import Unit


def _village(commune, code, name):
    return Unit(code=code, name=name, kind="village", category="thôn", parent_id=commune.id)


def test_the_database_refuses_a_second_village_of_the_same_name(db, son_ha):
    commune = son_ha["new:son-linh"]
    db.session.add(_village(commune, "v-1", "Làng Rê"))
    db.session.commit()
    db.session.add(_village(commune, "v-2", "  làng   RÊ "))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    # the same name in another commune, or another tone, is another village
    db.session.add(_village(son_ha["new:son-ky"], "v-3", "Làng Rê"))
    db.session.add(_village(commune, "v-4", "Làng Re"))
    db.session.commit()
    assert db.session.scalar(select(func.count(Unit.id)).where(Unit.kind == "village")) == 3


def test_a_renamed_village_keeps_its_key(db, son_ha):
    commune = son_ha["new:son-linh"]
    a, b = _village(commune, "v-1", "Gò Ghềnh"), _village(commune, "v-2", "Nước Lăng")
    db.session.add_all([a, b])
    db.session.commit()
    b.name = "GÒ GHỀNH"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_racing_twin_is_shown_at_the_name_field(client, db, users, login, son_ha,
                                                  monkeypatch):
    from app.people import units_views

    login("coordinator")
    commune = son_ha["new:son-linh"]
    url = f"/units/{commune.id}/villages/new"
    assert client.post(url, data={"name": "Nước Lăng", "category": "thôn"}).status_code == 302
    monkeypatch.setattr(units_views, "_name_taken", lambda *args: False)  # the twin's check
    response = client.post(url, data={"name": "nước lăng", "category": "thôn"})
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    error = re.search(r'id="name-error"[^>]*>(.*?)</div>', text, re.S)
    assert error and "vừa có thôn/bản tên này" in error.group(1)
    assert 'value="nước lăng"' in text
    assert db.session.scalar(select(func.count(Unit.id)).where(
        Unit.parent_id == commune.id)) == 1


def test_renaming_onto_another_village_is_shown_at_the_name_field(client, db, users, login,
                                                                   son_ha, monkeypatch):
    from app.people import units_views

    commune = son_ha["new:son-linh"]
    a, b = _village(commune, "v-1", "Gò Ghềnh"), _village(commune, "v-2", "Nước Lăng")
    db.session.add_all([a, b])
    db.session.commit()
    login("coordinator")
    monkeypatch.setattr(units_views, "_name_taken", lambda *args: False)
    response = client.post(f"/units/villages/{b.id}", data={"name": "Gò Ghềnh",
                                                            "category": "thôn"})
    assert response.status_code == 409
    assert 'id="name-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, b.id).name == "Nước Lăng"
