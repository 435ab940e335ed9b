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
    _register_visibility(app)
    add_nav(app, "people.index", _l("Cán bộ"), order=50)
    add_nav(app, "units.index", _l("Đơn vị"), order=60)
    from app.audit import scope

    # Coordinators read the audit entries of every cadre and unit (no scope by unit yet: a
    # rule narrowing them goes here, app/audit/scope.py).
    scope.register(app, "cadre")
    scope.register(app, "unit")


def _register_visibility(app):
    """`cadre_phone(c)` and `cadre_birth(c)` in templates: the cadre's phone and birth as the
    signed-in user may see them (app/people/visibility.py)."""
    from flask_login import current_user

    from app.people.scope import scope_of
    from app.people.visibility import birth_for, phone_for

    def cadre_phone(cadre) -> str:
        return phone_for(current_user, cadre, scope_of(current_user))

    def cadre_birth(cadre) -> str:
        return birth_for(current_user, cadre, scope_of(current_user))

    app.add_template_global(cadre_phone, "cadre_phone")
    app.add_template_global(cadre_birth, "cadre_birth")
