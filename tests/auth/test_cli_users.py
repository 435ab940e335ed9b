"""`flask users create` refuses what the admin's account form refuses, with the same messages."""

import html

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.roles import ROLES

GOOD = {"--name": "Đinh Văn Quản", "--role": "admin", "--password": "mat-khau-dai-1"}


def _create(app, username="quantri", **options):
    """Run `flask users create` with GOOD's options, changed or left out (None) by `options`."""
    chosen = {**GOOD, **{f"--{k.replace('_', '-')}": v for k, v in options.items()}}
    args = ["users", "create", username]
    for option, value in chosen.items():
        if value is not None:
            args += [option, value]
    return app.test_cli_runner().invoke(args=args)


def _accounts(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def _refused(result):
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a refusal, not an error
    assert "Traceback" not in result.output
    return result.stderr


@pytest.mark.parametrize("missing", ["--name", "--role"])
def test_a_missing_option_is_named(app, db, missing):
    result = _create(app, **{missing[2:]: None})
    assert result.exit_code == 2
    assert f"Missing option '{missing}'" in result.output
    assert _accounts(db) == 0


def test_roles_are_the_roles_of_the_app(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "--help"])
    assert "|".join(ROLES) in result.output
    result = _create(app, role="superuser")
    assert result.exit_code == 2 and "superuser" in result.output
    assert _accounts(db) == 0


@pytest.mark.parametrize(("options", "line"), [
    ({"name": "   "}, "--name: Vui lòng nhập họ và tên."),
    ({"phone": "0905-12ab"}, "--phone: Số điện thoại không hợp lệ."),
    ({"phone": "0905 123 456 789 0"}, "--phone: Số điện thoại không hợp lệ."),
    ({"name": "Đinh " + "a" * 116}, "--name: Không được dài quá 120 ký tự."),
    ({"password": "ngan"}, "--password: Mật khẩu phải có ít nhất 8 ký tự."),
    ({"password": ""}, "--password: Vui lòng nhập mật khẩu."),
    ({"email": "khong-phai-thu"}, "--email: Địa chỉ thư điện tử không hợp lệ."),
    ({"username": "0905123456"}, "USERNAME: Tên đăng nhập gồm chữ không dấu"),
    ({"username": "bad name!"}, "USERNAME: Tên đăng nhập gồm chữ không dấu"),
    ({"username": "a" * 65}, "USERNAME: Không được dài quá 64 ký tự."),
])
def test_bad_values_are_refused_with_the_form_messages(app, db, options, line):
    result = _create(app, **options)
    assert line in _refused(result)
    assert "Chưa tạo tài khoản" in result.stderr
    assert _accounts(db) == 0


def test_every_problem_is_listed_at_once(app, db):
    result = _create(app, name="", phone="12ab", password="ngan")
    lines = _refused(result).splitlines()
    assert lines[1:] == ["  --name: Vui lòng nhập họ và tên.",
                         "  --phone: Số điện thoại không hợp lệ.",
                         "  --password: Mật khẩu phải có ít nhất 8 ký tự."]


def test_a_taken_username_or_phone_is_refused(app, db, make_user):
    make_user("quantri", phone="0905123456")
    result = _create(app, username="QuanTri")  # the same sign-in, whatever the case
    assert "USERNAME: Tên đăng nhập này đã có người dùng." in _refused(result)
    result = _create(app, username="khac", phone="+84 905 123 456")  # the same number
    assert "--phone: Số điện thoại này đã gắn với tài khoản khác." in _refused(result)
    assert _accounts(db) == 1


def test_the_messages_are_the_admin_forms(app, db, make_user, login, client):
    """Each line the command prints is on the admin's page for the same values."""
    make_user("trung", phone="0905000111")
    admin = make_user("admin", roles=("admin",))
    login(admin)
    values = {"username": "trung", "full_name": "", "phone": "0905 000 111",
              "password": "ngan", "email": "x@", "roles": "admin"}
    result = _create(app, username=values["username"], name=values["full_name"],
                     phone=values["phone"], password=values["password"], email=values["email"])
    messages = [line.split(": ", 1)[1] for line in _refused(result).splitlines()[1:]]
    assert len(messages) == 3  # name, email, password (uniqueness once the fields are right)
    page = client.post("/admin/users/new", data={**values, "confirm": values["password"]})
    assert page.status_code == 400
    text = html.unescape(page.get_data(as_text=True))
    assert all(message in text for message in messages), messages

    # once the fields are right, the same uniqueness messages
    values.update(full_name="Trung", password="mat-khau-dai-1", email="")
    result = _create(app, username=values["username"], name=values["full_name"],
                     phone=values["phone"], password=values["password"])
    messages = [line.split(": ", 1)[1] for line in _refused(result).splitlines()[1:]]
    assert len(messages) == 2
    page = client.post("/admin/users/new", data={**values, "confirm": values["password"]})
    text = html.unescape(page.get_data(as_text=True))
    assert all(message in text for message in messages), messages


def test_a_good_account_is_created_and_can_sign_in(app, db):
    nfd = "Đinh Va\u0306n Qua\u0309n"  # as some keyboards type it: stored composed (NFC)
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "quantri", "--name", nfd, "--role", "admin",
        "--role", "coordinator", "--phone", "0905 123 456", "--password", "mat-khau-dai-1"])
    assert result.exit_code == 0, result.output
    assert result.output == "Đã tạo tài khoản quantri (admin, coordinator).\n"
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.username == "quantri")).one()
    assert user.full_name == "Đinh Văn Quản" and user.roles == {"admin", "coordinator"}
    assert user.phone == "0905123456" and user.active
    assert user.check_password("mat-khau-dai-1")
    assert user.password_hash not in result.output and "pbkdf2" not in result.output


def test_a_database_without_tables_is_one_line(tmp_path):
    from app import create_app
    from config import TestingConfig

    class Empty(TestingConfig):  # `flask db upgrade` never ran
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'empty.db'}"

    result = create_app(Empty).test_cli_runner().invoke(args=["users", "create", "quantri", *[
        item for pair in GOOD.items() for item in pair]])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Không đọc được cơ sở dữ liệu (no such table: users)")
    assert "flask db upgrade" in result.stderr and len(result.stderr.splitlines()) == 1
