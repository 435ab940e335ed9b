"""The site's root pages: the home page (what each role works on, gathered from the
features: thin, queries only), the language switch and the health check."""

from functools import cache

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.decorators import login_required, public
from app.certificates import queries as certificate_queries
from app.classes import queries as class_queries
from app.core.i18n import LOCALE_COOKIE
from app.courses import progress
from app.extensions import db
from app.people import stats
from app.people.models import Cadre, cadre_facts
from app.people.scope import scope_of
from app.timeutil import local_today

bp = Blueprint("home", __name__)
HOME_ROWS = 5  # classes shown per card; the class list has the rest


def _cadre_of(user) -> Cadre | None:
    """A learner's cadre with what its card shows (position, commune, village) in one
    statement, kept as `user.cadre` for the rest of the request (each was a lazy load). Only
    a learner's page shows it: none read for staff."""
    if not user.has_role("learner"):
        return None
    cadre = db.session.scalars(_cadre_select(), {"user_id": user.id}).first()
    set_committed_value(user, "cadre", cadre)
    return cadre


@cache
def _cadre_select():
    """`_cadre_of`'s statement (parameter `user_id`), built once per process: SQLAlchemy keeps
    a statement's cache key with it (`auth.models._signed_in_statement`)."""
    return select(Cadre).where(Cadre.user_id == bindparam("user_id")).options(*cadre_facts())


@bp.route("/")
@login_required
def index():
    user = current_user
    cadre = _cadre_of(user)
    learner = user.has_role("learner")
    return render_template(
        "home/index.html", cadre=cadre,
        people=stats.overview(scope_of(user)) if user.is_coordinator else None,
        my_courses=progress.my_courses(user), teaching_courses=progress.teaching(user),
        my_applications=class_queries.latest_applications(cadre.id, HOME_ROWS)
        if learner and cadre is not None else [],
        my_certificates=certificate_queries.of_cadre(cadre.id) if cadre is not None else [],
        taught_classes=class_queries.ahead_of_trainer(user.id, HOME_ROWS)
        if user.has_role("trainer") else [],
        coordination=class_queries.coordination_in(local_today(), scope_of(user))
        if user.is_coordinator else None)


@bp.route("/lang/<code>")
@public
def set_language(code: str):
    target = request.referrer or url_for("home.index")
    if not target.startswith(request.host_url):
        target = url_for("home.index")
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/healthz")
@public
def healthz():
    """For a load balancer or a monitor: the app answers and its database too."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}
