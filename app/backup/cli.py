"""`flask backup create [PATH]`, `flask backup restore PATH` (app/backup/archive.py)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.backup import archive
from app.extensions import db
from app.timeutil import utcnow

backup_cli = AppGroup("backup", help="Sao lưu và khôi phục cơ sở dữ liệu cùng các tệp tải lên.")


def _url() -> str:
    return db.engine.url.render_as_string(hide_password=False)


@backup_cli.command("create")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def create_command(path: Path | None) -> None:
    """Write one archive (.tar): a consistent copy of the database, the uploaded files and a
    manifest with their checksums. PATH: a file name or a folder (default: the current
    folder, taphuan-backup-<date>-<time>.tar)."""
    db.session.remove()
    try:
        outcome = archive.create(_url(), current_app.config["UPLOAD_DIR"], path, utcnow())
    except archive.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã sao lưu ({outcome.dialect}, {outcome.files} tệp tải lên, "
               f"{outcome.size / 1024 / 1024:.1f} MB) vào {outcome.path}")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Restore an archive into an empty database (DATABASE_URL) and an empty UPLOAD_DIR. A
    damaged or foreign archive, or a target that is not empty, is refused before anything is
    written (exit code 1)."""
    db.session.remove()
    db.engine.dispose()
    try:
        outcome = archive.restore(_url(), current_app.config["UPLOAD_DIR"], path)
    except archive.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã khôi phục {outcome.path} ({outcome.dialect}, {outcome.files} tệp tải lên).")
