"""`flask <args>` on a database of a test's own (a SQLite file, a PostgreSQL database), run in
this process: the migration tests upgrade and downgrade through many revisions, and a
`python -m flask` started for each step spent about 3 s making the app before it migrated
anything. One test still runs the real command in a process of its own
(tests/core/test_migrations.py).

    ran = flask(["db", "upgrade", "0018_access"], url)
    ran.returncode, ran.stdout, ran.stderr   # as subprocess.run(..., capture_output=True) gives
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from flask_migrate.cli import db as db_commands

from app import create_app
from app.extensions import db
from config import TestingConfig


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def flask(args: list[str], database_url: str) -> Ran:
    """The command's exit code and output; an exception it ends with is in `stderr`, as the
    `flask` command prints it. The app made for it lets go of the database after."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(Config)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        if args[0] == "db":  # Flask-Migrate's group, which `flask` finds by its entry point
            result = app.test_cli_runner().invoke(db_commands, args=args[1:])
        else:
            result = app.test_cli_runner().invoke(args=args)
    finally:
        # Alembic's env.py configures logging (alembic.ini) with handlers on this command's
        # streams, which close with it: the suite's own logging is put back.
        root.handlers[:] = handlers
        root.setLevel(level)
        with app.app_context():
            db.engine.dispose()
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return Ran(result.exit_code, result.stdout, stderr)
