"""The report's filter (GET parameters, so a report has an address that can be bookmarked
and shared; nothing is written, so no CSRF token)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional, ValidationError

from app.core.forms import BaseForm, VNDateField
from app.numbers import coerce_id

KIND_CHOICES = [("year", _l("Cả năm")), ("half", _l("6 tháng")), ("quarter", _l("Quý")),
                ("custom", _l("Từ ngày đến ngày"))]
UNIT_MODES = [("today", _l("Quy về xã hiện nay")),
              ("then", _l("Theo đơn vị tại thời điểm tổ chức lớp"))]
PART_CHOICES = [("", _l("(không dùng)")), ("1", _l("6 tháng đầu năm / quý I")),
                ("2", _l("6 tháng cuối năm / quý II")), ("3", _l("Quý III")),
                ("4", _l("Quý IV"))]


class ReportForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kỳ báo cáo"), choices=KIND_CHOICES, default="year")
    year = SelectField(_l("Năm"), coerce=lambda v: int(v) if str(v or "").isdigit() else None,
                       validators=[Optional()])
    part = SelectField(_l("6 tháng hoặc quý"), choices=PART_CHOICES, default="",
                       coerce=lambda v: int(v) if str(v or "").isdigit() else None,
                       validate_choice=True)
    start = VNDateField(_l("Từ ngày"), validators=[Optional()])
    end = VNDateField(_l("Đến ngày"), validators=[Optional()])
    program_id = SelectField(_l("Chương trình"), coerce=coerce_id, validators=[Optional()],
                             validate_choice=False)
    unit_id = SelectField(_l("Đơn vị"), coerce=coerce_id, validators=[Optional()],
                          validate_choice=False)
    units = SelectField(_l("Đơn vị qua sắp xếp 01/07/2025"), choices=UNIT_MODES,
                        default="today")

    def validate_program_id(self, field):
        if field.data is not None and field.data not in {v for v, _label in field.choices}:
            raise ValidationError(_l("Không có chương trình số %(id)s: hãy chọn trong danh "
                                     "sách.", id=field.data))

    def validate_unit_id(self, field):
        if field.data is not None and field.data not in {v for v, _label in field.choices}:
            raise ValidationError(_l("Đơn vị số %(id)s không có trong các xã bạn được xem báo "
                                     "cáo: hãy chọn trong danh sách.", id=field.data))


class PlanningForm(BaseForm):
    """The course whose untrained grassroots leaders are listed (GET: an address)."""

    class Meta:
        csrf = False

    course_id = SelectField(_l("Chuyên đề (khóa học)"), coerce=coerce_id,
                            validators=[Optional()])

