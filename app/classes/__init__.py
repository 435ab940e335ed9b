"""Classes (lớp tập huấn): sessions, applications, seat allocation, the admitted list."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    # The view modules add their routes to the one classes blueprint (blueprint.py says which
    # holds what); importing them here puts every route on it before it is registered.
    from app.classes import (  # noqa: F401
        application_views,
        nominate_views,
        paper_views,
        views,
    )
    from app.classes.blueprint import bp
    from app.classes.program_fields import class_uses
    from app.core.templating import add_nav
    from app.programs.usage import register as register_program_uses

    app.register_blueprint(bp, url_prefix="/classes")
    add_nav(app, "classes.index", _l("Lớp tập huấn"), order=30)
    # What the lists' plain rows (queries.rows_of) show of a status: its label (to translate
    # once per page, `|translated`) and its badge colour.
    from app.classes import status
    from app.classes.models import APPLICATION_BADGES, APPLICATION_LABELS

    app.jinja_env.globals.update(
        class_labels=status.STATUS_LABELS, class_badges=status.STATUS_BADGES,
        application_labels=APPLICATION_LABELS, application_badges=APPLICATION_BADGES)
    app.jinja_env.filters["points"] = points_text
    app.jinja_env.filters["reason"] = _reason
    register_program_uses(class_uses)  # entries classes use: never deleted, dates kept covered
    from app.audit import scope

    scope.register(app, "class")  # coordinators manage every class (app/audit/scope.py)


def points_text(value) -> str:
    """Priority points as shown everywhere: "6 điểm", "4,5 điểm"."""
    from flask_babel import gettext

    from app.classes.allocation import format_points

    return gettext("%(n)s điểm", n=format_points(value)) if value is not None else ""


def _reason(text: str) -> str:
    """An allocation reason in the reader's language (stored in Vietnamese)."""
    from app.classes.reasons import shown_reason

    return shown_reason(text)
