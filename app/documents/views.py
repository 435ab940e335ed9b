"""Organisation settings printed on documents: /admin/settings (admins)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.decorators import role_required
from app.core.forms import form_status
from app.documents.models import FIELDS, current_settings, save_settings
from app.extensions import db
from app.vietnamese import nfc

bp = Blueprint("org_settings", __name__)


def _required(label, size):
    return StringField(label, filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập %(f)s.", f=label)), Length(max=size)])


class SettingsForm(FlaskForm):
    parent_body = StringField(_l("Cơ quan chủ quản (dòng trên)"), filters=[nfc],
                              validators=[Optional(), Length(max=200)])
    issuing_body = _required(_l("Cơ quan ban hành"), 200)
    issuing_office = StringField(_l("Đơn vị tổ chức lớp"), filters=[nfc],
                                 validators=[Optional(), Length(max=200)])
    place_name = _required(_l("Địa danh ghi ngày tháng"), 100)
    number_suffix = StringField(_l("Ký hiệu cơ quan trong số văn bản"), filters=[nfc],
                                validators=[Optional(), Length(max=30)])
    signer_authority = StringField(_l("Thẩm quyền ký (ví dụ KT. CHỦ TỊCH)"), filters=[nfc],
                                   validators=[Optional(), Length(max=100)])
    signer_title = _required(_l("Chức vụ người ký"), 100)
    signer_name = _required(_l("Họ và tên người ký"), 120)


@bp.route("", methods=["GET", "POST"])
@role_required("admin")
def edit():
    row = current_settings()
    form = SettingsForm(obj=row)
    if form.validate_on_submit():
        changed = save_settings(current_user, {name: getattr(form, name).data or ""
                                               for name in FIELDS})
        db.session.commit()
        flash(_("Đã lưu thiết lập.") if changed else _("Không có gì thay đổi."), "success")
        return redirect(url_for("org_settings.edit"))
    status = form_status()
    return render_template("documents/settings.html", form=form), status
