from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from app.core.forms import BaseForm, VNDateField
from app.numbers import coerce_id
from app.vietnamese import nfc


def _required(message):
    return [DataRequired(message=message)]


class ValidityFields:
    """The period fields every entry form ends with (the program's start is required)."""

    valid_from = VNDateField(_l("Hiệu lực từ ngày"), validators=[Optional()])
    valid_to = VNDateField(_l("Đến hết ngày (ngày cuối còn hiệu lực)"), validators=[Optional()])


class ProgramForm(BaseForm):
    name = StringField(_l("Tên chương trình"), filters=[nfc], validators=[
        *_required(_l("Vui lòng nhập tên chương trình.")), Length(max=300)])
    short_name = StringField(_l("Tên ngắn (hiện trong danh sách chọn)"), filters=[nfc],
                             validators=[*_required(_l("Vui lòng nhập tên ngắn.")),
                                         Length(max=120)])
    legal_basis = StringField(_l("Căn cứ pháp lý"), filters=[nfc],
                              validators=[Optional(), Length(max=300)])
    valid_from = VNDateField(_l("Hiệu lực từ ngày"), validators=[
        InputRequired(message=_l("Vui lòng nhập ngày bắt đầu hiệu lực (dd/mm/yyyy)."))])
    valid_to = VNDateField(_l("Đến hết ngày (ngày cuối còn hiệu lực)"), validators=[Optional()])

    FIELDS = ("name", "short_name", "legal_basis", "valid_from", "valid_to")


class ComponentForm(ValidityFields, BaseForm):
    code = StringField(_l("Ký hiệu"), filters=[nfc], validators=[
        *_required(_l("Vui lòng nhập ký hiệu, ví dụ Dự án 7 / Tiểu dự án 1.")), Length(max=120)])
    name = StringField(_l("Tên hợp phần"), filters=[nfc], validators=[
        *_required(_l("Vui lòng nhập tên hợp phần.")), Length(max=300)])

    FIELDS = ("code", "name", "valid_from", "valid_to")


class ListEntryForm(ValidityFields, BaseForm):
    """An activity type or a funding source."""

    name = StringField(_l("Tên"), filters=[nfc], validators=[
        *_required(_l("Vui lòng nhập tên.")), Length(max=200)])

    FIELDS = ("name", "valid_from", "valid_to")


class PlanForm(ValidityFields, BaseForm):
    number = StringField(_l("Số kế hoạch"), filters=[nfc], validators=[
        *_required(_l("Vui lòng nhập số kế hoạch, ví dụ 48/KH-UBND.")), Length(max=60)])
    issued_on = VNDateField(_l("Ngày ban hành"), validators=[
        InputRequired(message=_l("Vui lòng nhập ngày ban hành (dd/mm/yyyy)."))])
    issuer = StringField(_l("Cơ quan ban hành"), filters=[nfc], validators=[
        *_required(_l("Vui lòng nhập cơ quan ban hành.")), Length(max=200)])
    title = StringField(_l("Trích yếu"), filters=[nfc], validators=[
        *_required(_l("Vui lòng nhập trích yếu của kế hoạch.")), Length(max=500)])
    program_id = SelectField(_l("Thuộc chương trình"), coerce=coerce_id,
                             validators=[Optional()], validate_choice=False)

    FIELDS = ("number", "issued_on", "issuer", "title", "program_id", "valid_from", "valid_to")


class ActiveForm(BaseForm):
    # The state asked for ("0" retire, "1" use again), never "toggle": a double tap must not
    # undo what was just done.
    active = HiddenField(validators=[AnyOf(("0", "1"), message=_l(
        "Trang này đã cũ; hãy tải lại trang rồi thử lại."))])


class DeleteForm(BaseForm):
    confirm = HiddenField(validators=[AnyOf(("1",), message=_l(
        "Hãy xác nhận việc xóa trên trang của mục này."))])
