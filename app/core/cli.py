"""Command-line commands: `flask setup`, `flask demo`, `flask users create`."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

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

    @app.cli.command("setup")
    @click.option("--son-ha", is_flag=True,
                  help="Nạp thêm các đơn vị của Sơn Hà trước và sau sáp nhập 01/07/2025.")
    def setup(son_ha):
        """Load reference data every organisation needs (positions; Sơn Hà units on request)."""
        from app.people.reference import ensure_positions, ensure_son_ha_units

        added = ensure_positions()
        if son_ha:
            ensure_son_ha_units()
        db.session.commit()
        click.echo(f"Đã thêm {added} chức vụ." + (" Đã nạp đơn vị hành chính Sơn Hà." if son_ha
                                                   else ""))

    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Chỉ nạp khi cơ sở dữ liệu chưa có tài khoản.")
    def demo(if_empty):
        """Load demo data (idempotent). Refused in production."""
        from app.auth.models import User
        from app.demo import load_all

        if current_app.config.get("SESSION_COOKIE_SECURE"):
            raise click.ClickException("Không nạp dữ liệu mẫu trên cấu hình production.")
        if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
            click.echo("Cơ sở dữ liệu đã có dữ liệu; bỏ qua dữ liệu mẫu.")
            return
        for line in load_all():
            click.echo(line)
        db.session.commit()
        click.echo("Tài khoản mẫu: admin, coordinator, trainer, learner; mật khẩu demo12345.")
