"""Command-line commands: `flask setup`, `flask demo`, `flask users create`."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.extensions import db

users_cli = AppGroup("users", help="Quản lý tài khoản.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Họ và tên")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["admin", "coordinator", "trainer", "learner"]))
@click.option("--phone", default=None)
@click.password_option(help="Mật khẩu (được hỏi nếu không ghi)")
def create_user(username, full_name, roles, phone, password):
    """Create an account, e.g. the first admin."""
    from app.auth import service

    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.ClickException(
            f"Mật khẩu phải có ít nhất {current_app.config['PASSWORD_MIN_LENGTH']} ký tự.")
    if problem := service.username_problem(username):
        raise click.ClickException(problem)
    if service.username_taken(username):
        raise click.ClickException(f"Tên đăng nhập {username} đã tồn tại.")
    if service.phone_taken(service.normalise_phone(phone)):
        raise click.ClickException(f"Số điện thoại {phone} đã gắn với tài khoản khác.")
    service.create_user(None, username=username, full_name=full_name, password=password,
                        roles=roles, phone=phone)
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {username} ({', '.join(roles)}).")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
