"""The home page for each role, and the commands that set up an organisation (`flask setup`)
or load the demo (`flask demo`). The top floor: it reads every feature, none reads it."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app.core.templating import add_nav
    from app.home.cli import register
    from app.home.views import bp

    app.register_blueprint(bp)
    add_nav(app, "home.index", _l("Trang chủ"), order=0)
    register(app)
