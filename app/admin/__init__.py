"""Admin pages: accounts and roles."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app.admin.views import bp
    from app.core.templating import add_nav

    app.register_blueprint(bp, url_prefix="/admin")
    add_nav(app, "admin.users", _l("Tài khoản"), order=90)
