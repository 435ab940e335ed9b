"""A province's own reporting workbook as a report template: uploaded once by an admin with
named placeholders in the cells to fill, filled for a period and a unit with everything else
kept (`filling`); an example built on the training rows of a program report (`example`)."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app.core.templating import add_nav
    from app.report_templates.views import bp

    app.register_blueprint(bp, url_prefix="/report-forms")
    add_nav(app, "report_templates.index", _l("Biểu mẫu báo cáo"), order=72)
