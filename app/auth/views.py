from datetime import datetime, timedelta
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
from app.auth import service, two_factor
from app.auth.decorators import login_required, public
from app.auth.forms import ChangePasswordForm, CodeForm, LoginForm
from app.auth.models import User
from app.auth.sessions import (
    end_other_sign_ins,
    end_sign_in,
    live_sign_ins,
    seen,
    session_expired,
    sign_in,
    sign_out,
)
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
    if two_factor.enabled(outcome):  # the password was right: now the code
        session[PENDING] = {"user": outcome.id, "fingerprint": outcome.session_fingerprint(),
                            "remember": bool(form.remember.data),
                            "next": request.args.get("next") or "",
                            "until": (now + PENDING_FOR).isoformat()}
        return redirect(url_for("auth.login_code"))
    sign_in(outcome, remember=form.remember.data, now=now, address=request.remote_addr,
            user_agent=request.user_agent.string)
    record(outcome, "auth.login", "user", outcome.id, "Đăng nhập")
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


# Between the right password and the code: who, for how long (in the signed session cookie).
PENDING = "sign_in_pending"
PENDING_FOR = timedelta(minutes=5)


def _pending(now) -> tuple[User, dict] | None:
    """The account whose password was just right, while the code may still be typed (not
    after PENDING_FOR, nor once its password changed or it was deactivated)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    try:
        if datetime.fromisoformat(pending["until"]) < now:
            return None
        user = db.session.get(User, int(pending["user"]))
    except (KeyError, TypeError, ValueError):
        return None
    if user is None or not user.active or not two_factor.enabled(user) \
            or pending.get("fingerprint") != user.session_fingerprint():
        return None
    return user, pending


@bp.route("/login/code", methods=["GET", "POST"])
@public
def login_code():
    """The second step of signing in, for an account with two-factor sign-in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    now = utcnow()
    found = _pending(now)
    if found is None:
        session.pop(PENDING, None)
        flash(_("Vui lòng đăng nhập lại (đã quá 5 phút kể từ khi nhập mật khẩu)."), "info")
        return redirect(url_for("auth.login"))
    user, pending = found
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/code.html", form=form), form_status()
    outcome = service.check_code(user, form.code.data, address=request.remote_addr, now=now,
                                 throttle=_throttle())
    if isinstance(outcome, Wait):
        db.session.commit()
        return render_template("auth/code.html", form=form,
                               wait=outcome.message(now, codes=True)), 429
    if outcome is None:
        db.session.commit()  # a lock earned by this failure is kept
        form.code.errors.append(_("Mã không đúng, đã hết hạn hoặc đã được dùng. Hãy nhập mã "
                                  "đang hiện trong ứng dụng xác thực, hoặc một mã khôi phục."))
        return render_template("auth/code.html", form=form), 401
    sign_in(user, remember=pending.get("remember", False), now=now,
            address=request.remote_addr, user_agent=request.user_agent.string)
    record(user, "auth.login", "user", user.id, "Đăng nhập (xác thực hai bước)",
           data={"second_factor": outcome})
    db.session.commit()
    if outcome == "recovery":
        flash(_("Bạn vừa dùng một mã khôi phục (mỗi mã chỉ dùng được một lần); còn %(n)s mã. "
                "Nếu mất điện thoại, hãy tắt rồi bật lại xác thực hai bước với điện thoại mới.",
                n=two_factor.recovery_codes_left(user)), "warning")
    return redirect(_safe_next(pending.get("next")))


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
    flash(_("Đã đăng xuất phiên đó."), "success")
    return redirect(url_for("auth.sessions"))


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if not EmptyForm().validate_on_submit():
        abort(400)
    ended = end_other_sign_ins(current_user, current_user.sign_in_token, utcnow())
    db.session.commit()
    flash(_("Đã đăng xuất %(n)s phiên khác.", n=ended), "success")
    return redirect(url_for("auth.sessions"))


# What an admin who must have two-factor sign-in may still reach without it.
OPEN_BEFORE_ENROLMENT = frozenset({"static", "auth.logout", "auth.login", "auth.login_code",
                                   "two_factor.overview", "two_factor.setup",
                                   "home.set_language", "home.healthz"})


@bp.before_app_request
def _each_request():
    """Note that the sign-in is in use ("last seen", at most every few minutes); an admin who
    must have two-factor sign-in and has not goes to enrolment first."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if seen(current_user, utcnow()):
        db.session.commit()  # before the view: nothing of the request is written yet
    if request.endpoint not in OPEN_BEFORE_ENROLMENT \
            and two_factor.required(current_user, current_app.config) \
            and not two_factor.enabled(current_user):
        flash(_("Tài khoản quản trị phải bật xác thực hai bước trước khi làm việc khác."),
              "warning")
        return redirect(url_for("two_factor.setup"))
    return None
