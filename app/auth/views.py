from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.audit.models import record
from app.auth import service
from app.auth.decorators import login_required, public
from app.auth.forms import ChangePasswordForm, LoginForm
from app.auth.sessions import end_sign_in, live_sign_ins, session_expired, sign_in, sign_out
from app.auth.throttle import Throttle, Wait
from app.core.forms import EmptyForm, form_status
from app.extensions import db
from app.numbers import parse_id
from app.timeutil import utcnow

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


def _throttle() -> Throttle:
    return current_app.extensions["login_throttle"]


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        expired = request.method == "GET" and session_expired()
        if expired:  # "Vui lòng đăng nhập để tiếp tục." is said better by the page
            asked = _(current_app.login_manager.login_message)
            session["_flashes"] = [f for f in session.get("_flashes", []) if f[1] != asked]
        return render_template("auth/login.html", form=form, expired=expired), form_status()
    now = utcnow()
    outcome = service.sign_in(form.login.data, form.password.data, address=request.remote_addr,
                              now=now, throttle=_throttle())
    if isinstance(outcome, Wait):
        db.session.commit()
        return render_template("auth/login.html", form=form, wait=outcome.message(now)), 429
    if outcome is None:
        db.session.commit()  # a lock earned by this failure is kept
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
        return render_template("auth/login.html", form=form), 401
    sign_in(outcome, remember=form.remember.data, now=now, address=request.remote_addr,
            user_agent=request.user_agent.string)
    record(outcome, "auth.login", "user", outcome.id, "Đăng nhập")
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["GET", "POST"])
@public
def logout():
    if request.method == "POST":
        sign_out(utcnow())
        db.session.commit()
        flash(_("Bạn đã đăng xuất."), "info")
        return redirect(url_for("auth.login"))
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html")


def _remembered() -> bool:
    """Whether this browser holds a remember-me cookie (renewed with the new password)."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(account=current_user)
    if form.validate_on_submit():
        now = utcnow()
        checked = service.check_own_password(  # counted like a sign-in
            current_user, form.current.data, address=request.remote_addr, now=now,
            throttle=_throttle())
        if isinstance(checked, Wait):
            form.current.errors.append(checked.message(now))
            return render_template("auth/password.html", form=form), 429
        if not checked:
            form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            service.reset_password(current_user, current_user, form.password.data)
            db.session.commit()
            # the new password ends every other sign-in; this one continues
            sign_in(current_user._get_current_object(), remember=_remembered(), now=now,
                    address=request.remote_addr, user_agent=request.user_agent.string)
            db.session.commit()
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(url_for("home.index"))
    status = form_status()
    return render_template("auth/password.html", form=form), status


@bp.route("/sessions")
@login_required
def sessions():
    """The user's own sign-ins (devices), to end one left open elsewhere."""
    return render_template("auth/sessions.html", sign_ins=live_sign_ins(current_user),
                           current_token=current_user.sign_in_token, end_form=EmptyForm())


@bp.route("/sessions/end", methods=["POST"])
@login_required
def end_session():
    sign_in_id = parse_id(request.form.get("sign_in"))
    if not EmptyForm().validate_on_submit() or sign_in_id is None:
        abort(400)
    if not end_sign_in(current_user, sign_in_id, utcnow()):
        abort(404)  # not this user's, or ended already
    db.session.commit()
    flash(_("Đã đăng xuất thiết bị đó."), "success")
    return redirect(url_for("auth.sessions"))
