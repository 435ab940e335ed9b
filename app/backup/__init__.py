"""Backups: `flask backup create [PATH]` and `flask backup restore PATH` (archive.py). It reads
no feature: the database as a whole and the upload folder."""


def init_app(app):
    from app.backup.cli import backup_cli

    app.cli.add_command(backup_cli)
