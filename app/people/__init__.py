"""People and places: units (with mergers), positions, cadres, import and export."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app.core.templating import add_nav
    from app.people.cli import cadres_cli
    from app.people.transfer_views import bp as cadre_io_bp
    from app.people.units_views import bp as units_bp
    from app.people.views import bp as people_bp

    app.register_blueprint(people_bp, url_prefix="/cadres")
    app.register_blueprint(cadre_io_bp, url_prefix="/cadres")
    app.register_blueprint(units_bp, url_prefix="/units")
    from app.people.models import LEVEL_LABELS
    from app.people.scope import unit_choices

    app.extensions["unit_choices"] = unit_choices  # the account form's units (auth/forms.py)
    app.cli.add_command(cadres_cli)
    app.add_template_global(LEVEL_LABELS, "level_labels")
    add_nav(app, "people.index", _l("Cán bộ"), order=50)
    add_nav(app, "units.index", _l("Đơn vị"), order=60)
    from app.audit import scope

    # Coordinators read the audit entries of every cadre and unit (no scope by unit yet: a
    # rule narrowing them goes here, app/audit/scope.py).
    scope.register(app, "cadre")
    scope.register(app, "unit")
