from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.auth.forms import MultiCheckboxField
from app.core.forms import BaseForm, VNDateField
from app.vietnamese import nfc


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class ClassForm(BaseForm):
    code = StringField(_l("Mã lớp"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập mã lớp.")), Length(max=30)])
    title = StringField(_l("Tên lớp"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập tên lớp.")), Length(max=200)])
    course_id = SelectField(_l("Khóa học (chuyên đề)"), coerce=_int_or_none,
                            validators=[Optional()])
    place = StringField(_l("Địa điểm"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập địa điểm.")), Length(max=200)])
    start_date = VNDateField(_l("Ngày bắt đầu"), validators=[
        InputRequired(message=_l("Vui lòng nhập ngày bắt đầu (dd/mm/yyyy)."))])
    end_date = VNDateField(_l("Ngày kết thúc"), validators=[
        InputRequired(message=_l("Vui lòng nhập ngày kết thúc (dd/mm/yyyy)."))])
    capacity = IntegerField(_l("Số chỗ"), validators=[
        InputRequired(message=_l("Vui lòng nhập số chỗ.")),
        NumberRange(min=1, max=10000, message=_l("Số chỗ phải là số nguyên lớn hơn 0."))])
    apply_from = VNDateField(_l("Mở đăng ký từ ngày"), validators=[Optional()])
    apply_until = VNDateField(_l("Hạn cuối đăng ký"), validators=[Optional()])
    description = TextAreaField(_l("Ghi chú, nội dung"), validators=[Optional(),
                                                                    Length(max=5000)])
    trainer_ids = MultiCheckboxField(_l("Giảng viên"), coerce=int, validate_choice=False)
    unit_ids = MultiCheckboxField(_l("Xã được mời"), coerce=int, validate_choice=False)
    min_attendance_pct = IntegerField(_l("Tỷ lệ tham dự tối thiểu để hoàn thành (%)"), default=80,
                                      validators=[InputRequired(message=_l("Vui lòng nhập tỷ lệ.")),
                                                  NumberRange(min=0, max=100, message=_l(
                                                      "Tỷ lệ phải từ 0 đến 100."))])
    quiz_required = BooleanField(_l("Phải đạt bài kiểm tra"))
    daily_rate = IntegerField(_l("Mức hỗ trợ tiền ăn mỗi ngày (đồng)"), default=0, validators=[
        InputRequired(message=_l("Vui lòng nhập mức hỗ trợ (0 nếu không có).")),
        NumberRange(min=0, max=10_000_000, message=_l("Mức hỗ trợ không hợp lệ."))])
    min_women_pct = IntegerField(_l("Tỷ lệ nữ tối thiểu (%)"), default=50, validators=[
        InputRequired(message=_l("Vui lòng nhập tỷ lệ nữ.")),
        NumberRange(min=0, max=100, message=_l("Tỷ lệ nữ phải từ 0 đến 100."))])
    max_per_unit = IntegerField(_l("Số chỗ tối đa mỗi xã (để trống: không giới hạn)"),
                                validators=[Optional(), NumberRange(min=1, message=_l(
                                    "Số chỗ tối đa mỗi xã phải từ 1 trở lên."))])
    weight_woman = DecimalField(_l("Điểm ưu tiên: nữ"), default=3, places=1, validators=[
        InputRequired(message=_l("Vui lòng nhập điểm.")),
        NumberRange(min=0, max=100, message=_l("Điểm phải từ 0 đến 100."))])
    weight_village_leader = DecimalField(_l("Điểm ưu tiên: cán bộ cấp thôn"), default=2,
                                         places=1, validators=[
                                             InputRequired(message=_l("Vui lòng nhập điểm.")),
                                             NumberRange(min=0, max=100, message=_l(
                                                 "Điểm phải từ 0 đến 100."))])
    weight_not_trained = DecimalField(_l("Điểm ưu tiên: chưa được tập huấn chuyên đề"),
                                      default=1, places=1, validators=[
                                          InputRequired(message=_l("Vui lòng nhập điểm.")),
                                          NumberRange(min=0, max=100, message=_l(
                                              "Điểm phải từ 0 đến 100."))])
    make_sessions = BooleanField(_l("Tạo sẵn buổi sáng và buổi chiều cho mỗi ngày"),
                                 default=True)


class PolicyForm(BaseForm):
    """The allocation preview's policy (GET parameters; confirmation repeats them)."""

    class Meta:  # combined with BaseForm.Meta (Vietnamese WTForms messages)
        csrf = False

    min_women_pct = IntegerField(_l("Tỷ lệ nữ tối thiểu (%)"), validators=[
        InputRequired(message=_l("Vui lòng nhập tỷ lệ nữ.")),
        NumberRange(min=0, max=100, message=_l("Tỷ lệ nữ phải từ 0 đến 100."))])
    max_per_unit = IntegerField(_l("Số chỗ tối đa mỗi xã"), validators=[
        Optional(), NumberRange(min=1, message=_l("Số chỗ tối đa mỗi xã phải từ 1 trở lên."))])
    weight_woman = DecimalField(_l("Điểm: nữ"), places=1, validators=[
        InputRequired(message=_l("Vui lòng nhập điểm.")),
        NumberRange(min=0, max=100, message=_l("Điểm phải từ 0 đến 100."))])
    weight_village_leader = DecimalField(_l("Điểm: cán bộ cấp thôn"), places=1, validators=[
        InputRequired(message=_l("Vui lòng nhập điểm.")),
        NumberRange(min=0, max=100, message=_l("Điểm phải từ 0 đến 100."))])
    weight_not_trained = DecimalField(_l("Điểm: chưa được tập huấn"), places=1, validators=[
        InputRequired(message=_l("Vui lòng nhập điểm.")),
        NumberRange(min=0, max=100, message=_l("Điểm phải từ 0 đến 100."))])


class ConfirmForm(BaseForm):
    fingerprint = HiddenField(validators=[DataRequired(message=_l(
        "Hãy xem trước kết quả xét chọn rồi mới xác nhận."))])
    min_women_pct = HiddenField()
    max_per_unit = HiddenField()
    weight_woman = HiddenField()
    weight_village_leader = HiddenField()
    weight_not_trained = HiddenField()


class StatusForm(BaseForm):
    target = HiddenField(validators=[DataRequired(message=_l("Chưa chọn trạng thái mới."))])
    reason = TextAreaField(_l("Lý do"), validators=[Optional(), Length(max=1000)])


class SessionForm(BaseForm):
    date = VNDateField(_l("Ngày"), validators=[InputRequired(message=_l("Vui lòng nhập ngày."))])
    part = RadioField(_l("Buổi"), choices=[("morning", _l("Sáng")), ("afternoon", _l("Chiều"))],
                      validators=[InputRequired(message=_l("Vui lòng chọn buổi."))])
    starts_at = TimeField(_l("Giờ bắt đầu"), validators=[Optional()])
    ends_at = TimeField(_l("Giờ kết thúc"), validators=[Optional()])
    place = StringField(_l("Địa điểm (nếu khác địa điểm lớp)"), filters=[nfc],
                        validators=[Optional(), Length(max=200)])


class NominateForm(BaseForm):
    cadre_ids = MultiCheckboxField(_l("Cán bộ"), coerce=int, validate_choice=False)


class ImportNominationsForm(BaseForm):
    file = FileField(_l("Tệp danh sách (.xlsx hoặc .csv UTF-8, theo mẫu danh sách cán bộ)"),
                     validators=[FileRequired(message=_l("Vui lòng chọn tệp danh sách."))])


class ReasonForm(BaseForm):
    """Withdrawal (reason optional for a learner, required for a coordinator) and overrides."""

    reason = TextAreaField(_l("Lý do"), validators=[Optional(), Length(max=1000)])
    action = HiddenField()


class EmptyForm(BaseForm):
    """Only the CSRF token (apply, fill from the waitlist)."""
