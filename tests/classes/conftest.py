"""Fixtures for the classes tests: a class factory and a few cadres."""

from datetime import UTC, datetime, timedelta

import pytest

from app.timeutil import local_today


@pytest.fixture()
def make_class(db, son_ha, users):
    from app.classes import service

    counter = iter(range(1, 1000))

    def make(status="open", capacity=3, communes=("new:son-ky", "new:son-ha"), start=None,
             days=2, with_sessions=True, **fields):
        start = start or local_today() + timedelta(days=20)
        data = service.ClassData(
            code=fields.pop("code", f"L-{next(counter):03d}"),
            title=fields.pop("title", "Lớp tập huấn thử"),
            place=fields.pop("place", "Hội trường UBND xã Sơn Kỳ"), start_date=start,
            end_date=start + timedelta(days=days - 1), capacity=capacity,
            trainer_ids=[users["trainer"].id],
            unit_ids=[son_ha[c].id for c in communes], **fields)
        klass = service.create_class(users["coordinator"], data, with_sessions=with_sessions)
        if status != "planned":
            klass.status = status
        db.session.commit()
        return klass

    return make


@pytest.fixture()
def apply_for(db, users):
    """Add applications directly (status applied), spaced one minute apart."""
    from app.classes.models import Application

    base = datetime(2026, 1, 5, 1, 0, tzinfo=UTC).replace(tzinfo=None)

    def add(klass, cadres, source="nominated"):
        apps = []
        for i, cadre in enumerate(cadres):
            app = Application(class_id=klass.id, cadre_id=cadre.id, source=source,
                              applied_at=base + timedelta(minutes=i))
            db.session.add(app)
            apps.append(app)
        db.session.commit()
        return apps

    return add


@pytest.fixture()
def learner_cadre(make_cadre, users):
    return make_cadre("Đinh Thị Lanh", user_id=users["learner"].id)


def confirm_fields(page: str) -> dict:
    """The confirmation form's hidden fields as the applications page rendered them."""
    import html
    import re

    return {name: html.unescape(re.search(
        rf'name="{name}" type="hidden" value="([^"]*)"', page)[1])
        for name in ("fingerprint", "policy")}


def policy_field(**changes) -> str:
    """The confirmation form's policy field for the default policy with `changes`."""
    import json

    from app.classes.allocation import Policy

    return json.dumps({**Policy().as_dict(), **changes})
