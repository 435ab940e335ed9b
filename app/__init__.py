"""taphuan: training management for Project 7, Sub-project 1 of the poverty-reduction program."""

import importlib
import importlib.util
from pathlib import Path

from flask import Flask

from app.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
from app.i18n_markers import N_

# Feature packages, from the ground floor up: each may use those before it, never one after
# (`home` reads them all). Each defines `init_app(app)` in its __init__.py (blueprints, CLI
# commands, navigation entries) and may have `models.py` (imported for Alembic). A feature
# listed here must exist: a missing one fails at start-up.
FEATURES = ("audit", "auth", "admin", "documents", "people", "programs", "courses", "classes",
            "attendance", "sheetphotos", "certificates", "costs", "reports", "report_templates",
            "api", "home", "backup")


def create_app(config=None) -> Flask:
    """Application factory. `config` is a config class, a name ("testing") or None
    (TAPHUAN_CONFIG). A wrong or missing setting raises config.ConfigError (one line)."""
    from config import config_named

    if config is None or isinstance(config, str):
        config = config_named(config)
    if hasattr(config, "check"):
        config.check()

    app = Flask(__name__, instance_path=config.INSTANCE_PATH)
    from app.core.converters import install as bound_url_ids

    bound_url_ids(app)  # before any route: ids in URLs stay within the database's integer
    app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.extensions["nav"] = []
    from app.core.cookie_session import QuietCookieSessions

    app.session_interface = QuietCookieSessions()  # the cookie written when it changed or aged

    _init_extensions(app)

    from app.core import assets, csrf_token, errors, i18n, read_only, security, templating

    for feature in _features():
        feature.init_app(app)
    errors.register(app)
    read_only.register(app)
    i18n.register(app)
    security.register(app)
    csrf_token.register(app)
    templating.register(app)
    assets.register(app)
    return app


def _instance_secret(folder: Path) -> str:
    """A random secret made once per instance folder (development without SECRET_KEY)."""
    import secrets

    path = folder / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _features():
    for name in FEATURES:
        yield importlib.import_module(f"app.{name}")


def _init_extensions(app: Flask) -> None:
    from app.core.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "warning"
    login_manager.localize_callback = _translate
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    compress.init_app(app)

    from app.core.sqlite import enable_sqlite_pragmas

    import_models()
    from app.core import table_versions

    with app.app_context():
        enable_sqlite_pragmas(db.engine)
        table_versions.install(db.engine)  # after the models: it reads their foreign keys


def _translate(text: str) -> str:
    from flask_babel import gettext

    return gettext(text)


def import_models() -> None:
    """Import every feature's models so that Alembic and create_all see all tables."""
    importlib.import_module("app.core.once")  # the one-time tokens of create forms
    importlib.import_module("app.core.table_versions")  # each table's version
    for name in FEATURES:
        if importlib.util.find_spec(f"app.{name}.models") is not None:
            importlib.import_module(f"app.{name}.models")
