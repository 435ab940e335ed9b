"""The admin's page of API tokens (/admin/api-tokens/): the list (never the tokens
themselves: only their first characters), a new token (shown once, on the page that made it)
and revoking one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api import tokens
from app.api.forms import TokenForm
from app.api.models import ApiToken
from app.auth.decorators import role_required
from app.core.forms import form_status
from app.core.refusal import REFUSED, refusal
from app.extensions import db
from app.people.scope import unit_choices
from app.timeutil import utcnow

bp = Blueprint("api_tokens", __name__)


def _page(form: TokenForm, secret: str | None = None, made: ApiToken | None = None,
          status: int = 200):
    response = render_template("api/tokens.html", form=form, tokens=tokens.listed(),
                               secret=secret, made=made)
    return response, status, {"Cache-Control": "no-store"}


def _form(formdata=True) -> TokenForm:
    """The form; `formdata=None` gives an empty one (after a token was made)."""
    form = TokenForm() if formdata else TokenForm(formdata=None)
    form.unit_id.choices = [(None, _("Toàn tỉnh"))] + unit_choices()
    return form


@bp.route("/")
@role_required("admin")
def index():
    return _page(_form())


@bp.route("/", methods=["POST"])
@role_required("admin")
def create():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, status=form_status())
    try:
        token, secret = tokens.create(current_user, form.name.data, form.unit_id.data)
        db.session.commit()
    except REFUSED as exc:
        refused = refusal(exc)
        getattr(form, refused.field or "name").errors = [refused.message]
        return _page(form, status=refused.status)
    # Shown on this page only (no redirect: the token must not travel in a URL or a cookie).
    return _page(_form(formdata=None), secret=secret, made=token, status=201)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@role_required("admin")
def revoke(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if tokens.revoke(current_user, token, utcnow()):
        db.session.commit()
        flash(_("Đã thu hồi khóa “%(n)s”; hệ thống dùng khóa này không đọc được dữ liệu nữa.",
                n=token.name), "success")
    return redirect(url_for("api_tokens.index"), 303)
