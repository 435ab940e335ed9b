"""`POST /api/attendance/ops` through the client: the answers per operation, a batch that
cannot be read, who may send, the CSRF token in the X-CSRFToken header (read from the page's
<meta name="csrf-token">) over HTTPS with and without a same-origin Referer, the CSRF error
as JSON; and the no-JavaScript form going through the same operations (a double submit or a
resubmit after Back saves once)."""

import re
from datetime import timedelta

import pytest
from flask import g

from app.timeutil import utcnow
from tests.attendance.conftest import by_name, first
from tests.attendance.opkit import iso, marks, op, stored_ops

API = "/api/attendance/ops"
HTTPS = "https://localhost"


def _url(klass, session):
    return f"/classes/{klass.id}/sessions/{session.id}/attendance"


def _batch(items, sent=None):
    return {"client_id": "phone-1", "sent_at": iso(sent or utcnow()), "ops": items}


def test_a_batch_is_answered_operation_by_operation(client, login, users, running, db):
    klass, applications = running()
    session = first(klass)
    login(users["trainer"])
    now = utcnow()
    items = [op(session, a, taken=now - timedelta(minutes=1)) for a in applications]
    response = client.post(API, json=_batch(items + items[:1]))
    assert response.status_code == 200 and response.mimetype == "application/json"
    results = response.get_json()["results"]
    assert [r["result"] for r in results] == ["applied"] * 4 + ["duplicate"]
    assert results[0]["mark"]["status"] == "present"
    assert len(marks(session)) == 4 and len(stored_ops()) == 4


@pytest.mark.parametrize(("body", "status", "error"), [
    (b"{not json", 400, "bad_json"),
    (b'{"ops": []}', 400, "bad_batch"),
    (b'["a list"]', 400, "bad_batch"),
])
def test_a_batch_that_cannot_be_read_is_a_json_refusal(client, login, users, running, body,
                                                       status, error):
    running()
    login(users["trainer"])
    response = client.post(API, data=body, content_type="application/json")
    assert response.status_code == status and response.get_json()["error"] == error
    assert response.get_json()["message"]


def test_a_batch_over_the_limit_applies_nothing(client, login, users, running, db):
    klass, applications = running()
    session = first(klass)
    login(users["trainer"])
    now = utcnow()
    items = [op(session, applications[i % 4], taken=now) for i in range(501)]
    response = client.post(API, json=_batch(items))
    assert response.status_code == 413 and "tối đa 500" in response.get_json()["message"]
    assert stored_ops() == [] and marks(session) == {}


def test_only_staff_signed_in_send_operations(client, login, users, running):
    klass, applications = running()
    assert client.post(API, json=_batch([])).status_code == 302  # to the login page
    login(users["learner"])
    assert client.post(API, json=_batch([])).status_code == 403


def _https_page(client, login, users, klass):
    client.get("/auth/login", base_url=HTTPS)
    login_page = client.get("/auth/login", base_url=HTTPS).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    response = client.post("/auth/login", base_url=HTTPS, data={
        "login": "trainer", "password": "secret-pass-1", "csrf_token": token},
        headers={"Referer": f"{HTTPS}/auth/login"})
    assert response.status_code == 302
    g.pop("csrf_token", None)  # the tests keep one app context: a browser would not have it
    page = client.get(_url(klass, first(klass)), base_url=HTTPS).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture()
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_the_csrf_token_in_the_header_over_https_with_a_same_origin_referer(
        client, login, users, running, db, csrf_on):
    klass, applications = running()
    token = _https_page(client, login, users, klass)
    page = f"{HTTPS}{_url(klass, first(klass))}"
    items = [op(first(klass), applications[0], taken=utcnow())]
    sent = client.post(API, base_url=HTTPS, json=_batch(items),
                       headers={"X-CSRFToken": token, "Referer": page})
    assert sent.status_code == 200 and sent.get_json()["results"][0]["result"] == "applied"


@pytest.mark.parametrize(("headers", "why"), [
    ({"X-CSRFToken": "TOKEN"}, "referrer header is missing"),
    ({"X-CSRFToken": "TOKEN", "Referer": "https://evil.example/page"}, "does not match"),
    ({"Referer": "PAGE"}, "missing"),
    ({"X-CSRFToken": "stale.token.value", "Referer": "PAGE"}, "invalid"),
])
def test_without_a_good_token_and_referer_the_csrf_refusal_is_json_and_nothing_is_written(
        client, login, users, running, db, csrf_on, headers, why):
    klass, applications = running()
    token = _https_page(client, login, users, klass)
    page = f"{HTTPS}{_url(klass, first(klass))}"
    headers = {k: v.replace("TOKEN", token).replace("PAGE", page) for k, v in headers.items()}
    response = client.post(API, base_url=HTTPS, headers=headers,
                           json=_batch([op(first(klass), applications[0], taken=utcnow())]))
    assert response.status_code == 400 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == "csrf" and "Phiên làm việc đã hết hạn" in body["message"]
    assert why in body["detail"].lower()
    assert stored_ops() == []


def test_sync_gives_a_fresh_token_and_the_pages_to_keep_offline(client, login, users, running):
    klass, applications = running()
    login(users["trainer"])
    body = client.get("/api/attendance/sync").get_json()
    assert body["user_id"] == users["trainer"].id and body["csrf_token"]
    assert body["pages"] == [_url(klass, s) for s in klass.sessions]
    client.post("/auth/logout")
    login(users["coordinator"])
    assert client.get("/api/attendance/sync").get_json()["pages"] == []  # teaches no class


def test_the_service_worker_is_served_at_a_stable_address(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "application/javascript"
    text = response.get_data(as_text=True)
    assert "importScripts(" in text and "/static/build/vendor/idb-keyval/" in text
    assert "no-cache" in response.headers["Cache-Control"]


def _form(applications, form_id, shown="", **changes):
    data = {"form_id": form_id}
    for a in applications:
        data[f"s-{a.id}"] = changes.get(a.cadre.full_name, "present")
        data[f"w-{a.id}"] = shown
    return data


def test_the_form_without_javascript_saves_once_when_sent_twice_or_again_after_back(
        client, login, users, running, db):
    klass, applications = running()
    session = first(klass)
    people = by_name(applications)
    login(users["trainer"])
    page = client.get(_url(klass, session)).get_data(as_text=True)
    form_id = re.search(r'name="form_id" type="hidden" value="([^"]+)"', page).group(1)
    data = _form(applications, form_id, **{"Phạm Văn Ba": "late"})
    assert client.post(_url(klass, session), data=data).status_code == 303
    assert len(stored_ops()) == 4
    again = client.post(_url(klass, session), data=data)  # a double tap
    assert again.status_code == 303, again.get_data(as_text=True)
    assert "Không có gì thay đổi" in client.get(again.location).get_data(as_text=True)
    assert len(stored_ops()) == 4
    # Back, Ba changed to absent, sent again: the one changed learner is a new operation
    changed = _form(applications, form_id, **{"Phạm Văn Ba": "absent"})
    assert client.post(_url(klass, session), data=changed).status_code == 303
    assert len(stored_ops()) == 5
    assert marks(session)[people["Phạm Văn Ba"].id] == ("absent", "")
    assert {o.source for o in stored_ops()} == {"form"}


def test_a_finished_class_is_corrected_through_the_form_with_its_reason(client, login, users,
                                                                        running):
    """The page of a running class marks through the phone's queue; a finished class's page
    keeps its form, which asks a coordinator for the reason of a correction."""
    klass, applications = running()
    login(users["trainer"])
    assert "data-offline data-session" in client.get(_url(klass, first(klass))).get_data(
        as_text=True)
    finished, _learners = running(names=[("Lò Thị Xong", "F")], status="finished")
    client.post("/auth/logout")
    login(users["coordinator"])
    page = client.get(_url(finished, first(finished))).get_data(as_text=True)
    assert "data-offline data-session" not in page and "name=\"reason\"" in page
