"""Organisation settings printed on documents: /admin/settings (admins).

The page previews the heading as it will print (`pdf.heading_lines`, the same lines the PDFs
draw): the saved settings when opened, the typed ones after "Xem trước" (nothing saved).
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.decorators import role_required
from app.core.forms import form_status
from app.documents import pdf
from app.documents.models import (
    DEFAULT_CERTIFICATE_PATTERN,
    FIELDS,
    ISSUER_KIND_LABELS,
    ISSUER_KINDS,
    OrgInfo,
    current_settings,
    issuer_units,
    org_info,
    save_settings,
    settings_problems,
    unit_model,
)
from app.extensions import db
from app.vietnamese import nfc

bp = Blueprint("org_settings", __name__)


def _required(label, size):
    return StringField(label, filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập %(f)s.", f=label)), Length(max=size)])


def _optional(label, size):
    return StringField(label, filters=[nfc], validators=[Optional(), Length(max=size)])


def _pattern(value):
    """The certificate number's pattern; left empty, the default one."""
    value = value.strip() if isinstance(value, str) else value
    return value or DEFAULT_CERTIFICATE_PATTERN


def _unit_id(value):
    return int(value) if value not in (None, "", "None") else None


class SettingsForm(FlaskForm):
    issuer_kind = SelectField(_l("Loại cơ quan ban hành"), validators=[
        DataRequired(message=_l("Vui lòng chọn loại cơ quan ban hành."))])
    unit_id = SelectField(_l("Đơn vị hành chính (xã, huyện hoặc tỉnh)"), coerce=_unit_id,
                          validators=[Optional()])
    office_name = _optional(_l("Tên phòng, văn phòng hoặc sở ban hành"), 200)
    head_title = _required(_l("Chức danh người đứng đầu cơ quan ban hành"), 100)
    place_name = _required(_l("Địa danh ghi ngày tháng"), 100)
    number_suffix = _optional(_l("Ký hiệu cơ quan trong số văn bản"), 30)
    drafting_office = _optional(_l("Viết tắt tên đơn vị soạn thảo (dòng “Lưu”)"), 30)
    signer_authority = _optional(_l("Thẩm quyền ký (ví dụ KT. CHỦ TỊCH)"), 100)
    signer_title = _required(_l("Chức vụ người ký"), 100)
    signer_name = _required(_l("Họ và tên người ký"), 120)
    certificate_pattern = StringField(_l("Mẫu số giấy chứng nhận"), filters=[nfc, _pattern],
                                      validators=[Length(max=40)])
    certificate_signer_authority = _optional(_l("Thẩm quyền ký giấy chứng nhận"), 100)
    certificate_signer_title = _optional(_l("Chức vụ người ký giấy chứng nhận"), 100)
    certificate_signer_name = _optional(_l("Họ và tên người ký giấy chứng nhận"), 120)

    def fill_choices(self) -> None:
        self.issuer_kind.choices = [(k, _(ISSUER_KIND_LABELS[k])) for k in ISSUER_KINDS]
        self.unit_id.choices = [("", _("— chọn đơn vị —"))] + [
            (u.id, f"{u.title_cap} ({u.validity_text})" if u.validity_text else u.title_cap)
            for u in issuer_units()]

    def values(self) -> dict:
        return {name: getattr(self, name).data if name == "unit_id"
                else (getattr(self, name).data or "") for name in FIELDS}


def _typed_info(values: dict) -> OrgInfo:
    """The settings as typed, for the preview (the unit's name read from its row)."""
    unit = db.session.get(unit_model(), values["unit_id"]) if values.get("unit_id") else None
    return OrgInfo(**values, unit_title=unit.title if unit is not None else "")


def _page(form: SettingsForm, info: OrgInfo, status: int | None = None):
    return render_template(
        "documents/settings.html", form=form, info=info, problem=info.problem(),
        heading=pdf.heading_lines(info), preview=pdf.heading_preview(info),
        unchecked=info.unit_id is None), status or form_status()


@bp.route("", methods=["GET", "POST"])
@role_required("admin")
def edit():
    row = current_settings()
    form = SettingsForm(obj=row)
    form.fill_choices()
    if not form.validate_on_submit():
        return _page(form, org_info())
    values = form.values()
    problems = settings_problems(values)
    for name, messages in problems.items():
        getattr(form, name).errors = list(getattr(form, name).errors) + messages
    if problems:
        return _page(form, org_info(), 400)
    if request.form.get("action") == "preview":
        return _page(form, _typed_info(values), 200)
    changed = save_settings(current_user, values)
    db.session.commit()
    flash(_("Đã lưu thiết lập.") if changed else _("Không có gì thay đổi."), "success")
    return redirect(url_for("org_settings.edit"))
