from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp
from wtforms.widgets import Select, html_params

from app.auth.service import USERNAME_PATTERN
from app.core.forms import BaseForm, VNDateField
from app.core.once import OnceField
from app.numbers import coerce_id
from app.vietnamese import nfc


class GroupedSelect(Select):
    """A select whose choices are groups ({label: choices}, shown as optgroups); the choices
    of the group None come first, outside any group ("— chọn —")."""

    def __call__(self, field, **kwargs):
        if not field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for flag in dir(flags):
            if flag in self.validation_attrs and flag not in kwargs:
                kwargs[flag] = getattr(flags, flag)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for group, choices in field.iter_groups():
            options = [self.render_option(value, label, selected, **render_kw)
                       for value, label, selected, render_kw in choices]
            if group is None:
                html += options
            else:
                html += [f"<optgroup {html_params(label=group)}>", *options, "</optgroup>"]
        html.append("</select>")
        # as WTForms' Select: html_params and render_option escape every value and label
        return Markup("".join(html))  # noqa: S704


class CadreForm(BaseForm):
    once = OnceField()  # app/core/once.py: a double tap creates nothing twice
    full_name = StringField(_l("Họ và tên"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập họ và tên.")), Length(max=120)])
    gender = RadioField(_l("Giới tính"), choices=[("F", _l("Nữ")), ("M", _l("Nam"))],
                        validators=[DataRequired(message=_l("Vui lòng chọn giới tính."))])
    birth = StringField(_l("Ngày sinh hoặc năm sinh"), validators=[
        DataRequired(message=_l("Vui lòng nhập ngày sinh (dd/mm/yyyy) hoặc năm sinh."))])
    ethnicity_code = SelectField(_l("Dân tộc"), validators=[Optional()])
    position_id = SelectField(_l("Chức vụ"), coerce=coerce_id, widget=GroupedSelect(),
                              validators=[DataRequired(message=_l("Vui lòng chọn chức vụ."))])
    commune_id = SelectField(_l("Xã"), coerce=coerce_id, validators=[
        DataRequired(message=_l("Vui lòng chọn xã."))])
    village_id = SelectField(_l("Thôn/Bản"), coerce=coerce_id, validators=[Optional()],
                             validate_choice=False)
    # checked by service.parse_phone, the same rule as the import
    phone = StringField(_l("Số điện thoại"), validators=[Optional(), Length(max=30)])
    on_payroll = BooleanField(_l("Hưởng lương từ ngân sách nhà nước (không nhận hỗ trợ tiền ăn "
                                 "khi dự lớp)"))


class DeactivateForm(BaseForm):
    # The state asked for ("0" stop following, "1" follow again), not a toggle: a double tap
    # or a page left open in a second tab must not undo what was just done.
    target = HiddenField(validators=[AnyOf(("0", "1"), message=_l(
        "Trang này đã cũ; hãy tải lại trang rồi thử lại."))])
    reason = TextAreaField(_l("Lý do"), filters=[nfc], validators=[Optional(), Length(
        max=500, message=_l("Lý do dài quá 500 ký tự."))])


class VillageForm(BaseForm):
    once = OnceField()  # app/core/once.py: a double tap creates nothing twice
    name = StringField(_l("Tên thôn/bản"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập tên thôn/bản.")), Length(max=120)])
    category = SelectField(_l("Loại"), choices=[("thôn", _l("Thôn")), ("bản", _l("Bản")),
                                                 ("làng", _l("Làng")),
                                                 ("tổ dân phố", _l("Tổ dân phố"))])
    valid_from = VNDateField(_l("Hiệu lực từ ngày"), validators=[Optional()])
    valid_to = VNDateField(_l("Đến ngày"), validators=[Optional()])


class UnitForm(BaseForm):
    name = StringField(_l("Tên đơn vị"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập tên đơn vị.")), Length(max=120)])
    code = StringField(_l("Mã"), validators=[
        DataRequired(message=_l("Vui lòng nhập mã.")), Length(max=20),
        Regexp(r"^[a-z0-9-]+$", message=_l("Mã chỉ gồm chữ thường không dấu, số và dấu -"))])
    kind = SelectField(_l("Cấp"), choices=[("province", _l("Tỉnh")), ("district", _l("Huyện")),
                                           ("commune", _l("Xã"))])
    category = SelectField(_l("Loại"), choices=[
        ("tỉnh", _l("Tỉnh")), ("thành phố", _l("Thành phố")), ("huyện", _l("Huyện")),
        ("thị xã", _l("Thị xã")), ("xã", _l("Xã")), ("phường", _l("Phường")),
        ("thị trấn", _l("Thị trấn")), ("đặc khu", _l("Đặc khu"))])
    parent_id = SelectField(_l("Thuộc"), coerce=coerce_id, validators=[Optional()])
    valid_from = VNDateField(_l("Hiệu lực từ ngày"), validators=[Optional()])
    valid_to = VNDateField(_l("Đến ngày (ngày cuối còn hiệu lực)"), validators=[Optional()])
    successor_id = SelectField(_l("Sáp nhập vào"), coerce=coerce_id,
                               validators=[Optional()])


class AccountLinkForm(BaseForm):
    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(message=_l("Vui lòng nhập tên đăng nhập.")), Length(max=64),
        Regexp(USERNAME_PATTERN, message=_l(
            "Tên đăng nhập gồm chữ không dấu, chữ số và các dấu . _ -, có ít nhất một chữ cái "
            "(để không trùng với số điện thoại)."))],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    password = StringField(_l("Mật khẩu ban đầu (chỉ khi tạo tài khoản mới)"),
                           validators=[Optional()],
                           render_kw={"autocomplete": "off", "autocapitalize": "none",
                                      "spellcheck": "false"})
