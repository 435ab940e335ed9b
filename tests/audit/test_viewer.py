"""The audit log viewer (issue 16, item 4): admins read every entry, coordinators those about
what they manage and their own account; filters; one page in SQL; no route edits or deletes an
entry."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from app.audit.models import AuditEntry, record


@pytest.fixture()
def entries(db, users, make_cadre):
    """A cadre's history, a class change with a reason, an admin's account work and a
    coordinator's sign-in."""
    cadre = make_cadre("Đinh Thị Hoa")
    admin, coordinator = users["admin"], users["coordinator"]
    rows = [
        record(coordinator, "cadre.update", "cadre", cadre.id, "Sửa hồ sơ Đinh Thị Hoa",
               data={"before": {"phone": "0905111222", "village": "Làng <Rí>"},
                     "after": {"phone": "0905333444"}}),
        record(coordinator, "class.capacity", "class", 7, "Đổi số chỗ lớp LTH-01",
               reason="Thêm phòng học", data={"before": 30, "after": 35}),
        record(admin, "user.create", "user", users["trainer"].id, "Tạo tài khoản trainer"),
        record(admin, "settings.update", "org_settings", 1, "Sửa thiết lập"),
        record(None, "auth.lock", "user", coordinator.id, "Tạm khóa đăng nhập coordinator"),
    ]
    db.session.commit()
    return cadre, rows


def test_an_admin_reads_every_entry_with_old_and_new_values(client, login, entries):
    login("admin")
    page = client.get("/audit/").get_data(as_text=True)
    for text in ("Sửa hồ sơ Đinh Thị Hoa", "Đổi số chỗ lớp LTH-01", "Thêm phòng học",
                 "Tạo tài khoản trainer", "Sửa thiết lập", "0905333444", "0905111222",
                 "hệ thống", "Làng &lt;Rí&gt;"):
        assert text in page


def test_a_coordinator_reads_what_they_manage_and_their_own_account(client, login, entries):
    login("coordinator")
    page = client.get("/audit/").get_data(as_text=True)
    assert "Sửa hồ sơ Đinh Thị Hoa" in page and "Đổi số chỗ lớp LTH-01" in page
    assert "Tạm khóa đăng nhập coordinator" in page  # their own account
    assert "Tạo tài khoản trainer" not in page  # the admin's account work
    assert "Sửa thiết lập" not in page
    # filtering to another object type does not open it
    page = client.get("/audit/?object_type=org_settings").get_data(as_text=True)
    assert "Sửa thiết lập" not in page


@pytest.mark.parametrize("role", ["trainer", "learner"])
def test_trainers_and_learners_do_not_read_the_log(client, login, entries, role):
    login(role)
    assert client.get("/audit/").status_code == 403


def test_filters(client, login, entries, users, db):
    cadre, _rows = entries
    login("admin")

    def shown(query):
        return client.get(f"/audit/?{query}").get_data(as_text=True)

    page = shown(f"object_type=cadre&object_id={cadre.id}")
    assert "Sửa hồ sơ Đinh Thị Hoa" in page and "Đổi số chỗ" not in page
    page = shown(f"user={users['admin'].id}")
    assert "Tạo tài khoản trainer" in page and "Sửa hồ sơ" not in page
    page = shown("action=class.capacity")
    assert "Đổi số chỗ lớp LTH-01" in page and "Sửa hồ sơ" not in page
    page = shown("action=class.")
    assert "Đổi số chỗ lớp LTH-01" in page and "Sửa hồ sơ" not in page
    assert "Đổi số chỗ lớp LTH-01" in shown("q=phòng học")
    assert "Sửa hồ sơ" not in shown("q=phòng học")
    old = AuditEntry(action="cadre.create", object_type="cadre", object_id=cadre.id,
                     summary="Thêm từ năm ngoái", at=datetime(2025, 3, 1, 3, 0))
    db.session.add(old)
    db.session.commit()
    page = shown("since=01/03/2025&until=01/03/2025")
    assert "Thêm từ năm ngoái" in page and "Sửa hồ sơ" not in page
    # bad filters are ignored, never an error
    for query in ("user=²", "object_id=99999999999", "since=31/02/2025", "page=abc",
                  "action=%25", "q=" + "x" * 5000):
        assert client.get(f"/audit/?{query}").status_code == 200


def test_one_page_is_paged_in_sql_with_a_constant_number_of_queries(app, client, login, db,
                                                                    users, count_queries):
    for i in range(3 * app.config["PAGE_SIZE"] + 7):
        record(users["coordinator"] if i % 2 else users["admin"], "cadre.update", "cadre", i + 1,
               f"Mục số {i:04d}", data={"before": i, "after": i + 1})
    db.session.commit()
    login("admin")
    client.get("/audit/?page=2")  # the first request after signing in does a little more
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with count_queries() as first:
            page_one = client.get("/audit/").get_data(as_text=True)
        with count_queries() as third:
            page_three = client.get("/audit/?page=3").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert first() == third() <= 10
    paged = [s for s in statements if "FROM audit_entries" in s and "LIMIT" in s.upper()]
    assert paged and all("OFFSET" in s.upper() for s in paged)
    size = app.config["PAGE_SIZE"]
    newest = 3 * size + 6
    assert f"Mục số {newest:04d}" in page_one and f"Mục số {newest - size:04d}" not in page_one
    assert f"Mục số {newest - 2 * size:04d}" in page_three
    assert f"Mục số {newest:04d}" not in page_three


def test_no_route_edits_or_deletes_an_entry(app, client, login, entries):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit_log.")]
    assert rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)
    login("admin")
    _cadre, rows = entries
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/audit/").status_code == 405
        assert getattr(client, method)(f"/audit/{rows[0].id}").status_code in (404, 405)


def test_times_show_in_local_time(client, login, db, users):
    entry = record(users["admin"], "cadre.update", "cadre", 1, "Lúc nửa đêm")
    entry.at = datetime(2026, 3, 1, 17, 30) - timedelta(hours=0)  # 00:30 on 2/3 in Việt Nam
    db.session.commit()
    login("admin")
    assert "00:30 02/03/2026" in client.get("/audit/").get_data(as_text=True)
