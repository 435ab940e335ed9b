"""Forms of the certificates pages (CSRF through Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.core.forms import BaseForm, VNDateField
from app.vietnamese import nfc


class IssueForm(BaseForm):
    """Issue to one learner (`application_id`) or, empty, to every eligible learner."""

    application_id = HiddenField()


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Lý do"), filters=[nfc], validators=[Length(max=1000)])


class VerifyForm(BaseForm):
    class Meta(BaseForm.Meta):
        csrf = False  # a GET form anyone may type a code into: nothing is written

    code = StringField(_l("Mã xác minh"), validators=[Optional()])


class PeriodForm(BaseForm):
    class Meta(BaseForm.Meta):
        csrf = False  # filters of a GET page

    date_from = VNDateField(_l("Từ ngày"), validators=[Optional()])
    date_to = VNDateField(_l("Đến ngày"), validators=[Optional()])
