"""The upload form of a report template (the fill form is the report's own filter,
app/reports/forms.py: the same period, program and unit)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.core.forms import BaseForm


class TemplateForm(BaseForm):
    name = StringField(_l("Tên biểu mẫu"), validators=[DataRequired(), Length(max=200)])
    file = FileField(_l("Tệp biểu mẫu (.xlsx)"),
                     validators=[FileRequired(message=_l("Hãy chọn tệp .xlsx để tải lên."))])
