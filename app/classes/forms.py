import json
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import bindparam, select
from sqlalchemy.orm.attributes import set_committed_value
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.auth.forms import MultiCheckboxField
from app.classes.allocation import Policy
from app.classes.models import ClassRequiredPosition
from app.classes.service import CONVENE_KINDS, CONVENE_LABELS
from app.core.forms import (
    BaseForm,
    DecimalNumberField,
    IntegerNumberField,
    MoneyField,
    PercentField,
    VNDateField,
)
from app.extensions import db
from app.numbers import coerce_id
from app.people.models import Position
from app.vietnamese import nfc

MAX_SEATS = 10_000
MAX_DAILY_RATE = 10_000_000
# The policy's fields, the same in the class form and the allocation preview.
_WOMEN_PCT = {"minimum": 0, "maximum": 100, "message": _l("Tỷ lệ nữ phải từ 0 đến 100."),
              "validators": [InputRequired(message=_l("Vui lòng nhập tỷ lệ nữ."))]}
_MAX_PER_UNIT = {"minimum": 1, "maximum": MAX_SEATS, "example": "5", "validators": [Optional()],
                 "message": _l("Số chỗ tối đa mỗi xã phải từ 1 đến %(max)s.")}
_WEIGHT = {"places": 1, "minimum": 0, "maximum": 100, "message": _l("Điểm phải từ 0 đến 100."),
           "validators": [InputRequired(message=_l("Vui lòng nhập điểm."))]}
# The parts added later are optional (blank: none), so a policy typed before them still reads.
_OPTIONAL_WEIGHT = {**_WEIGHT, "validators": [Optional()]}
_MIN_PER_VILLAGE = {"minimum": 0, "maximum": MAX_SEATS, "example": "1", "validators": [Optional()],
                    "message": _l("Số người tối thiểu mỗi thôn phải từ 0 đến %(max)s.")}
_MAX_PER_VILLAGE = {"minimum": 1, "maximum": MAX_SEATS, "example": "2", "validators": [Optional()],
                    "message": _l("Số người tối đa mỗi thôn phải từ 1 đến %(max)s.")}
_REQUIRED_ROLES = {"coerce": str, "validate_choice": False}
_WEIGHTS = ("weight_woman", "weight_village_leader", "weight_not_trained",
            "weight_ethnic_minority")


# The roles offered: the active positions and those chosen (parameter `chosen`). Made once: a
# statement keeps its cache key, so a request does not build it and work its key out again.
_POSITIONS_OFFERED = (select(Position.code, Position.name)
                      .where(Position.active.is_(True)
                             | Position.code.in_(bindparam("chosen", expanding=True)))
                      .order_by(Position.sort_order, Position.name))

# The same for a class's own policy, with the class's required roles (parameter `class_id`):
# the roles offered (the active positions and those the class requires) and, in the same row,
# the class's `ClassRequiredPosition` when it requires that role. One statement for what was
# two (the roles offered, the class's required roles read when its policy is).
_CLASS_ROLES = (select(Position.code, Position.name, ClassRequiredPosition)
                .outerjoin(ClassRequiredPosition,
                           (ClassRequiredPosition.position_code == Position.code)
                           & (ClassRequiredPosition.class_id == bindparam("class_id")))
                .where(Position.active.is_(True) | ClassRequiredPosition.class_id.is_not(None))
                .order_by(Position.sort_order, Position.name))


def class_roles(klass) -> list[tuple[str, str]]:
    """The roles a policy form offers for the class's own policy, in one statement with the
    class's required roles, which are loaded into the class (`klass.required_roles`, so its
    `policy` reads no more). Read after the session's pending changes; a class whose roles
    this request already holds keeps them."""
    loaded = "required_roles" in klass.__dict__
    db.session.flush()
    rows = db.session.execute(_CLASS_ROLES, {"class_id": klass.id}).all()
    if not loaded:
        set_committed_value(klass, "required_roles", sorted(
            (r for _code, _name, r in rows if r is not None), key=lambda r: r.position_code))
    return [(code, name) for code, name, _required in rows]


class PolicyFields:
    """The priority policy as form fields (min_women_pct, max_per_unit, the weights, the
    required roles, the village quota), in the class form and the allocation preview: read
    into a `Policy` and shown from one. The required roles are ticked among the active
    positions (and any the policy already names)."""

    def __init__(self, *args, offered: list[tuple[str, str]] | None = None, **kwargs):
        """`offered`: the roles to offer when already read (`class_roles`), else read here."""
        super().__init__(*args, **kwargs)
        if offered is None:
            self._position_choices()
        else:
            self.required_positions.choices = offered

    def _position_choices(self) -> None:
        chosen = set(self.required_positions.data or ())
        # (code, name) rows, not Position objects: some 40 of them on every preview
        self.required_positions.choices = [tuple(p) for p in db.session.execute(
            _POSITIONS_OFFERED, {"chosen": sorted(chosen)})]

    def validate_required_positions(self, field) -> None:
        known = {code for code, _name in field.choices}
        unknown = sorted(set(field.data or ()) - known)
        if unknown:
            raise ValidationError(_l("Không có chức vụ “%(codes)s” trong danh mục chức vụ.",
                                     codes=", ".join(unknown)))

    def validate_max_per_village(self, field) -> None:
        least = self.min_per_village.data
        if field.data is not None and least is not None and least > field.data:
            raise ValidationError(_l(
                "Số người tối đa mỗi thôn (%(most)s) phải lớn hơn hoặc bằng số người tối thiểu "
                "mỗi thôn (%(least)s).", most=field.data, least=least))

    def policy(self) -> Policy:
        """The policy typed (ValueError when the values do not make one)."""
        minority = self.weight_ethnic_minority.data
        return Policy(min_women_share=self.min_women_pct.data / 100,
                      max_per_unit=self.max_per_unit.data,
                      weight_woman=float(self.weight_woman.data),
                      weight_village_leader=float(self.weight_village_leader.data),
                      weight_not_trained=float(self.weight_not_trained.data),
                      weight_ethnic_minority=float(minority) if minority is not None else 0.0,
                      required_positions=self.required_positions.data or (),
                      min_per_village=self.min_per_village.data or 0,
                      max_per_village=self.max_per_village.data)

    def show_policy(self, policy: Policy) -> None:
        self.min_women_pct.data = round(policy.min_women_share * 100)
        self.max_per_unit.data = policy.max_per_unit
        for name in _WEIGHTS:
            getattr(self, name).data = Decimal(repr(getattr(policy, name)))
        self.required_positions.data = sorted(policy.required_positions)
        self.min_per_village.data = policy.min_per_village
        self.max_per_village.data = policy.max_per_village
        offered = {code for code, _name in self.required_positions.choices or ()}
        if not set(policy.required_positions) <= offered:  # a retired position the policy names
            self._position_choices()



def _program_choice(label):
    # choices: app/classes/program_fields.set_choices; checked by service._validate (dates)
    return SelectField(label, coerce=coerce_id, validators=[Optional()],
                       validate_choice=False)


class ProgramFields:
    """The program the class belongs to (app/programs)."""

    program_id = _program_choice(_l("Chương trình"))
    component_id = _program_choice(_l("Hợp phần (dự án, tiểu dự án)"))
    activity_type_id = _program_choice(_l("Loại hoạt động"))
    funding_source_id = _program_choice(_l("Nguồn kinh phí"))
    plan_id = _program_choice(_l("Thuộc kế hoạch"))


class ClassForm(PolicyFields, ProgramFields, BaseForm):
    code = StringField(_l("Mã lớp"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập mã lớp.")), Length(max=30)])
    title = StringField(_l("Tên lớp"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập tên lớp.")), Length(max=200)])
    course_id = SelectField(_l("Khóa học (chuyên đề)"), coerce=coerce_id,
                            validators=[Optional()])
    place = StringField(_l("Địa điểm"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập địa điểm.")), Length(max=200)])
    start_date = VNDateField(_l("Ngày bắt đầu"), validators=[
        InputRequired(message=_l("Vui lòng nhập ngày bắt đầu (dd/mm/yyyy)."))])
    end_date = VNDateField(_l("Ngày kết thúc"), validators=[
        InputRequired(message=_l("Vui lòng nhập ngày kết thúc (dd/mm/yyyy)."))])
    capacity = IntegerNumberField(_l("Số chỗ"), minimum=1, maximum=MAX_SEATS, example="30",
                                  message=_l("Số chỗ phải là số nguyên lớn hơn 0."),
                                  validators=[InputRequired(message=_l("Vui lòng nhập số chỗ."))])
    apply_from = VNDateField(_l("Mở đăng ký từ ngày"), validators=[Optional()])
    apply_until = VNDateField(_l("Hạn cuối đăng ký"), validators=[Optional()])
    description = TextAreaField(_l("Ghi chú, nội dung"), validators=[Optional(),
                                                                    Length(max=5000)])
    trainer_ids = MultiCheckboxField(_l("Giảng viên"), coerce=coerce_id,
                                     validate_choice=False)
    unit_ids = MultiCheckboxField(_l("Xã được mời"), coerce=coerce_id, validate_choice=False)
    min_attendance_pct = PercentField(
        _l("Tỷ lệ tham dự tối thiểu để hoàn thành (%)"), default=80, minimum=0, maximum=100,
        message=_l("Tỷ lệ phải từ 0 đến 100."),
        validators=[InputRequired(message=_l("Vui lòng nhập tỷ lệ."))])
    quiz_required = BooleanField(_l("Phải đạt bài kiểm tra"))
    daily_rate = MoneyField(_l("Mức hỗ trợ tiền ăn mỗi ngày (đồng)"), default=0, minimum=0,
                            maximum=MAX_DAILY_RATE,
                            message=_l("Mức hỗ trợ từ 0 đến %(max)s đồng."), validators=[
        InputRequired(message=_l("Vui lòng nhập mức hỗ trợ (0 nếu không có)."))])
    min_women_pct = PercentField(_l("Tỷ lệ nữ tối thiểu (%)"), default=50, **_WOMEN_PCT)
    max_per_unit = IntegerNumberField(_l("Số chỗ tối đa mỗi xã (để trống: không giới hạn)"),
                                      **_MAX_PER_UNIT)
    weight_woman = DecimalNumberField(_l("Điểm ưu tiên: nữ"), default=3, **_WEIGHT)
    weight_village_leader = DecimalNumberField(_l("Điểm ưu tiên: cán bộ cấp thôn"), default=2,
                                               **_WEIGHT)
    weight_not_trained = DecimalNumberField(_l("Điểm ưu tiên: chưa được tập huấn chuyên đề"),
                                            default=1, **_WEIGHT)
    weight_ethnic_minority = DecimalNumberField(_l("Điểm ưu tiên: người dân tộc thiểu số"),
                                                default=0, **_OPTIONAL_WEIGHT)
    required_positions = MultiCheckboxField(
        _l("Đối tượng bắt buộc (người giữ các chức vụ này được xét chọn trước)"),
        **_REQUIRED_ROLES)
    min_per_village = IntegerNumberField(_l("Số người tối thiểu mỗi thôn (để trống: không quy "
                                            "định)"), **_MIN_PER_VILLAGE)
    max_per_village = IntegerNumberField(_l("Số người tối đa mỗi thôn (để trống: không giới "
                                            "hạn)"), **_MAX_PER_VILLAGE)
    make_sessions = BooleanField(_l("Tạo sẵn buổi sáng và buổi chiều cho mỗi ngày"),
                                 default=True)
    # The convening document (papers)
    convene_kind = SelectField(_l("Loại văn bản"), default="decision",
                               choices=[(k, _l(CONVENE_LABELS[k])) for k in CONVENE_KINDS])
    convene_number = StringField(_l("Số văn bản"), filters=[nfc],
                                 validators=[Optional(), Length(max=40)])
    convene_date = VNDateField(_l("Ngày ban hành"), validators=[Optional()])


class PolicyForm(PolicyFields, BaseForm):
    """The allocation preview's policy (GET parameters; confirmation repeats them)."""

    class Meta:  # combined with BaseForm.Meta (Vietnamese WTForms messages)
        csrf = False

    min_women_pct = PercentField(_l("Tỷ lệ nữ tối thiểu (%)"), **_WOMEN_PCT)
    max_per_unit = IntegerNumberField(_l("Số chỗ tối đa mỗi xã"), **_MAX_PER_UNIT)
    weight_woman = DecimalNumberField(_l("Điểm: nữ"), **_WEIGHT)
    weight_village_leader = DecimalNumberField(_l("Điểm: cán bộ cấp thôn"), **_WEIGHT)
    weight_not_trained = DecimalNumberField(_l("Điểm: chưa được tập huấn"), **_WEIGHT)
    weight_ethnic_minority = DecimalNumberField(_l("Điểm: dân tộc thiểu số"), **_OPTIONAL_WEIGHT)
    required_positions = MultiCheckboxField(_l("Đối tượng bắt buộc"), **_REQUIRED_ROLES)
    min_per_village = IntegerNumberField(_l("Tối thiểu mỗi thôn"), **_MIN_PER_VILLAGE)
    max_per_village = IntegerNumberField(_l("Tối đa mỗi thôn"), **_MAX_PER_VILLAGE)


class ConfirmForm(BaseForm):
    """Confirms exactly what was previewed: its fingerprint and its policy (`Policy.as_dict`
    as JSON)."""

    fingerprint = HiddenField(validators=[DataRequired(message=_l(
        "Hãy xem trước kết quả xét chọn rồi mới xác nhận."))])
    policy = HiddenField()

    def show(self, fingerprint: str, policy: Policy) -> None:
        self.fingerprint.data = fingerprint
        self.policy.data = json.dumps(policy.as_dict())

    def previewed_policy(self) -> Policy:
        """The policy of the preview (ValueError when the field was tampered with)."""
        try:
            return Policy.from_dict(json.loads(self.policy.data or ""))
        except json.JSONDecodeError as exc:
            raise ValueError(str(exc)) from exc


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
    cadre_ids = MultiCheckboxField(_l("Cán bộ"), coerce=coerce_id, validate_choice=False)


class ImportNominationsForm(BaseForm):
    file = FileField(_l("Tệp danh sách (.xlsx hoặc .csv UTF-8, theo mẫu danh sách cán bộ)"),
                     validators=[FileRequired(message=_l("Vui lòng chọn tệp danh sách."))])


class ReasonForm(BaseForm):
    """Withdrawal (reason optional for a learner, required for a coordinator) and overrides."""

    reason = TextAreaField(_l("Lý do"), validators=[Optional(), Length(max=1000)])
    action = HiddenField()

