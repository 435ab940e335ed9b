"""The read-only API as its machine clients meet it: a token or 401, the token's unit or 403,
pages of at most 100 rows or 400, counts without names, the certificate check audited; the
admin's token page (shown once, stored hashed, revoked)."""

import re

from sqlalchemy import func, select

from app.api.models import ApiToken
from app.api.tokens import digest
from app.audit.models import AuditEntry
from tests.api.conftest import bearer


def test_without_a_token_or_with_a_wrong_or_revoked_one_401(client, world, login, users):
    for headers in ({}, {"Authorization": "Bearer tph_not-a-token"},
                    {"Authorization": "Basic YWRtaW46ZGVtbw=="}, bearer(world["revoked"])):
        response = client.get("/api/v1/classes", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json["status"] == 401 and "khóa" in response.json["message"]
    login(users["admin"])  # a signed-in session is no token
    assert client.get("/api/v1/classes").status_code == 401


def test_the_province_token_sees_everything(client, world):
    response = client.get("/api/v1/classes", headers=bearer(world["province"]))
    assert response.status_code == 200
    assert [c["code"] for c in response.json["items"]] == ["SK-01", "SH-01"]
    assert response.json["total"] == 2 and response.json["pages"] == 1
    assert response.headers["Cache-Control"] == "no-store"
    units = client.get("/api/v1/units?per_page=100", headers=bearer(world["province"])).json
    assert units["total"] > 19  # the old and new communes, and the province


def test_a_commune_token_sees_its_commune_only(client, world):
    headers = bearer(world["commune"])
    listed = client.get("/api/v1/classes", headers=headers).json
    assert [c["code"] for c in listed["items"]] == ["SK-01"]
    assert client.get(f"/api/v1/classes/{world['ky'].id}", headers=headers).status_code == 200
    for path in (f"/api/v1/classes/{world['ha'].id}", f"/api/v1/classes/{world['ha'].id}/sessions",
                 f"/api/v1/classes/{world['ha'].id}/attendance",
                 f"/api/v1/units/{world['son_ha'].id}",
                 f"/api/v1/indicators?kind=year&year=2026&unit_id={world['son_ha'].id}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403, path
        assert response.json["status"] == 403
    units = client.get("/api/v1/units?per_page=100", headers=headers).json["items"]
    assert {u["name"] for u in units if u["kind"] == "commune"} == {"Sơn Kỳ", "Sơn Ba"}
    assert client.get("/api/v1/classes/999999", headers=headers).status_code == 404


def test_paging_has_a_maximum_page_size(client, world):
    headers = bearer(world["province"])
    page = client.get("/api/v1/units?per_page=5&page=2", headers=headers).json
    assert page["page"] == 2 and page["per_page"] == 5 and len(page["items"]) == 5
    first = client.get("/api/v1/units?per_page=5", headers=headers).json
    assert not {u["id"] for u in first["items"]} & {u["id"] for u in page["items"]}
    for query in ("per_page=101", "per_page=0", "per_page=abc", "page=0", "per_page=1.5"):
        response = client.get(f"/api/v1/units?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.json["field"] == query.split("=")[0]
    assert "từ 1 đến 100" in client.get("/api/v1/units?per_page=500",
                                        headers=headers).json["message"]


def test_sessions_and_attendance_are_counts_without_names(client, world):
    headers = bearer(world["commune"])
    klass = world["ky"]
    sessions = client.get(f"/api/v1/classes/{klass.id}/sessions", headers=headers).json
    assert [s["part"] for s in sessions["items"]] == ["morning", "afternoon"]
    summary = client.get(f"/api/v1/classes/{klass.id}/attendance", headers=headers)
    assert "Hoa" not in summary.get_data(as_text=True)
    data = summary.json
    assert (data["admitted"], data["sessions"], data["attended"], data["due"]) == (2, 2, 2, 4)
    assert data["completed"] == 1  # Hoa 2 of 2; Bốc 0 of 2 (50% needed)
    morning, afternoon = data["by_session"]
    assert (morning["present"], morning["absent"], morning["unmarked"]) == (1, 1, 0)
    assert (afternoon["late"], afternoon["unmarked"]) == (1, 1)


def test_every_call_is_logged_per_token(client, world, caplog):
    with caplog.at_level("INFO", logger="app.api"):
        client.get("/api/v1/programs?page=1", headers=bearer(world["commune"]))
    prefix = world["commune"][:12]
    assert any(f"api call token={prefix} " in r.getMessage() and "/api/v1/programs?page=1"
               in r.getMessage() for r in caplog.records)


def test_certificate_verification_is_audited_per_token(client, world, db):
    code = world["code"]
    before = db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "api_read"))
    response = client.get(f"/api/v1/certificates/{code[:5]}-{code[5:]}",
                          headers=bearer(world["commune"]))
    assert response.status_code == 200
    assert response.json["holder_name"] == "Đinh Thị Hoa" and response.json["valid"] is True
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api_read")).all()
    assert len(entry) == before + 1 and "Phần mềm xã Sơn Kỳ" in entry[-1].summary
    assert client.get("/api/v1/certificates/AAAAA-BBBBB",
                      headers=bearer(world["commune"])).status_code == 404


def test_indicators_through_the_registry(client, world):
    from app.reports.indicators import LABELS

    response = client.get("/api/v1/indicators?kind=year&year=2026",
                          headers=bearer(world["commune"]))
    assert response.status_code == 200
    data = response.json
    assert data["unit_id"] == world["son_ky"].id  # a commune token: its commune
    assert [i["name"] for i in data["items"]] == list(LABELS)
    luot = next(i for i in data["items"] if i["name"] == "luot")
    assert luot["value"] == 2
    bad = client.get("/api/v1/indicators?kind=custom&start=2026-05-01&end=2026-01-01",
                     headers=bearer(world["province"]))
    assert bad.status_code == 400 and "Ngày kết thúc" in bad.json["message"]
    bad = client.get("/api/v1/indicators?kind=year&year=2026&program_id=999",
                     headers=bearer(world["province"]))
    assert bad.status_code == 400 and bad.json["field"] == "program_id"


def test_the_admin_makes_a_token_shown_once_and_stored_hashed(client, world, login, users, db,
                                                               son_ha):
    for role in ("coordinator", "trainer", "learner"):
        login(users[role])
        assert client.get("/admin/api-tokens/").status_code == 403, role
        client.post("/auth/logout")
    login(users["admin"])
    response = client.post("/admin/api-tokens/", data={"name": "Kho dữ liệu tỉnh",
                                                       "unit_id": str(son_ha["new:son-ha"].id)})
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'class="user-select-all token-secret">([^<]+)<',
                       response.get_data(as_text=True)).group(1)
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Kho dữ liệu tỉnh"))
    assert token.token_hash == digest(secret) and secret not in token.token_hash
    assert secret not in client.get("/admin/api-tokens/").get_data(as_text=True)
    listed = client.get("/api/v1/classes", headers=bearer(secret)).json
    assert [c["code"] for c in listed["items"]] == ["SH-01"]
    assert client.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 303
    assert client.get("/api/v1/classes", headers=bearer(secret)).status_code == 401
    refused = client.post("/admin/api-tokens/", data={"name": " "})
    assert refused.status_code == 400 and 'id="name-error"' in refused.get_data(as_text=True)


def test_calls_are_rate_limited_per_token(tmp_path, monkeypatch):
    """An app of its own with rate limits on (the test app has them off), on SQLite."""
    from app import create_app
    from app.api import tokens
    from app.extensions import db as _db
    from app.extensions import limiter
    from config import TestingConfig

    class Limited(TestingConfig):
        RATELIMIT_ENABLED = True
        API_RATE_LIMIT = "3 per minute"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        INSTANCE_PATH = str(tmp_path)

    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # restored after the test
    limited = create_app(Limited)
    with limited.app_context():
        _db.create_all()
        try:
            _one, first = tokens.create(None, "Một", None)
            _two, second = tokens.create(None, "Hai", None)
            _db.session.commit()
            client = limited.test_client()
            paths = ["/api/v1/units", "/api/v1/programs", "/api/v1/classes", "/api/v1/units"]
            statuses = [client.get(p, headers=bearer(first)).status_code for p in paths]
            assert statuses == [200, 200, 200, 429]
            assert client.get("/api/v1/units", headers=bearer(first)).json["status"] == 429
            assert client.get("/api/v1/units", headers=bearer(second)).status_code == 200
        finally:
            limiter.reset()
            _db.session.remove()
            _db.engine.dispose()


def test_list_queries_do_not_grow_with_the_rows(client, world, db, count_queries, son_ha):
    from datetime import date

    from tests.api.conftest import _class

    headers = bearer(world["province"])
    client.get("/api/v1/classes", headers=headers)
    with count_queries() as few:
        client.get("/api/v1/classes", headers=headers)
    for n in range(12):
        _class(db, f"X-{n:02d}", son_ha["new:son-thuy"], date(2026, 5, 1 + n))
    db.session.commit()
    with count_queries() as many:
        page = client.get("/api/v1/classes", headers=headers).json
    assert page["total"] == 14
    assert many() == few()


def test_class_filters_and_their_bad_values(client, world):
    headers = bearer(world["province"])
    listed = client.get("/api/v1/classes?from=2026-04-01", headers=headers).json["items"]
    assert [c["code"] for c in listed] == ["SH-01"]
    listed = client.get("/api/v1/classes?to=2026-03-31&status=finished", headers=headers).json
    assert [c["code"] for c in listed["items"]] == ["SK-01"]
    for query, field in (("status=bogus", "status"), ("from=2026-13-01", "from"),
                         ("to=01/03/2026", "to"), ("from=20260301", "from")):
        response = client.get(f"/api/v1/classes?{query}", headers=headers)
        assert response.status_code == 400 and response.json["field"] == field, query


def test_unknown_paths_and_methods_under_the_api_answer_json(client, world):
    for path in ("/api/v1/nothing-here", "/api/v1/classes/1/nothing", "/api/v1"):
        response = client.get(path, headers=bearer(world["province"]))
        assert response.status_code == 404, path
        assert response.is_json, path
        assert response.json == {"status": 404, "message": "Không tìm thấy.", "field": None}
    response = client.post("/api/v1/classes", headers=bearer(world["province"]))
    assert response.status_code == 405 and response.json["status"] == 405
    assert response.json["message"] == "Phương thức không được hỗ trợ."
    # outside the API, a missing page is still the HTML page
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
