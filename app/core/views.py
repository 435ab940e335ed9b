"""Home page for each role, and the language switch."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.decorators import login_required, public
from app.core.i18n import LOCALE_COOKIE
from app.people import stats

bp = Blueprint("core", __name__)


@bp.route("/")
@login_required
def home():
    people = stats.overview() if current_user.is_coordinator else None
    cadre = getattr(current_user, "cadre", None)
    return render_template("core/home.html", people=people, cadre=cadre)


@bp.route("/lang/<code>")
@public
def set_language(code: str):
    target = request.referrer or url_for("core.home")
    if not target.startswith(request.host_url):
        target = url_for("core.home")
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/healthz")
@public
def healthz():
    return {"status": "ok"}
