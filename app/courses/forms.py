from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.auth.forms import MultiCheckboxField
from app.core.forms import BaseForm, DecimalNumberField, IntegerNumberField, PercentField
from app.core.once import OnceField
from app.courses import content, review
from app.courses.service import MAX_CHOICES, normalise_text
from app.courses.topics import choices as topic_choices
from app.numbers import coerce_id
from app.vietnamese import nfc

# Choice rows on the question form: every existing choice plus EMPTY_CHOICES empty ones, at
# least MIN_CHOICE_ROWS; more than MAX_CHOICES filled is refused (never dropped).
MIN_CHOICE_ROWS = 4
EMPTY_CHOICES = 2
CHOICE_ROWS_LIMIT = 50  # rows read from a posted form (older questions may have more than 10)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RenderableMarkdown:
    """The Markdown must be renderable: not nested too deep, no over-long runs of lines...
    (app.courses.content.problems), with the line in the message."""

    def __call__(self, form, field):
        if field.errors:
            return  # too long already said
        try:
            content.check(normalise_text(field.data or ""))
        except content.ContentError as exc:
            raise ValidationError(str(exc)) from exc


class CourseForm(BaseForm):
    once = OnceField()  # app/core/once.py: a double tap creates nothing twice
    title = StringField(_l("Tên khóa học"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập tên khóa học.")), Length(max=200)])
    code = StringField(_l("Mã khóa học"), filters=[_strip], validators=[
        DataRequired(message=_l("Vui lòng nhập mã khóa học, ví dụ GNBV-05.")), Length(max=30),
        Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
               message=_l("Mã chỉ gồm chữ, số và các dấu . _ - (ví dụ GNBV-05)."))])
    slug = StringField(_l("Mã đường dẫn"), filters=[_strip], validators=[Optional(),
                                                                         Length(max=80)])
    topics = MultiCheckboxField(_l("Chủ đề"), choices=[(s, _l(t)) for s, t in topic_choices()],
                                validators=[
        DataRequired(message=_l("Vui lòng chọn ít nhất một chủ đề của kế hoạch."))])
    summary = TextAreaField(_l("Tóm tắt"), filters=[nfc], validators=[Length(max=1000)])
    audience = TextAreaField(_l("Đối tượng học"), filters=[nfc], validators=[Length(max=1000)])
    hours = DecimalNumberField(_l("Số giờ học dự kiến"), places=1, minimum=Decimal("0.5"),
                               maximum=999, message=_l("Số giờ từ 0,5 đến 999."),
                               validators=[Optional()])
    description = TextAreaField(_l("Giới thiệu khóa học (Markdown)"), validators=[
        Length(max=content.MAX_SOURCE_CHARS, message=_l(
            "Phần giới thiệu quá dài (tối đa 100.000 ký tự).")), RenderableMarkdown()])
    trainers = MultiCheckboxField(_l("Giảng viên phụ trách"), coerce=coerce_id,
                                  validate_choice=True)


class LessonForm(BaseForm):
    once = OnceField()  # app/core/once.py: a double tap creates nothing twice
    title = StringField(_l("Tên bài"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập tên bài.")), Length(max=200)])
    body = TextAreaField(_l("Nội dung (Markdown)"), validators=[
        DataRequired(message=_l("Bài học chưa có nội dung.")),
        Length(max=content.MAX_SOURCE_CHARS, message=_l(
            "Bài học quá dài (tối đa 100.000 ký tự); hãy chia thành nhiều bài.")),
        RenderableMarkdown()])


class UploadForm(BaseForm):
    file = FileField(_l("Tệp đính kèm"), validators=[
        FileRequired(message=_l("Vui lòng chọn tệp để tải lên."))])


class AudioForm(BaseForm):
    file = FileField(_l("Tệp âm thanh (MP3, M4A, OGG, WAV)"), validators=[
        FileRequired(message=_l("Vui lòng chọn tệp âm thanh để tải lên."))])


class QuizSettingsForm(BaseForm):
    pass_mark = PercentField(_l("Điểm đạt (% số câu đúng)"), minimum=0, maximum=100,
                             message=_l("Điểm đạt từ 0 đến 100 (%%)."), validators=[
        InputRequired(message=_l("Vui lòng nhập điểm đạt."))])
    max_attempts = IntegerNumberField(_l("Số lần làm bài tối đa"), minimum=1, maximum=100,
                                      example="3", message=_l("Số lần làm bài từ 1 đến 100."),
                                      validators=[InputRequired(message=_l(
                                          "Vui lòng nhập số lần làm bài tối đa."))])
    draw_count = IntegerNumberField(
        _l("Số câu rút ra mỗi lần làm (để trống: dùng mọi câu)"), minimum=1, maximum=500,
        example="10", message=_l("Số câu rút ra từ 1 đến 500, hoặc để trống."),
        validators=[Optional()])
    review_mode = SelectField(_l("Sau khi nộp bài, học viên thấy"),
                              choices=[(k, _l(v)) for k, v in review.MODES.items()],
                              default=review.DEFAULT)


class ChoiceEntry(Form):
    text = StringField(_l("Lựa chọn"), filters=[nfc], validators=[Length(max=1000)])
    correct = BooleanField(_l("Đúng"))


class QuestionForm(BaseForm):
    text = TextAreaField(_l("Câu hỏi"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập câu hỏi.")), Length(max=2000)])
    choices = FieldList(FormField(ChoiceEntry), min_entries=MIN_CHOICE_ROWS,
                        max_entries=CHOICE_ROWS_LIMIT)
    explanation = TextAreaField(_l("Giải thích (hiện sau khi trả lời)"), filters=[nfc],
                                validators=[Length(max=4000)])


def question_rows(choices) -> list[dict]:
    """Initial rows of the question form: every existing choice and EMPTY_CHOICES empty ones
    (at least MIN_CHOICE_ROWS rows, empty ones only up to MAX_CHOICES)."""
    rows = [{"text": c.text, "correct": c.correct} for c in choices][:CHOICE_ROWS_LIMIT]
    wanted = min(max(len(rows) + EMPTY_CHOICES, MIN_CHOICE_ROWS), max(MAX_CHOICES, len(rows)))
    return rows + [{} for _ in range(wanted - len(rows))]


class ActionForm(BaseForm):
    """A bare POST with a CSRF token (publish, move, delete...); the pressed button's
    name="action" value is read from request.form."""
