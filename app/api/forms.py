"""The admin's form for a new API token."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import BaseForm
from app.numbers import coerce_id


class TokenForm(BaseForm):
    name = StringField(_l("Hệ thống sẽ dùng khóa"), validators=[DataRequired(), Length(max=120)])
    unit_id = SelectField(_l("Phạm vi dữ liệu"), coerce=coerce_id, validators=[Optional()])
