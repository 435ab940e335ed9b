"""The session cookie is written again only when the session changed or its signature has
aged (app/core/cookie_session.py): a sign-in still ends SESSION_HOURS after its last use."""

from datetime import UTC, datetime, timedelta

import time_machine

from app.core.cookie_session import REFRESH_EVERY

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _sets_session(response) -> bool:
    return any(value.startswith("session=") for value in response.headers.getlist("Set-Cookie"))


def test_an_unchanged_session_is_not_written_on_every_page(app, client, login, users):
    with time_machine.travel(START, tick=False) as clock:
        login("learner")
        assert _sets_session(client.get("/"))  # the first page puts the CSRF token in it
        page = client.get("/")
        assert page.status_code == 200 and not _sets_session(page)
        clock.shift(REFRESH_EVERY - timedelta(seconds=5))
        assert not _sets_session(client.get("/"))
        clock.shift(timedelta(seconds=10))  # the signature is older than REFRESH_EVERY
        again = client.get("/")
        assert again.status_code == 200 and _sets_session(again)
        assert not _sets_session(client.get("/"))


def test_a_changed_session_is_written_at_once(app, client, login, users):
    with time_machine.travel(START, tick=False):
        login("learner")
        client.get("/")
        assert not _sets_session(client.get("/"))
        with client.session_transaction() as session:  # a browser holding a changed cookie
            session["_flashes"] = [("info", "Lớp học mới đã mở")]
        page = client.get("/")  # shows the message and removes it from the session
        assert "Lớp học mới đã mở" in page.get_data(as_text=True) and _sets_session(page)
        assert "Lớp học mới đã mở" not in client.get("/").get_data(as_text=True)


def test_a_sign_in_lasts_session_hours_from_its_last_use(app, client, login, users):
    hours = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    with time_machine.travel(START, tick=False) as clock:
        login("learner")
        clock.shift(hours - timedelta(minutes=1))  # used just before the end: it goes on
        assert client.get("/").status_code == 200
        clock.shift(hours - timedelta(minutes=1))
        assert client.get("/").status_code == 200
        clock.shift(hours + timedelta(minutes=1))  # unused for longer: signed out
        response = client.get("/")
        assert response.status_code == 302 and "/auth/login" in response.location


def test_a_sign_in_used_less_than_refresh_every_apart_still_slides(app, client, login, users):
    """Pages every few minutes, each finding the cookie too young to write: the cookie is
    written again as soon as it is REFRESH_EVERY old, so the sign-in never ends while used."""
    hours = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    step = REFRESH_EVERY * 0.8
    with time_machine.travel(START, tick=False) as clock:
        login("learner")
        used = timedelta(0)
        while used < hours + REFRESH_EVERY * 3:
            clock.shift(step)
            used += step
            assert client.get("/").status_code == 200, used
