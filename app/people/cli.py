"""`flask cadres import FILE [--dry-run]`: the command-line path of the cadre list import."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.people import cadre_file

cadres_cli = AppGroup("cadres", help="Danh sách cán bộ: nhập từ tệp .xlsx hoặc .csv UTF-8.")


@cadres_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True,
                                        path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Chỉ kiểm tra và báo kết quả, không lưu gì vào cơ sở dữ liệu.")
def import_command(file: Path, dry_run: bool) -> None:
    """Import a cadre list (columns of the import template). All rows or none: with any
    invalid row nothing is imported and every problem is printed (exit code 1)."""
    outcome = cadre_file.import_file(None, file.name, file.read_bytes(), dry_run=dry_run,
                                     source="cli")
    if outcome.to_commit:
        db.session.commit()
    else:
        db.session.rollback()  # a dry run, or a refused file: all rows or none
    if not outcome.ok:
        click.echo(f"Tệp {file.name} có {len(outcome.problems)} lỗi; chưa nhập dòng nào:",
                   err=True)
        for problem in outcome.problems:
            click.echo(f"  {problem}", err=True)
        raise click.exceptions.Exit(1)
    suffix = " (chỉ kiểm tra, chưa lưu)" if dry_run else ""
    click.echo(f"{file.name}: {outcome.summary.text()}{suffix}")
