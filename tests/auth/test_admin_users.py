from sqlalchemy import select

from app.auth.models import User


def _form(**overrides):
    data = {"username": "giangvien2", "full_name": "Phạm Thị Ngọc", "phone": "0912 345 678",
            "email": "", "roles": ["trainer", "learner"], "active": "y",
            "password": "mat-khau-dai", "confirm": "mat-khau-dai"}
    data.update(overrides)
    return data


def test_admin_creates_account_with_several_roles(client, db, users, login):
    login("admin")
    response = client.post("/admin/users/new", data=_form())
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "giangvien2"))
    assert user.roles == {"trainer", "learner"}
    assert user.phone == "0912345678"
    assert user.full_name == "Phạm Thị Ngọc"
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"login": "0912345678",
                                            "password": "mat-khau-dai"}).status_code == 302


def test_short_password_and_duplicate_username_are_refused(client, db, users, login):
    login("admin")
    short = client.post("/admin/users/new", data=_form(password="short", confirm="short"))
    assert short.status_code == 400
    assert "ít nhất 8 ký tự" in short.get_data(as_text=True)
    dup = client.post("/admin/users/new", data=_form(username="trainer"))
    assert dup.status_code == 400
    assert "Tên đăng nhập này đã có người dùng." in dup.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "giangvien2")) is None


def test_username_differing_only_in_case_is_taken(client, db, users, login):
    login("admin")
    dup = client.post("/admin/users/new", data=_form(username="Trainer"))
    assert dup.status_code == 400
    assert "Tên đăng nhập này đã có người dùng." in dup.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "Trainer")) is None
    rename = client.post(f"/admin/users/{users['learner'].id}",
                         data=_form(username="COORDINATOR", roles=["learner"]))
    assert rename.status_code == 400
    db.session.refresh(users["learner"])
    assert users["learner"].username == "learner"


def test_new_account_form_never_autofills_the_admins_password(client, users, login):
    login("admin")
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert page.count('autocomplete="new-password"') == 2
    assert 'autocapitalize="none"' in page


def test_admin_deactivates_and_resets_password(client, db, users, login):
    login("admin")
    learner = users["learner"]
    assert client.post(f"/admin/users/{learner.id}/active",
                       data={"active": "0"}).status_code == 302
    db.session.refresh(learner)
    assert learner.active is False
    response = client.post(f"/admin/users/{learner.id}/password",
                           data={"password": "reset-pass-123", "confirm": "reset-pass-123"})
    assert response.status_code == 302
    client.post(f"/admin/users/{learner.id}/active", data={"active": "1"})
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"login": "learner",
                                            "password": "reset-pass-123"}).status_code == 302


def test_locking_twice_never_unlocks(client, db, users, login):
    """A double tap on "Khóa" (or the button in a tab left open) asks for the same state: the
    second press changes nothing, where a toggle would have unlocked the account again."""
    from app.audit.models import AuditEntry

    login("admin")
    learner = users["learner"]
    page = client.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{learner.id}/active"' in page
    assert '<input type="hidden" name="active" value="0">' in page
    for _ in range(2):
        response = client.post(f"/admin/users/{learner.id}/active", data={"active": "0"})
        assert response.status_code == 302
    db.session.refresh(learner)
    assert learner.active is False
    assert "đã bị khóa từ trước" in client.get("/admin/users").get_data(as_text=True)
    updates = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.update", AuditEntry.object_id == learner.id)).all()
    assert len(updates) == 1
    assert client.post(f"/admin/users/{learner.id}/active").status_code == 400
    assert client.post(f"/admin/users/{learner.id}/active",
                       data={"active": "yes"}).status_code == 400
    db.session.refresh(learner)
    assert learner.active is False


def test_admin_cannot_lock_themselves_out(client, db, users, login):
    login("admin")
    admin = users["admin"]
    assert client.post(f"/admin/users/{admin.id}/active",
                       data={"active": "0"}).status_code == 400
    response = client.post(f"/admin/users/{admin.id}", data=_form(
        username="admin", roles=["coordinator"]))
    assert response.status_code == 400
    db.session.refresh(admin)
    assert "admin" in admin.roles


def test_usernames_must_not_look_like_phone_numbers(client, db, users, login):
    login("admin")
    response = client.post("/admin/users/new", data=_form(username="0911222333"))
    assert response.status_code == 400
    assert "không trùng với số điện thoại" in response.get_data(as_text=True)


def test_setup_loads_positions_and_son_ha_on_request(app, db):
    from app.people.models import Position, Unit

    result = app.test_cli_runner().invoke(args=["setup", "--son-ha"])
    assert result.exit_code == 0, result.output
    assert db.session.query(Position).count() > 10
    assert db.session.query(Unit).filter(Unit.kind == "commune").count() == 19


def test_account_list_pages_in_name_order_and_keeps_the_search(app, client, db, users, login,
                                                               make_user):
    for i in range(app.config["PAGE_SIZE"] + 5):
        make_user(f"hocvien{i:03d}", full_name=f"Đinh Văn Học {i:03d}")
    login("admin")
    first = client.get("/admin/users?q=dinh van hoc").get_data(as_text=True)
    assert f"{app.config['PAGE_SIZE'] + 5} tài khoản" in first
    assert "Trang 1 / 2" in first
    assert "hocvien000" in first and "hocvien054" not in first
    assert "q=dinh+van+hoc&amp;page=2" in first
    second = client.get("/admin/users?q=dinh van hoc&page=2").get_data(as_text=True)
    assert "hocvien054" in second and "hocvien000" not in second
    assert ">admin</a>" not in second  # the search keeps other accounts out


def test_account_list_queries_do_not_grow_with_accounts(client, db, users, login, make_user,
                                                        count_queries):
    login("admin")
    client.get("/admin/users")
    db.session.remove()
    with count_queries() as few:
        assert client.get("/admin/users").status_code == 200
    for i in range(20):
        make_user(f"hocvien{i}", roles=("learner", "trainer"))
    db.session.remove()
    with count_queries() as many:
        page = client.get("/admin/users").get_data(as_text=True)
    assert "hocvien19" in page
    assert many() == few()


def test_username_with_a_trailing_newline_is_refused():
    from app.auth.service import username_problem

    assert username_problem("hoa.dinh") is None
    assert username_problem("hoa.dinh\n") is not None  # "$" alone would have let it through
    assert username_problem("1234567") is not None
