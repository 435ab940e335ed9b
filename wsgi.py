"""The app for gunicorn (`gunicorn wsgi:app`) and for `flask` (FLASK_APP=wsgi, in .flaskenv)."""

import sys

from config import ConfigError

try:
    from app import create_app

    app = create_app()
except ConfigError as problem:
    print(f"taphuan: {problem}", file=sys.stderr)
    # 4 is gunicorn's "App failed to load": its master stops instead of starting the worker
    # again and again; `flask` exits with it too.
    raise SystemExit(4) from None
