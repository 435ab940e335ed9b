"""`flask setup` (reference data every organisation needs) and `flask demo` (demo data)."""

import click
from flask import Flask, current_app
from sqlalchemy import select

from app.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("setup")
    @click.option("--son-ha", is_flag=True,
                  help="Nạp thêm các đơn vị của Sơn Hà trước và sau sáp nhập 01/07/2025.")
    @click.option("--assign-programs", is_flag=True,
                  help="Ghi chương trình cho các lớp chưa có: chương trình duy nhất có hiệu lực "
                       "trong thời gian lớp học.")
    def setup(son_ha, assign_programs):
        """Load reference data every organisation needs (positions, programs, activity types,
        funding sources; Sơn Hà units on request)."""
        from app.classes.program_fields import assign_programs_in_force
        from app.people.reference import ensure_positions, ensure_son_ha_units
        from app.programs.reference import ensure_reference

        added = ensure_positions()
        if son_ha:
            ensure_son_ha_units()
        programs = ensure_reference()
        assigned = assign_programs_in_force() if assign_programs else None
        db.session.commit()
        click.echo(f"Đã thêm {added} chức vụ." + (" Đã nạp đơn vị hành chính Sơn Hà." if son_ha
                                                   else ""))
        click.echo(programs.summary())
        if assigned is not None:
            click.echo(f"Đã ghi chương trình cho {assigned} lớp.")

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
