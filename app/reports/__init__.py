"""Program reports: the training indicators for a period, a program and a unit, computed in
SQL and defined once (`indicators`), shown on a dashboard with server-side charts."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app.core.templating import add_nav
    from app.reports.views import bp

    app.register_blueprint(bp, url_prefix="/reports")
    add_nav(app, "reports.index", _l("Báo cáo"), order=70)
