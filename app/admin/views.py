"""Admin pages: accounts (create, edit, deactivate, reset password)."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.admin import account_rows
from app.auth import service
from app.auth.decorators import role_required
from app.auth.forms import NewUserForm, PasswordForm, UserForm
from app.auth.models import User
from app.core import once
from app.core.forms import EmptyForm, form_status
from app.core.paging import Pager, page_number
from app.core.refusal import at_field
from app.extensions import db
from app.timeutil import utcnow

bp = Blueprint("admin", __name__)


@bp.route("/users")
@role_required("admin")
def users():
    q = (request.args.get("q") or "").strip()[:100]
    page, size = page_number(request.args), current_app.config["PAGE_SIZE"]
    users, total = account_rows.page(q, page, size)
    pager = Pager(page, size, total, {"q": q} if q else {})
    return render_template("admin/users.html", users=users, q=q, **pager.context())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new():
    form = NewUserForm()
    if request.method == "POST" and (repeat := once.repeat_of(form)):
        return repeat
    form.offer_units()
    if form.validate_on_submit() and form.validate_unique():
        try:
            user = service.create_user(
                current_user, username=form.username.data, full_name=form.full_name.data,
                password=form.password.data, roles=form.roles.data, phone=form.phone.data,
                email=form.email.data, active=form.active.data, unit_id=form.unit_id.data)
            once.remember(form, url_for("admin.users"))
            db.session.commit()
        except IntegrityError as exc:  # a racing twin: the message at its field
            why = at_field(form, exc)
            return render_template("admin/user_form.html", form=form, user=None), why.status
        flash(_("Đã tạo tài khoản %(u)s.", u=user.username), "success")
        return redirect(url_for("admin.users"))
    status = form_status()
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.offer_units()
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
    if form.validate_on_submit() and form.validate_unique(user.id):
        if user.id == current_user.id and (not form.active.data or "admin" not in form.roles.data):
            form.roles.errors.append(_("Bạn không thể tự bỏ quyền quản trị hoặc tự khóa mình."))
        else:
            service.update_user(
                current_user, user, username=form.username.data, full_name=form.full_name.data,
                roles=form.roles.data, phone=form.phone.data, email=form.email.data,
                active=form.active.data, unit_id=form.unit_id.data)
            db.session.commit()
            flash(_("Đã lưu tài khoản %(u)s.", u=user.username), "success")
            return redirect(url_for("admin.users"))
    status = form_status()
    return render_template("admin/user_form.html", form=form, user=user, now_utc=utcnow(),
                           unlock_form=EmptyForm()), status


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@role_required("admin")
def user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm(account=user)
    if form.validate_on_submit():
        service.reset_password(current_user, user, form.password.data)
        service.unlock_sign_in(current_user, user, current_app.extensions["login_throttle"])
        db.session.commit()
        flash(_("Đã đặt lại mật khẩu cho %(u)s.", u=user.username), "success")
        return redirect(url_for("admin.users"))
    status = form_status()
    return render_template("admin/user_password.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@role_required("admin")
def user_unlock(user_id: int):
    """Lift a sign-in lock earned by wrong passwords (app/auth/throttle.py)."""
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if service.unlock_sign_in(current_user, user, current_app.extensions["login_throttle"]):
        flash(_("Đã mở khóa đăng nhập cho %(u)s.", u=user.username), "success")
    else:
        flash(_("Tài khoản %(u)s không bị khóa đăng nhập.", u=user.username), "info")
    db.session.commit()
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required("admin")
def user_toggle(user_id: int):
    user = db.get_or_404(User, user_id)
    # The form says the state wanted, not "toggle": a double tap must not unlock again.
    wanted = request.form.get("active")
    if user.id == current_user.id or wanted not in ("0", "1"):
        abort(400)
    if (wanted == "1") == user.active:
        flash(_("Tài khoản %(u)s đang hoạt động.", u=user.username) if user.active
              else _("Tài khoản %(u)s đã bị khóa từ trước.", u=user.username), "info")
        return redirect(url_for("admin.users"))
    service.update_user(current_user, user, username=user.username, full_name=user.full_name,
                        roles=user.roles, phone=user.phone, email=user.email,
                        active=wanted == "1")
    db.session.commit()
    flash(_("Đã mở khóa tài khoản %(u)s.", u=user.username) if user.active
          else _("Đã khóa tài khoản %(u)s.", u=user.username), "success")
    return redirect(url_for("admin.users"))
