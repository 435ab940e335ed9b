"""The app for gunicorn (`gunicorn wsgi:app`) and for `flask` (FLASK_APP=wsgi, in .flaskenv)."""

import gc
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

# What start-up made (modules, routes, models, compiled templates, catalogues: about 160,000
# objects) lives as long as the worker: set aside from the garbage collector, whose full
# collections walked it all (a few hundred milliseconds, charged to whichever request
# triggered one) although none of it is ever garbage.
gc.freeze()
