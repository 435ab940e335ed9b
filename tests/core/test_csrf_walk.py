"""CSRF on every form: every route that accepts a POST refuses one without the form's token,
whoever sends it, and writes nothing. The URL parameters come from tests/routewalk/."""

import importlib.util
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry

WALK = Path(__file__).with_name("test_route_access.py")


def _walk_module():
    spec = importlib.util.spec_from_file_location("route_walk", WALK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("role", ["anonymous", "admin", "coordinator", "trainer"])
def test_every_post_route_refuses_a_request_without_its_token(
        app, client, db, users, son_ha, make_cadre, make_village, make_user, role):
    walk = _walk_module()
    app.config["WTF_CSRF_ENABLED"] = True  # read at each request; the tests run without it
    try:
        _walk(app, client, db, walk, users, son_ha, make_cadre, make_village, make_user, role)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _walk(app, client, db, walk, users, son_ha, make_cadre, make_village, make_user, role):
    ctx = SimpleNamespace(db=db, son_ha=son_ha, users=users, make_cadre=make_cadre,
                          make_village=make_village, make_user=make_user)
    values = walk._param_values(ctx)
    if role != "anonymous":
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        signed_in = client.post("/auth/login", data={
            "login": role, "password": "secret-pass-1", "csrf_token": token})
        assert signed_in.status_code == 302
    db.session.remove()
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    checked = []
    for rule, _view, methods in walk._routes(app):
        if "POST" not in methods:
            continue
        url = rule.build(values, append_unknown=False)[1]
        response = client.post(url, data={"reason": "x", "name": "Thôn Mới"})
        assert response.status_code == 400, f"POST {url} as {role}"
        assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True), url
        checked.append(url)
    assert len(checked) > 10
    db.session.remove()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before
