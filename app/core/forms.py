"""The base of every form: Flask-WTF with WTForms' built-in messages in Vietnamese.

WTForms ships no Vietnamese catalogue, so its own messages ("Not a valid choice.", "Field
cannot be longer than 120 characters.") are translated here; in English they stay as they are.

Dates are typed in `VNDateField`; numbers in `IntegerNumberField`, `DecimalNumberField`,
`PercentField` and `MoneyField`, read and shown by app.numbers ("1,5", "100.000 đ").
"""

from datetime import date
from decimal import Decimal

from flask import request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField

from app.numbers import NumberError, NumberOutOfRange, format_number, parse_number
from app.vietnamese import DateError, format_date, parse_date

VIETNAMESE = {
    "This field is required.": "Vui lòng điền ô này.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid email address.": "Địa chỉ thư điện tử không hợp lệ.",
    "Invalid URL.": "Địa chỉ không hợp lệ.",
    "Field must be equal to %(other_name)s.": "Giá trị phải trùng với ô %(other_name)s.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Phải dài từ %(min)d đến %(max)d ký tự.",
    "Invalid value, must be one of: %(values)s.": "Giá trị phải là một trong: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Giá trị không được là: %(values)s.",
    "This field cannot be edited.": "Ô này không sửa được.",
    "This field is disabled and cannot have a value.": "Ô này bị khóa, không nhận giá trị.",
    "Invalid CSRF Token.": "Mã bảo vệ biểu mẫu không hợp lệ; hãy tải lại trang.",
    "CSRF token missing.": "Thiếu mã bảo vệ biểu mẫu; hãy tải lại trang.",
    "CSRF failed.": "Kiểm tra bảo vệ biểu mẫu không đạt; hãy tải lại trang.",
    "CSRF token expired.": "Biểu mẫu đã hết hạn; hãy tải lại trang.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Choices cannot be None.": "Chưa có lựa chọn nào.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid choice(s): one or more data inputs could not be coerced.":
        "Có lựa chọn không hợp lệ.",
    "Not a valid datetime value.": "Ngày giờ không hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ; hãy ghi dd/mm/yyyy.",
    "Not a valid time value.": "Giờ không hợp lệ; hãy ghi hh:mm.",
    "Not a valid week value.": "Tuần không hợp lệ.",
}
VIETNAMESE_PLURAL = {
    "Field must be at least %(min)d character long.": "Phải có ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Không được dài quá %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Phải dài đúng %(max)d ký tự.",
    "'%(value)s' is not a valid choice for this field.": "“%(value)s” không phải lựa chọn hợp lệ.",
}


class _Translations:
    """gettext/ngettext for WTForms: Vietnamese when the page is in Vietnamese."""

    @staticmethod
    def _vietnamese() -> bool:
        locale = get_locale()
        return locale is not None and locale.language == "vi"

    def gettext(self, string: str) -> str:
        return VIETNAMESE.get(string, string) if self._vietnamese() else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self._vietnamese() and singular in VIETNAMESE_PLURAL:
            return VIETNAMESE_PLURAL[singular]
        return singular if n == 1 else plural


TRANSLATIONS = _Translations()


def form_status() -> int:
    """The status of a form page: 200 when it is opened, 400 when a POST comes back to it
    (the form was refused; its errors are shown at the fields)."""
    return 400 if request.method == "POST" else 200


class BaseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return TRANSLATIONS

    def validate(self, extra_validators=None) -> bool:
        """As WTForms, but a field whose text could not be read ("abc" in a number field)
        shows only that message, not also the range or requirement it then fails. A field
        whose validators cleared its errors (`Optional` on a blank field) stays without."""
        valid = super().validate(extra_validators)
        for field in self:
            if field.process_errors and field.errors:
                field.errors = list(field.process_errors)
        return valid


class EmptyForm(BaseForm):
    """Only the CSRF token: a button that posts (apply, fill from the waitlist, unlock)."""


class VNDateField(StringField):
    """A date typed and shown as dd/mm/yyyy (whatever the browser's locale), parsed with
    app.vietnamese.parse_date; a bare year is refused here (use a text field for that)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                        "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_date(self.data) if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            day, _year = parse_date(text)
        except DateError as exc:
            self.data = None
            raise ValueError(_(exc.message, **exc.params)) from exc
        if day is None:
            self.data = None
            raise ValueError(_("Hãy ghi đủ ngày, tháng, năm (dd/mm/yyyy), không chỉ năm: "
                               "%(text)s", text=text))
        self.data = day


class _NumberField(StringField):
    """A number typed and shown the Vietnamese way (app.numbers): "1,5", "1.200", "100.000 đ".

    A text input with an `inputmode` for phones' keyboards (never type="number": browsers
    refuse or silently change "1,5" there). Blank text is no value (None), so `Optional` and
    `InputRequired` decide whether that is allowed; text that is not a number, or out of
    `minimum`..`maximum`, is an error at the field (`message` words the range in the field's
    own terms, with %(min)s and %(max)s), and what was typed stays in the input.
    """

    places: int | None = 0
    unit: str | None = None
    input_mode = "numeric"

    def __init__(self, label=None, validators=None, *, minimum=None, maximum=None,
                 message=None, example=None, **kwargs):
        render_kw = {"inputmode": self.input_mode, "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.range_message, self.example = message, example

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        # a stored value with more decimals than the field takes is shown in full, never
        # rounded: saving it unchanged is then refused rather than silently altered
        exact = Decimal(repr(self.data)) if isinstance(self.data, float) else Decimal(self.data)
        fits = self.places is None or -exact.normalize().as_tuple().exponent <= self.places
        return format_number(self.data, self.places if fits else None)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0] or ""
        if not text.strip():
            self.raw_data, self.data = [""], None  # blank: for InputRequired as for Optional
            return
        try:
            value = parse_number(text, places=self.places, minimum=self.minimum,
                                 maximum=self.maximum, unit=self.unit, example=self.example)
        except NumberOutOfRange as exc:
            self.data = None
            if self.range_message is None:
                raise ValueError(_(exc.message, **exc.params)) from exc
            raise ValueError(str(self.range_message) % {
                "min": format_number(self.minimum), "max": format_number(self.maximum)}) from exc
        except NumberError as exc:
            self.data = None
            raise ValueError(_(exc.message, **exc.params)) from exc
        self.data = self._convert(value)

    def _convert(self, value: Decimal):
        return int(value) if self.places == 0 else value


class IntegerNumberField(_NumberField):
    """A whole number ("30", "1.200", "1 200"); `data` is an int."""


class PercentField(_NumberField):
    """A whole percentage ("50", "50%"); `data` is an int (use minimum=0, maximum=100)."""

    unit = "percent"


class MoneyField(_NumberField):
    """An amount in đồng ("100.000", "100 000", "100.000 đ"); `data` is an int."""

    unit = "money"


class DecimalNumberField(_NumberField):
    """A decimal number ("1,5", "1.5", "1.200,5") with at most `places` decimals (more is
    refused, never rounded); `data` is a Decimal."""

    input_mode = "decimal"

    def __init__(self, label=None, validators=None, *, places=1, **kwargs):
        self.places = places
        super().__init__(label, validators, **kwargs)
