from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.audit.models import record
from app.auth import service
from app.auth.decorators import login_required, public
from app.auth.forms import ChangePasswordForm, LoginForm
from app.auth.sessions import sign_in, sign_out
from app.core.forms import form_status
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    # Browsers read "/\evil.example" as "//evil.example" and drop tabs and newlines, so a
    # path with a backslash or a control character is never followed.
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target and not any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = service.authenticate(form.login.data, form.password.data)
        if user is not None:
            sign_in(user, remember=form.remember.data)
            record(user, "auth.login", "user", user.id, "Đăng nhập")
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
@public
def logout():
    if request.method == "POST":
        sign_out()
        flash(_("Bạn đã đăng xuất."), "info")
        return redirect(url_for("auth.login"))
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html")


def _remembered() -> bool:
    """Whether this browser holds a remember-me cookie (renewed with the new password)."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])  # it checks a password, like signing in
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            service.reset_password(current_user, current_user, form.password.data)
            db.session.commit()
            # the new password ends every other sign-in; this one continues
            sign_in(current_user._get_current_object(), remember=_remembered())
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(url_for("home.index"))
    status = form_status()
    return render_template("auth/password.html", form=form), status
