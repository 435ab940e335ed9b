"""Two-factor sign-in, for the account's owner: what is set, enrolment, new recovery codes,
turning it off (app/auth/two_factor.py holds the rules)."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.auth import service, two_factor
from app.auth.decorators import login_required
from app.auth.forms import CodeForm, DisableTwoFactorForm, EnrolForm
from app.auth.throttle import Wait
from app.core.forms import form_status
from app.extensions import db
from app.timeutil import utcnow

bp = Blueprint("two_factor", __name__)


def _throttle():
    return current_app.extensions["login_throttle"]


@bp.route("/")
@login_required
def overview():
    return _overview()


def _overview(*, codes_form=None, disable_form=None, status: int = 200):
    user = current_user
    on = two_factor.enabled(user)
    return render_template(
        "auth/two_factor.html", on=on, enabled_at=user.two_factor.enabled_at if on else None,
        left=two_factor.recovery_codes_left(user) if on else 0,
        required=two_factor.required(user, current_app.config),
        codes_form=codes_form or CodeForm(prefix="codes"),
        disable_form=disable_form or DisableTwoFactorForm(prefix="off")), status


def _setup_page(form: EnrolForm, status: int = 200):
    secret = form.secret.data
    uri = two_factor.provisioning_uri(secret, current_user,
                                      current_app.config["TWO_FACTOR_ISSUER"])
    # segno's SVG of our own text: no user markup in it
    qr = Markup(two_factor.qr_svg(uri))  # noqa: S704
    return render_template("auth/two_factor_setup.html", form=form, qr=qr,
                           key=two_factor.grouped(secret)), status


@bp.route("/setup", methods=["GET", "POST"])
@login_required
def setup():
    """Enrolment: scan the QR (or type the key), confirm with a code, keep the recovery
    codes."""
    if two_factor.enabled(current_user):
        flash(_("Xác thực hai bước đang bật. Muốn đổi điện thoại, hãy tắt rồi bật lại."), "info")
        return redirect(url_for("two_factor.overview"))
    form = EnrolForm()
    if not form.validate_on_submit():
        if request.method == "GET" or form.secret.errors:  # a fresh key (or a tampered one)
            form.secret.data, form.secret.errors = two_factor.new_secret(), []
        return _setup_page(form, form_status())
    codes = two_factor.enable(current_user, form.secret.data, form.code.data, utcnow())
    if codes is None:
        form.code.errors.append(_("Mã không đúng. Hãy nhập mã gồm 6 chữ số đang hiện trong "
                                  "ứng dụng (mã đổi sau mỗi 30 giây); nếu vẫn sai, kiểm tra "
                                  "giờ của điện thoại."))
        return _setup_page(form, 400)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes, new=True)


@bp.route("/recovery-codes", methods=["POST"])
@login_required
def recovery_codes():
    """Ten new recovery codes (the old ones stop working), with a code from the app."""
    form = CodeForm(prefix="codes")
    if not two_factor.enabled(current_user):
        return redirect(url_for("two_factor.overview"))
    now = utcnow()
    if form.validate_on_submit():
        checked = service.check_code(current_user, form.code.data,
                                     address=request.remote_addr, now=now, throttle=_throttle())
        if isinstance(checked, Wait):
            form.code.errors.append(checked.message(now, codes=True))
            return _overview(codes_form=form, status=429)
        if checked is not None:
            codes = two_factor.renew_recovery_codes(current_user)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes, new=False)
        db.session.commit()
        form.code.errors.append(_("Mã không đúng, đã hết hạn hoặc đã được dùng."))
        return _overview(codes_form=form, status=400)
    return _overview(codes_form=form, status=400)


@bp.route("/disable", methods=["POST"])
@login_required
def disable():
    """Turn it off, with the password and a code (from the app or a recovery code)."""
    form = DisableTwoFactorForm(prefix="off")
    if not two_factor.enabled(current_user):
        return redirect(url_for("two_factor.overview"))
    if not form.validate_on_submit():
        return _overview(disable_form=form, status=400)
    now = utcnow()
    problem = service.check_password_and_code(
        current_user, form.current.data, form.code.data, address=request.remote_addr, now=now,
        throttle=_throttle())
    if isinstance(problem, Wait):
        form.current.errors.append(problem.message(now, codes=True))
        return _overview(disable_form=form, status=429)
    if problem == "current":
        form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
    elif problem == "code":
        form.code.errors.append(_("Mã không đúng, đã hết hạn hoặc đã được dùng."))
    if problem:
        db.session.commit()  # the failure's count, and a lock it earned
        return _overview(disable_form=form, status=400)
    two_factor.disable(current_user, current_user)
    db.session.commit()
    flash(_("Đã tắt xác thực hai bước."), "success")
    return redirect(url_for("two_factor.overview"))
