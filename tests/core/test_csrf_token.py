"""The CSRF token a page carries is signed once per session token (app/core/csrf_token.py):
the same token on every page of a sign-in, accepted; another browser's, or the one from before
signing in again, refused."""

import re
from datetime import timedelta

import pytest
import time_machine
from flask import g

from tests.conftest import PASSWORD, BrowserLikeClient

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser(BrowserLikeClient):
    """Nor the signed token of the request before (`g` lives as long as the test's app
    context)."""

    def open(self, *args, **kwargs):
        g.pop("csrf_token", None)
        return super().open(*args, **kwargs)


@pytest.fixture()
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True  # read at each request; the tests run without it
    app.test_client_class = Browser
    yield
    app.config["WTF_CSRF_ENABLED"] = False
    app.test_client_class = BrowserLikeClient


def _token(client, path="/auth/password") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def _sign_in(client, name):
    token = _token(client, "/auth/login")
    response = client.post("/auth/login", data={"login": name, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302


def test_each_page_of_a_sign_in_carries_the_same_token_and_it_is_accepted(
        app, users, db, csrf_on):
    browser = app.test_client()
    with time_machine.travel("2026-03-02 08:00:00+00:00", tick=False) as clock:
        _sign_in(browser, "learner")
        _token(browser)  # the session's token made, and signed, by Flask-WTF
        clock.shift(timedelta(minutes=3))  # a signature made now would differ
        token = _token(browser, "/")  # signed once for this session ...
        clock.shift(timedelta(hours=3))
        assert _token(browser) == token == _token(browser, "/classes/")  # ... and kept
        assert browser.post("/auth/logout", data={}).status_code == 400  # without it: refused
        tampered = ("A" if token[0] != "A" else "B") + token[1:]
        assert browser.post("/auth/logout", data={"csrf_token": tampered}).status_code == 400
        assert browser.get("/auth/password").status_code == 200
        assert browser.post("/auth/logout", data={"csrf_token": token}).status_code == 302
        assert browser.get("/auth/password").status_code == 302  # signed out


def test_another_browsers_token_and_an_old_one_are_refused(app, users, db, csrf_on):
    mine, theirs = app.test_client(), app.test_client()
    _sign_in(mine, "learner")
    _sign_in(theirs, "coordinator")
    their_token, my_token = _token(theirs), _token(mine)
    assert their_token != my_token
    assert mine.post("/auth/logout", data={"csrf_token": their_token}).status_code == 400
    assert mine.post("/auth/logout", data={"csrf_token": my_token}).status_code == 302
    _sign_in(mine, "learner")  # a new session, a new token
    assert _token(mine) != my_token
    assert mine.post("/auth/logout", data={"csrf_token": my_token}).status_code == 400


def test_with_a_time_limit_the_token_is_signed_afresh(app, users, db, csrf_on):
    """A time limit makes the signature's age count: then every page signs its token anew, as
    Flask-WTF does, and an old page's token runs out."""
    app.config["WTF_CSRF_TIME_LIMIT"] = 600
    try:
        with time_machine.travel("2026-03-02 08:00:00+00:00", tick=False) as clock:
            browser = app.test_client()
            _sign_in(browser, "learner")
            first = _token(browser)
            clock.shift(timedelta(minutes=11))
            assert _token(browser) != first
            assert browser.post("/auth/logout", data={"csrf_token": first}).status_code == 400
    finally:
        app.config["WTF_CSRF_TIME_LIMIT"] = None
