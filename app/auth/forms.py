from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth import passwords, service
from app.auth.roles import ROLE_LABELS, ROLES
from app.auth.service import USERNAME_PATTERN
from app.core.forms import BaseForm
from app.core.once import OnceField
from app.numbers import parse_id
from app.vietnamese import nfc

# A phone keyboard must not capitalise or "correct" a username; a browser must not fill the
# admin's own saved password into somebody else's new password.
USERNAME_INPUT = {"autocomplete": "username", "autocapitalize": "none", "autocorrect": "off",
                  "spellcheck": "false"}
NEW_PASSWORD = {"autocomplete": "new-password"}
PASSWORD_HELP = _l("Dễ nhớ và khó đoán nhất là một câu ngắn gồm 4–5 từ thường, cách nhau bằng "
                   "dấu cách; không cần ký tự đặc biệt hay chữ hoa.")


class LoginForm(BaseForm):
    login = StringField(_l("Tên đăng nhập hoặc số điện thoại"), validators=[DataRequired(
        message=_l("Vui lòng nhập tên đăng nhập hoặc số điện thoại."))], render_kw=USERNAME_INPUT)
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(
        message=_l("Vui lòng nhập mật khẩu."))], render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))


def _strong(form, field):
    """The one password rule (app/auth/passwords.py), knowing the account's own words."""
    if not field.data:
        return
    problem = passwords.password_problem(
        field.data, form.password_words(), min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        min_guesses_log10=current_app.config["PASSWORD_MIN_GUESSES"])
    if problem:
        raise ValidationError(problem)


def _unit_label(unit_id) -> str | None:
    """The name of an account's unit as the account form offers it (people registers the
    list: app/people/__init__.py)."""
    units = current_app.extensions.get("unit_choices")
    if not unit_id or not units:
        return None
    return next((label for value, label in units() if str(value) == str(unit_id)), None)


def words_of(user) -> list[str]:
    """What a guesser knows of this account."""
    return passwords.account_words(username=user.username, full_name=user.full_name,
                                   phone=user.phone, unit=_unit_label(user.unit_id))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _unit_id(value) -> int | None:
    """An id typed in ASCII digits and in range; empty is None (the whole province); anything
    else is -1, which no choice holds, so the field refuses it."""
    if value in (None, ""):
        return None
    found = parse_id(str(value))
    return -1 if found is None else found


class UserForm(BaseForm):
    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(message=_l("Vui lòng nhập tên đăng nhập.")), Length(max=64),
        Regexp(USERNAME_PATTERN, message=_l(
            "Tên đăng nhập gồm chữ không dấu, chữ số và các dấu . _ -, có ít nhất một chữ cái "
            "(để không trùng với số điện thoại)."))],
        render_kw={**USERNAME_INPUT, "autocomplete": "off"})
    full_name = StringField(_l("Họ và tên"), filters=[nfc], validators=[
        DataRequired(message=_l("Vui lòng nhập họ và tên.")), Length(max=120)])
    phone = StringField(_l("Số điện thoại"), validators=[Optional(), Regexp(
        r"^\+?[0-9 .]{9,15}$", message=_l("Số điện thoại không hợp lệ."))])
    email = EmailField(_l("Thư điện tử"), validators=[Optional(), Length(max=254), Regexp(
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Địa chỉ thư điện tử không hợp lệ."))])
    roles = MultiCheckboxField(_l("Vai trò"), choices=[(r, _l(ROLE_LABELS[r])) for r in ROLES],
                               validators=[DataRequired(message=_l("Chọn ít nhất một vai trò."))])
    active = BooleanField(_l("Đang hoạt động"), default=True)
    unit_id = SelectField(_l("Đơn vị phụ trách"), coerce=lambda v: _unit_id(v))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_id.choices = [("", _("— Toàn tỉnh —"))]

    def offer_units(self) -> None:
        """The units an account may work for (its scope). They are people's, a floor above:
        it registers the list (people/__init__.py). Without it (`flask users create`), only
        the whole province."""
        units = current_app.extensions.get("unit_choices")
        self.unit_id.choices += units() if units else []

    def validate_unique(self, user_id: int | None = None) -> bool:
        """After the fields themselves pass: no other account has this username (in any
        case) or phone; the messages go to the fields. The admin's form and
        `flask users create` alike."""
        ok = True
        if service.username_taken(self.username.data, user_id):
            self.username.errors.append(_("Tên đăng nhập này đã có người dùng."))
            ok = False
        if service.phone_taken(service.normalise_phone(self.phone.data), user_id):
            self.phone.errors.append(_("Số điện thoại này đã gắn với tài khoản khác."))
            ok = False
        return ok


class NewUserForm(UserForm):
    once = OnceField()  # app/core/once.py: a double tap creates nothing twice
    password = PasswordField(_l("Mật khẩu"), validators=[
        DataRequired(message=_l("Vui lòng nhập mật khẩu.")), _strong],
        render_kw=NEW_PASSWORD, description=PASSWORD_HELP)
    confirm = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        EqualTo("password", message=_l("Hai mật khẩu không khớp."))],
        render_kw=NEW_PASSWORD)

    def password_words(self) -> list[str]:
        return passwords.account_words(
            username=self.username.data, full_name=self.full_name.data, phone=self.phone.data,
            unit=_unit_label(self.unit_id.data))


class PasswordForm(BaseForm):
    """A new password for `account` (the admin's reset, or one's own change)."""

    password = PasswordField(_l("Mật khẩu mới"), validators=[
        DataRequired(message=_l("Vui lòng nhập mật khẩu.")), _strong],
        render_kw=NEW_PASSWORD, description=PASSWORD_HELP)
    confirm = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        EqualTo("password", message=_l("Hai mật khẩu không khớp."))],
        render_kw=NEW_PASSWORD)


    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def password_words(self) -> list[str]:
        return words_of(self.account) if self.account is not None else []


class ChangePasswordForm(PasswordForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[
        DataRequired(message=_l("Vui lòng nhập mật khẩu hiện tại."))],
        render_kw={"autocomplete": "current-password"})


# A text keyboard (not inputmode=numeric): a recovery code has letters too.
CODE_INPUT = {"autocomplete": "one-time-code", "autocapitalize": "none", "autocorrect": "off",
              "spellcheck": "false"}
CODE_REQUIRED = DataRequired(message=_l("Vui lòng nhập mã gồm 6 chữ số trong ứng dụng xác "
                                        "thực."))


class CodeForm(BaseForm):
    """The second step of a sign-in: the app's code, or a recovery code."""

    code = StringField(_l("Mã xác thực"), validators=[CODE_REQUIRED, Length(max=32)],
                       render_kw=CODE_INPUT)


class EnrolForm(BaseForm):
    # The key shown on the page, carried by the form until the app's code confirms it.
    secret = HiddenField(validators=[Regexp(r"^[A-Z2-7]{32}\Z")])
    code = StringField(_l("Mã xác thực"), validators=[CODE_REQUIRED, Length(max=32)],
                       render_kw={**CODE_INPUT, "inputmode": "numeric"})  # the app's only


class DisableTwoFactorForm(CodeForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[
        DataRequired(message=_l("Vui lòng nhập mật khẩu hiện tại."))],
        render_kw={"autocomplete": "current-password"})
