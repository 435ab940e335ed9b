import pytest

from app import create_app
from config import TestingConfig


class CSRFConfig(TestingConfig):
    WTF_CSRF_ENABLED = True


@pytest.fixture()
def csrf_client(db):
    return create_app(CSRFConfig).test_client()


def test_security_headers(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_forms_without_csrf_token_are_refused(csrf_client, users):
    response = csrf_client.post("/auth/login", data={"login": "admin",
                                                     "password": "secret-pass-1"})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)


def test_login_form_carries_a_csrf_token(csrf_client):
    page = csrf_client.get("/auth/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_no_inline_scripts_or_handlers(client, users, login, make_cadre):
    login("admin")
    for url in ("/", "/cadres/", "/units/", "/admin/users", "/auth/login"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and " onclick=" not in page, url


def test_production_needs_secret_key(monkeypatch):
    from config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        create_app(ProductionConfig)


def test_session_cookie_flags():
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert TestingConfig.SESSION_COOKIE_HTTPONLY is True
    assert TestingConfig.SESSION_COOKIE_SAMESITE == "Lax"


def test_english_switch(client, users, login):
    login("coordinator")
    client.get("/lang/en")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Cadres" in page and "Coordinator" in page
    assert "Please sign in" not in page
    client.get("/lang/vi")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Cán bộ điều phối" in page


def test_security_headers_on_a_signed_in_page_once_each(app, client, login, users):
    from flask import make_response

    login("learner")
    response = client.get("/")
    for name, value in (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                        ("Referrer-Policy", "same-origin"), ("Cache-Control", "no-store")):
        assert response.headers.getlist(name) == [value], name
    assert len(response.headers.getlist("Content-Security-Policy")) == 1
    assert "Strict-Transport-Security" not in response.headers
    app.config["SESSION_COOKIE_SECURE"] = True  # read at each response
    try:
        with app.test_request_context("/"):
            own = make_response("x")
            own.headers["content-security-policy"] = "default-src 'none'"  # a view's own
            own.cache_control.private = True
            own = app.process_response(own)
        assert own.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
        assert own.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
