"""Fixtures: the app on SQLite (or TEST_DATABASE_URL), a clean database per test, factories."""

import itertools
from contextlib import contextmanager

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event

from app import create_app
from app.extensions import db as _db
from app.people.reference import ensure_positions, ensure_son_ha_units
from config import TestingConfig

PASSWORD = "secret-pass-1"


class BrowserLikeClient(FlaskClient):
    """A test client whose every request finds the user from its own cookies, as a browser's
    would. The `db` fixture keeps one app context for the whole test, so Flask-Login's cached
    user on `g` would otherwise carry over from one request (or one client) to the next; so
    would the CSRF token Flask-WTF keeps on `g` for the request."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
            g.pop("csrf_token", None)
        return super().open(*args, **kwargs)


def pytest_collection_modifyitems(items):
    """A test that reaches a database is marked `database`: it uses the app (the `app`
    fixture, directly or through `db` and `client`), or its module makes an app or an engine
    of its own (`create_app(`, `TEST_DATABASE_URL`). The PostgreSQL pass of `make test` runs
    those only: a test of plain functions gives the same answer whatever the database."""
    sources: dict[str, str] = {}
    for item in items:
        path = str(item.fspath)
        if path not in sources:
            try:
                with open(path, encoding="utf-8") as source:
                    sources[path] = source.read()
            except OSError:
                sources[path] = ""
        kind = _kind(item)
        if kind == "sqlite":
            continue  # a SQLite file of its own, whatever TEST_DATABASE_URL says
        if kind == "postgresql" or "app" in getattr(item, "fixturenames", ()) or any(
                word in sources[path] for word in ("create_app(", "TEST_DATABASE_URL")):
            item.add_marker(pytest.mark.database)


def _kind(item) -> str | None:
    """The case of a test parametrized on the database `kind` ("sqlite", "postgresql"): the
    "sqlite" case makes a SQLite database of its own, so the PostgreSQL pass need not run it
    again (the slowest of them upgrade through every migration); the "postgresql" case uses
    TEST_DATABASE_URL, even when its module borrows the helper that says so from another."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("kind") if callspec is not None else None


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(TestingConfig)
    app.test_client_class = BrowserLikeClient
    app.config["UPLOAD_DIR"] = str(tmp_path_factory.mktemp("uploads"))  # not the instance/
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _wipe() -> None:
    """Every table emptied, and on PostgreSQL every sequence back to 1, as on a new database.
    Rows are deleted, children first, in one statement: a TRUNCATE of every table gives each
    table and index a new file, about 0.2 s a test on PostgreSQL."""
    _db.session.remove()
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(_postgresql_wipe(conn))
        else:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


_WIPES: dict[str, str] = {}


def _postgresql_wipe(conn) -> str:
    """The DO block that deletes every table's rows and restarts every sequence (built once:
    the sequences are the database's own, serial columns' and any other)."""
    if "postgresql" not in _WIPES:
        sequences = conn.exec_driver_sql(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences"
            " WHERE schemaname = current_schema()").scalars().all()
        steps = [f'DELETE FROM "{t.name}";' for t in reversed(_db.metadata.sorted_tables)]
        steps += [f"PERFORM setval('{name}', 1, false);" for name in sequences]
        _WIPES["postgresql"] = "DO $$ BEGIN " + " ".join(steps) + " END $$"
    return _WIPES["postgresql"]


@pytest.fixture()
def db(app):
    with app.app_context():
        yield _db
        _wipe()
        app.extensions["login_throttle"].reset()  # failed sign-ins of one test stay there


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def son_ha(db):
    """Positions and the Sơn Hà units (14 old communes, 5 new ones), committed."""
    ensure_positions()
    communes = ensure_son_ha_units()
    db.session.commit()
    return communes


_seq = itertools.count(1)


@pytest.fixture()
def make_user(db):
    from app.auth.models import User

    def make(username=None, roles=("learner",), password=PASSWORD, **fields):
        username = username or f"user{next(_seq)}"
        user = User(username=username, full_name=fields.pop("full_name", username.title()),
                    **fields)
        user.set_password(password)
        user.set_roles(roles)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture()
def users(make_user):
    """One account per role."""
    return {role: make_user(role, roles=(role,)) for role in
            ("admin", "coordinator", "trainer", "learner")}


@pytest.fixture()
def login(client):
    def do(user_or_name, password=PASSWORD):
        name = getattr(user_or_name, "username", user_or_name)
        return client.post("/auth/login", data={"login": name, "password": password})

    return do


@pytest.fixture()
def make_village(db):
    from app.people.models import Unit

    def make(commune, name):
        village = Unit(code=f"v{next(_seq)}", name=name, kind="village", category="thôn",
                       parent_id=commune.id)
        db.session.add(village)
        db.session.commit()
        return village

    return make


@pytest.fixture()
def make_cadre(db, son_ha):
    from sqlalchemy import select

    from app.people.models import Cadre, Position

    def make(full_name="Đinh Thị Hoa", gender="F", birth_year=1985, commune=None,
             position="truong-thon", **fields):
        cadre = Cadre(gender=gender, birth_year=birth_year,
                      commune_id=(commune or son_ha["new:son-ky"]).id,
                      position_id=db.session.scalar(
                          select(Position.id).where(Position.code == position)),
                      ethnicity_code=fields.pop("ethnicity_code", "18"), **fields)
        cadre.set_name(full_name)
        cadre.refresh_identity()
        db.session.add(cadre)
        db.session.commit()
        return cadre

    return make


@contextmanager
def statements():
    """Context manager recording the SQL statements sent: `with statements() as seen: ...`
    (the list of their texts, as the database received them)."""
    seen = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(_db.engine, "before_cursor_execute", before)


@pytest.fixture()
def daytime():
    """Today at 15:00 in Vietnam, the clock running on from there. Fixtures that put a class's
    sessions yesterday, today and tomorrow (07:30 and 13:30) expect today's to have begun, which
    is not so between midnight and 13:30 in Vietnam (17:00 to 06:30 UTC), when a run may come;
    the conftests of those tests use this for every test. `local_today()` is unchanged."""
    from datetime import datetime, time

    import time_machine

    from app.timeutil import LOCAL_TZ, local_today

    moment = datetime.combine(local_today(), time(15, 0), tzinfo=LOCAL_TZ)
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture()
def count_queries(db):
    """Context manager counting SQL statements: `with count_queries() as n: ...; n()`."""

    @contextmanager
    def counter():
        with statements() as seen:
            yield lambda: len(seen)

    return counter


@pytest.fixture()
def count_rows(db):
    """Context manager counting the ORM objects loaded (each row made an object, SQLAlchemy's
    `load` event), by model: `with count_rows() as n: ...; n()` (a Counter, {"Cadre": 5}).
    Beside `count_queries`, it shows a page that loads more than it shows."""
    from collections import Counter
    from contextlib import contextmanager

    @contextmanager
    def counter():
        loaded = Counter()

        def load(target, context):
            loaded[type(target).__name__] += 1

        event.listen(_db.Model, "load", load, propagate=True)
        try:
            yield lambda: loaded
        finally:
            event.remove(_db.Model, "load", load)

    return counter
