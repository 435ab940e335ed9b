"""Programs as data: the programs a class belongs to, their components, activity types,
funding sources and plans, each with the dates it is valid on (docs/DECISIONS.md)."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app.core.templating import add_nav
    from app.programs import queries, usage
    from app.programs.views import bp

    app.register_blueprint(bp, url_prefix="/programs")
    usage.register(queries.program_parts)
    from app.audit import scope

    scope.register(app, "plan")  # coordinators write the plans; the lists are the admin's
    add_nav(app, "programs.index", _l("Chương trình"), order=65)
