"""Walk every route with every role (and anonymous) and check the expected status.

URL parameters come from the modules in tests/routewalk/ (one per feature)."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.auth.decorators import ANY_USER, PUBLIC, TOKEN

ROLES = ("anonymous", "admin", "coordinator", "trainer", "learner")
PROVIDERS = sorted((Path(__file__).parents[1] / "routewalk").glob("*.py"))


def _param_values(ctx) -> dict:
    values = {}
    for path in PROVIDERS:
        spec = importlib.util.spec_from_file_location(f"routewalk_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        values.update(module.params(ctx))
    return values


def _routes(app):
    # Routes that delete are walked last: an empty POST to one may really delete (a class's
    # session), and the routes walked after it must still find the objects they are given.
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: "delete" in rule.endpoint):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        methods = sorted(m for m in rule.methods if m in ("GET", "POST"))
        yield rule, view, methods


def test_every_route_declares_its_access(app):
    undeclared = [rule.rule for rule, view, _ in _routes(app) if not hasattr(view, "access")]
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES)
def test_every_route_with_every_role(app, client, db, login, users, son_ha, make_cadre,
                                     make_village, make_user, role):
    ctx = SimpleNamespace(db=db, son_ha=son_ha, users=users, make_cadre=make_cadre,
                          make_village=make_village, make_user=make_user)
    values = _param_values(ctx)
    if role != "anonymous":
        assert login(users[role]).status_code == 302
    checked = 0
    for rule, view, methods in _routes(app):
        url = rule.build(values, append_unknown=False)[1]
        if rule.endpoint in ("auth.logout",):
            continue  # signing out would end the walk
        for method in methods:
            if method == "GET" and "GET" not in rule.methods:
                continue
            response = client.open(url, method=method, data={})
            status = response.status_code
            access = view.access
            where = f"{method} {url} as {role}"
            if access == TOKEN:  # a machine client's bearer token; a session counts for nothing
                assert status == 401, where
            elif access == PUBLIC:
                assert status < 400 or status in (400, 422), where
            elif role == "anonymous":
                assert status == 302 and "/auth/login" in response.location, where
            elif access == ANY_USER or role in access:
                if method == "GET":  # the page (or a redirect to it) really is reachable
                    assert status in (200, 302, 303), where
                else:  # a POST with an empty form: refused as bad input at most, never denied
                    assert status not in (401, 403, 404) and status < 500, where
            else:
                assert status == 403, where
            checked += 1
    assert checked > 20
