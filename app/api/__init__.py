"""The read-only JSON API (/api/v1/) for the program's data systems, with the tokens of its
machine clients (admin page /admin/api-tokens/). docs/API.md describes it."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    import logging

    from app.api.admin_views import bp as tokens_bp
    from app.api.auth import CALLS
    from app.api.views import bp
    from app.core.templating import add_nav

    app.logger  # noqa: B018 - made now, with its handler, so that CALLS reaches it
    CALLS.setLevel(logging.INFO)
    app.register_blueprint(bp, url_prefix="/api/v1")
    app.register_blueprint(tokens_bp, url_prefix="/admin/api-tokens")
    add_nav(app, "api_tokens.index", _l("Khóa API"), order=93)
