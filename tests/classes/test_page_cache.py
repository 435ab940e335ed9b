"""A page's body kept while the tables it was made from are unchanged (app/core/page_cache.py,
app/core/table_versions.py): what a coordinator sees after any write is the new state, each
user's forms carry their own CSRF token, and nothing is kept of a request's own unsaved
writes."""

import html
import re

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditEntry
from app.classes.models import Application, TrainingClass
from app.core import page_cache, table_versions
from app.people.models import Cadre, Unit
from tests.conftest import PASSWORD


def _versions(db) -> dict:
    return table_versions.read(db.session.connection())


def _page(client, klass) -> str:
    response = client.get(f"/classes/{klass.id}/applications")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture()
def viewed(client, login, db, make_class, make_cadre, apply_for):
    """A class of three applicants whose applications page a coordinator has seen (kept)."""
    klass = make_class(capacity=1, min_women_share=0.0)
    apps = apply_for(klass, [make_cadre("Phạm Văn Một", gender="M"),
                             make_cadre("Hồ Thị Hai"), make_cadre("Đinh Văn Ba", gender="M")])
    db.session.commit()
    login("coordinator")
    assert "Phạm Văn Một" in _page(client, klass)
    return klass, apps


def test_the_page_is_kept_and_each_write_shows_at_once(client, db, viewed):
    klass, (first, second, third) = viewed
    assert _page(client, klass) == _page(client, klass)
    # a cadre's name
    db.session.get(Cadre, first.cadre_id).set_name("Phạm Văn Đổi")
    db.session.commit()
    page = _page(client, klass)
    assert "Phạm Văn Đổi" in page and "Phạm Văn Một" not in page
    # the commune renamed
    cadre = db.session.get(Cadre, second.cadre_id)
    db.session.get(Unit, cadre.commune_id).name = "Xã Đổi Tên"
    db.session.commit()
    assert "Xã Đổi Tên" in _page(client, klass)
    # an entry in the class's history
    db.session.add(AuditEntry(action="class.capacity", object_type="class",
                              object_id=klass.id, summary="Ghi chú mới của cán bộ điều phối"))
    db.session.commit()
    assert "Ghi chú mới của cán bộ điều phối" in _page(client, klass)
    # the seats, written as plain SQL (no table named: every kept page is made again)
    db.session.execute(text("UPDATE classes SET capacity = 17 WHERE id = :id"),
                       {"id": klass.id})
    db.session.commit()
    assert re.search(r'<span class="stat-n">17</span>', _page(client, klass))


def test_a_write_rolled_back_changes_nothing(client, db, viewed):
    klass, (first, _, _) = viewed
    before = _versions(db)
    db.session.get(Cadre, first.cadre_id).set_name("Phạm Văn Bỏ")
    db.session.flush()
    db.session.rollback()
    assert _versions(db) == before
    assert "Phạm Văn Một" in _page(client, klass)


def test_each_user_gets_their_own_csrf_token_from_a_kept_page(app, db, viewed, make_user):
    klass, _ = viewed
    other = make_user("dieuphoi2", roles=("coordinator",))
    app.config["WTF_CSRF_ENABLED"] = True
    app.extensions.pop("page_cache", None)  # the body kept by `viewed` was made without tokens
    try:
        tokens = []
        for name in ("coordinator", other.username):
            client = app.test_client()
            login_page = client.get("/auth/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)
            signed_in = client.post("/auth/login", data={
                "login": name, "password": "secret-pass-1", "csrf_token": token.group(1)})
            assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[-3000:]
            page = _page(client, klass)
            found = set(re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page))
            assert len(found) == 1 and page_cache._PLACEHOLDER not in page
            tokens.append(found.pop())
        assert tokens[0] != tokens[1]
        # the second coordinator confirms from the kept page with their own token
        form = re.search(r'action="/classes/\d+/allocation".*?</form>', page, re.DOTALL).group(0)
        fields = {name: html.unescape(value) for name, value in
                  re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form)}
        assert client.post(f"/classes/{klass.id}/allocation", data=fields).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    assert db.session.get(TrainingClass, klass.id).admitted_count == 1


def test_nothing_is_kept_of_a_request_that_has_written(app, db, viewed):
    klass, (first, _, _) = viewed
    made = []

    def make():
        made.append(db.session.get(Cadre, first.cadre_id).full_name)
        return "<p>thân trang</p>", 200

    with app.test_request_context("/kept"):
        db.session.get(Cadre, first.cadre_id).set_name("Phạm Văn Chưa Lưu")  # not flushed
        page_cache.body(("test",), make)
        db.session.flush()  # written, not committed
        page_cache.body(("test",), make)
        db.session.rollback()
        page_cache.body(("test",), make)
        page_cache.body(("test",), make)  # kept now
    assert made == ["Phạm Văn Chưa Lưu", "Phạm Văn Chưa Lưu", "Phạm Văn Một"]
    with app.test_request_context("/kept", method="POST"):
        page_cache.body(("test",), make)
    assert len(made) == 4


def test_a_write_counts_for_what_the_database_writes_with_it(db, viewed):
    klass, (first, _, _) = viewed
    before = _versions(db)
    db.session.get(TrainingClass, klass.id).place = "Nhà văn hóa thôn"
    db.session.commit()
    after = _versions(db)
    # the class's triggers write its applications and its trainers' rows
    for name in ("classes", "applications", "class_trainers"):
        assert after[name] != before.get(name), name
    assert after["cadres"] == before["cadres"]
    # a cadre's triggers write the counts and the name index
    db.session.get(Cadre, first.cadre_id).set_name("Phạm Văn Mới")
    db.session.commit()
    again = _versions(db)
    for name in ("cadres", "cadre_counts", "cadres_name_fts"):
        assert again[name] != after.get(name), name
    # a row deleted deletes the rows that refer to it by ON DELETE CASCADE
    cascades = {t.name for t in db.metadata.tables.values() for fk in t.foreign_keys
                if fk.ondelete and fk.column.table.name == "classes"}
    db.session.delete(db.session.get(Application, first.id))
    db.session.commit()
    assert _versions(db)["applications"] != again["applications"]
    assert cascades <= table_versions._implied()[("classes", "delete")]


_WRITES = re.compile(r"\b(?:(?<!DO )UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)


def test_every_trigger_of_the_database_is_known(db):
    """What each trigger writes besides its own table is in `table_versions.TRIGGERS`."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        triggers = connection.execute(text(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    else:
        triggers = connection.execute(text(
            "SELECT c.relname, p.prosrc FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal")).all()
    assert triggers
    for table, body in triggers:
        if connection.dialect.name == "sqlite":
            body = body.split("BEGIN", 1)[1]  # what it does, not when
        written = {name.lower() for name in _WRITES.findall(body)} - {table}
        assert written <= set(table_versions.TRIGGERS.get(table, ())), (table, written)


def test_the_tables_read_are_found_in_a_statement(db, son_ha):
    connection = db.session.connection()
    table_versions.start_reading(connection)
    db.session.execute(select(Cadre.id).join(Unit, Unit.id == Cadre.commune_id)).all()
    assert table_versions.stop_reading(connection) == {"cadres", "units"}
    table_versions.start_reading(connection)
    db.session.execute(text("SELECT 1")).all()
    assert table_versions.stop_reading(connection) == {table_versions.ANY}


def test_someone_signing_in_leaves_the_kept_page_standing(app, db, viewed, make_user,
                                                          monkeypatch):
    """A sign-in writes the sign-ins' table and nothing the page shows: the coordinator's kept
    page is not made again because a learner or a trainer has signed in somewhere (during an
    enrolment every sign-in made every kept page anew)."""
    from app.classes import application_views

    klass, _ = viewed
    made = []
    real = application_views._applications_body
    monkeypatch.setattr(application_views, "_applications_body",
                        lambda *a: made.append(1) or real(*a))
    coordinator = app.test_client()
    coordinator.post("/auth/login", data={"login": "coordinator", "password": PASSWORD})
    first = _page(coordinator, klass)
    make_user("hocvien9", roles=("learner",))
    made.clear()
    other = app.test_client()
    assert other.post("/auth/login", data={"login": "hocvien9", "password": PASSWORD}
                      ).status_code == 302
    assert other.get("/").status_code == 200
    assert _page(coordinator, klass) == first
    assert made == []


def test_a_foreign_key_counts_only_for_the_write_that_fires_it(db, viewed, make_user):
    """ON DELETE acts on a DELETE, ON UPDATE on an UPDATE: an account updated (a sign-in) or
    added changes no row that names an account; an account deleted may (its audit entries'
    author set to NULL, its sign-ins deleted)."""
    user = make_user("taikhoan7", roles=("learner",))
    before = _versions(db)

    def written() -> set[str]:
        nonlocal before
        after = _versions(db)
        out = {name for name, version in after.items() if before.get(name) != version}
        before = after
        return out

    user.full_name = "Tài Khoản Bảy"
    db.session.commit()
    assert written() == {"users"}
    db.session.delete(user)
    db.session.commit()
    assert {"users", "user_roles", "sign_ins", "audit_entries"} <= written()


def test_an_upsert_counts_for_what_an_update_cascades_to(db):
    """A position's code is referred to with ON UPDATE CASCADE by the classes' required roles:
    an INSERT (which may be an upsert) or an UPDATE of positions counts for them, a DELETE
    does not (no ON DELETE)."""
    implied = table_versions._implied()
    for kind in ("insert", "update"):
        assert "class_required_positions" in implied[("positions", kind)], kind
    assert "class_required_positions" not in implied.get(("positions", "delete"), set())


def test_an_insert_or_replace_counts_as_a_delete_too(db, make_user):
    """SQLite's INSERT OR REPLACE deletes the row it replaces, and the rows naming it go with
    it (ON DELETE): the tables they are in count as written."""
    from sqlalchemy import insert

    from app.auth.models import User

    if db.session.connection().dialect.name != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's")
    user = make_user("thaythe1", roles=("learner",))
    before = _versions(db)
    db.session.execute(insert(User).prefix_with("OR REPLACE").values(
        id=user.id, username="thaythe1", full_name="Thay Thế", password_hash="x",
        active=True, locale="vi", created_at=user.created_at))
    db.session.commit()
    after = _versions(db)
    assert after["user_roles"] != before.get("user_roles")
