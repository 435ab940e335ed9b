"""`flask users create`: an account from the command line (e.g. the first admin), refused for the
same reasons and with the same messages as the admin's account form (`NewUserForm` and its
`validate_unique`), so there is one set of rules for both."""

from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.datastructures import MultiDict

from app.auth.roles import ROLES
from app.extensions import db

users_cli = AppGroup("users", help="Quản lý tài khoản.")

# How each form field is named on the command line, for the messages.
OPTION_OF_FIELD = {"username": "USERNAME", "full_name": "--name", "phone": "--phone",
                   "email": "--email", "roles": "--role", "password": "--password",
                   "confirm": "--password"}


def account_problems(*, username, full_name, phone, email, roles, password) -> list[str]:
    """Each reason the admin's form would refuse these values, as "--option: message" lines
    (in Vietnamese, as the command line speaks); empty when the account can be created."""
    from app.auth.forms import NewUserForm

    data = MultiDict([("username", username), ("full_name", full_name), ("phone", phone or ""),
                      ("email", email or ""), ("password", password), ("confirm", password),
                      ("active", "y")] + [("roles", role) for role in roles])
    with current_app.test_request_context(), force_locale("vi"):
        form = NewUserForm(formdata=data, meta={"csrf": False})
        # as the view: the uniqueness check only once the fields themselves are right
        if form.validate():
            form.validate_unique()
        return [f"{OPTION_OF_FIELD.get(name, name)}: {message}"
                for name, messages in form.errors.items() for message in messages]


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Họ và tên")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
              help="Vai trò (ghi nhiều lần cho nhiều vai trò)")
@click.option("--phone", default=None, help="Số điện thoại (để đăng nhập bằng số điện thoại)")
@click.option("--email", default=None, help="Thư điện tử")
@click.password_option(help="Mật khẩu (được hỏi nếu không ghi)")
def create_user(username, full_name, roles, phone, email, password):
    """Create an account, e.g. the first admin."""
    from app.auth import service

    try:
        problems = account_problems(username=username, full_name=full_name, phone=phone,
                                    email=email, roles=roles, password=password)
    except SQLAlchemyError as exc:
        _stop(f"Không đọc được cơ sở dữ liệu ({_first_line(exc)}); đã chạy "
              "`flask db upgrade` chưa?")
    if problems:
        _stop("Chưa tạo tài khoản:\n" + "\n".join(f"  {line}" for line in problems))
    roles = sorted(set(roles))
    try:
        service.create_user(None, username=username, full_name=full_name,
                            password=password, roles=roles, phone=phone, email=email)
        db.session.commit()
    except IntegrityError:
        # never str(exc): its parameters hold the password hash
        db.session.rollback()
        _stop("Chưa tạo tài khoản: tên đăng nhập hoặc số điện thoại vừa được dùng cho tài khoản "
              "khác.")
    click.echo(f"Đã tạo tài khoản {username} ({', '.join(roles)}).")


def _first_line(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]


def _stop(message: str) -> NoReturn:
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


@users_cli.command("disable-2fa")
@click.argument("username")
def disable_two_factor(username):
    """Turn off two-factor sign-in of an account whose owner lost both the phone and the
    recovery codes (the owner turns it on again at the next sign-in)."""
    from app.auth import service, two_factor

    user = service.find_by_username(username)
    if user is None:
        _stop(f"Không có tài khoản {username}.")
    if not two_factor.enabled(user):
        _stop(f"Tài khoản {user.username} chưa bật xác thực hai bước.")
    two_factor.disable(None, user)
    db.session.commit()
    click.echo(f"Đã tắt xác thực hai bước của tài khoản {user.username}.")
