"""Numbers typed and shown the Vietnamese way: one parser, one formatter. Plain Python (no Flask).

Vietnamese writes "1.200.000" for one million two hundred thousand and "1,5" for one and a
half: "." groups thousands, "," is the decimal mark. People also type the English way ("1.5")
or group with spaces ("100 000"). The parser reads every form that has one meaning and refuses
the others with a message showing the expected form; it never rounds or drops a character to
make a value fit.

The rule, precisely (`parse_number`)
-----------------------------------
After NFC, zero-width characters removed and surrounding spaces stripped:

- Empty text is no value (None); whether that is allowed is the caller's business.
- Money (`unit="money"`) may end in "đ", "đồng", "₫", "VND" or "VNĐ" (any case, a space before
  it or not); a percentage (`unit="percent"`) may end in "%". Nothing else may follow the number.
- A leading "-" (or the minus sign "−") makes it negative; "+" and a space after the sign are
  refused. Only the ASCII digits 0-9 count as digits ("1e5", "NaN", "１２" are unreadable).
- Thousands are grouped with "." or with spaces (space, no-break, narrow no-break, thin,
  figure space), one kind per number: a first group of 1 to 3 digits, then groups of exactly
  3 ("1.200.000", "100 000"; "1.20", "1 00", "1.200 000" are unreadable). A number without
  grouping may have any number of digits ("100000").
- "," is the decimal mark: at most one, with digits on both sides and no grouping after it
  ("1,5", "1.200,25"; "1,2,3", ",5", "1," are unreadable; so is the English "1,200.5").
- "." as a decimal mark ("1.5"), only where decimals are allowed (`places` is not 0), only
  once, without a comma or spaces, and only where it cannot be a thousands group: "1.5",
  "1.25", "0.125", "1000.5" are decimals.
- Ambiguous, refused with both readings in the message, where decimals are allowed: a number
  of 1 to 3 digits, not starting with 0, then "." then exactly 3 digits: "1.200" is 1200 by
  the Vietnamese convention but 1,2 to someone typing the English way (write "1200" or "1,2").
  The same with "," where fewer than 3 decimals are allowed: "2,500" is 2,5 by the convention
  (trailing zeros) but 2500 the English way; where 3 or more decimals are allowed (or any
  number), "1,001" is 1,001 as the convention says.
- Where only whole numbers are allowed (`places=0`: counts, money, percentages here) "." always
  groups thousands ("1.200" is 1200, "1.5" is unreadable) and any "," is refused: "1,5" is not
  whole, and "100,000" (the English one hundred thousand) is 100 by the convention.
- `places` is the most decimals allowed: more is refused, never rounded. Trailing zeros do not
  count ("1,50" is 1,5). `minimum` / `maximum` bound the value (inclusive).

Refusals raise `NumberError` (a ValueError) whose `message` is a Vietnamese msgid with
``%(...)s`` placeholders and `params` its values, like `app.vietnamese.DateError`: code that
knows the reader's language shows ``gettext(exc.message, **exc.params)``. A bound that is not
met raises its subclass `NumberOutOfRange`, so a form can say it in its own words.

The formatter (`format_number`)
-------------------------------
``format_number(1200000)`` "1.200.000", ``format_number(Decimal("1.5"))`` "1,5",
``format_number(2.25)`` "2,25", ``format_number(Fraction(1, 3), places=2)`` "0,33": thousands
grouped with ".", "," before the decimals, no trailing zeros. `places` rounds to at most that
many decimals (half up by default, on the exact value; floats are taken at their shortest
repr, so 0.1 is 1/10). With `places` of 1 or more the value is a decimal quantity, written so
that it reads back where decimals are typed: an integer of 4 to 6 digits is written without the
dot ("1200", not the ambiguous "1.200"). So ``parse_number(format_number(x, places=p),
places=p) == x`` for every x with at most p decimals, and likewise with ``places=0`` for integers.
`format_money` is the same for amounts in đồng, rounded to the đồng: "1.250.000".
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from app.i18n_markers import N_

__all__ = [
    "INT_MAX",
    "coerce_id",
    "parse_id",
    "NumberError",
    "NumberOutOfRange",
    "format_money",
    "format_number",
    "parse_integer",
    "parse_number",
]

NUMBER_UNREADABLE = N_("Không đọc được số “%(text)s”; hãy ghi như %(example)s.")
NUMBER_AMBIGUOUS = N_("Không rõ “%(text)s” là %(whole)s hay %(fraction)s; "
                      "hãy ghi %(whole)s hoặc %(fraction)s.")
NUMBER_NOT_WHOLE = N_("Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như %(example)s.")
NUMBER_PLACES = N_("Chỉ ghi tối đa %(places)s chữ số sau dấu phẩy, như %(example)s.")
NUMBER_MIN = N_("Số phải từ %(min)s trở lên.")
NUMBER_MAX = N_("Số không được lớn hơn %(max)s.")
NUMBER_RANGE = N_("Số phải từ %(min)s đến %(max)s.")

# What a message shows as the expected form, by kind of number.
EXAMPLES = {"integer": "1.200", "decimal": "1,5", "money": "100.000 đ", "percent": "50"}

MAX_LENGTH = 40  # longer text is not a number anybody types (and is not echoed in full)

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = "\u0020\u00a0\u202f\u2009\u2007"
_MINUS = ("-", "\u2212")
_SUFFIX = {
    "money": re.compile(r"[" + _SPACES + r"]*(?:đồng|đ|₫|vnđ|vnd)\Z", re.IGNORECASE),
    "percent": re.compile(r"[" + _SPACES + r"]*%\Z"),
}
_DIGITS = re.compile(r"[0-9]+")
_SPACE = re.compile(r"[" + _SPACES + r"]")
# 1 to 3 digits not starting with 0, a separator, exactly 3 digits: a thousands group or a
# decimal mark, depending on who typed it (parse_number says where that matters).
_AMBIGUOUS = re.compile(r"([1-9][0-9]{0,2})[.,]([0-9]{3})")


class NumberError(ValueError):
    """A number that cannot be read. ``str(exc)`` is the Vietnamese message; `message` (a msgid
    with placeholders) and `params` let code that knows the reader's language translate it:
    ``gettext(exc.message, **exc.params)`` (the messages are in the catalogue)."""

    def __init__(self, message: str, **params: str):
        self.message = message
        self.params = params
        super().__init__(message % params)


class NumberOutOfRange(NumberError):
    """A readable number outside `minimum` / `maximum`."""


def parse_number(text: str | None, *, places: int | None = None,
                 minimum: int | Decimal | None = None, maximum: int | Decimal | None = None,
                 unit: str | None = None, example: str | None = None) -> Decimal | None:
    """The exact value of a number typed the Vietnamese way (see the module docstring), or None
    for empty text. `places`: the most decimals allowed (0: whole numbers only; None: any).
    `unit`: None, "money" (a trailing đ / đồng / VND is allowed) or "percent" (a trailing %).
    `example` is the expected form shown in messages (default by kind, EXAMPLES).
    Raises NumberError, or NumberOutOfRange for a bound not met."""
    if unit not in (None, "money", "percent"):
        raise ValueError(f"unit must be None, 'money' or 'percent', not {unit!r}")
    raw = unicodedata.normalize("NFC", text or "").translate(_INVISIBLE).strip()
    if not raw:
        return None
    example = example or EXAMPLES[unit or ("integer" if places == 0 else "decimal")]
    shown = raw if len(raw) <= MAX_LENGTH else raw[:MAX_LENGTH] + "…"

    def unreadable() -> NumberError:
        return NumberError(NUMBER_UNREADABLE, text=shown, example=example)

    if len(raw) > MAX_LENGTH:
        raise unreadable()
    body = _SUFFIX[unit].sub("", raw) if unit else raw
    negative = body.startswith(_MINUS)
    if negative:
        body = body[1:]
    whole_text, comma, fraction = body.partition(",")
    if comma and not _DIGITS.fullmatch(fraction):
        raise unreadable()  # "1,2,3", "1,", "1,2 đ" where no unit is allowed
    whole = _grouped(whole_text)
    if whole is None:
        whole, fraction = _decimal_point(whole_text, comma, places, unreadable)
    both = _AMBIGUOUS.fullmatch(body)
    if both and places != 0 and ("." in body or (places is not None and places < 3)):
        sign = "-" if negative else ""
        left, right = both.groups()
        raise NumberError(NUMBER_AMBIGUOUS, text=shown, whole=sign + left + right,
                          fraction=sign + format_number(Decimal(f"{left}.{right}")))
    if comma and places == 0:
        raise NumberError(NUMBER_NOT_WHOLE, example=example)
    if places is not None and len(fraction.rstrip("0")) > places:
        raise NumberError(NUMBER_PLACES, places=str(places), example=example)
    value = Decimal(f"{'-' if negative else ''}{whole}{'.' if fraction else ''}{fraction}")
    _check_bounds(value, minimum, maximum)
    return value


def parse_integer(text: str | None, *, minimum: int | None = None, maximum: int | None = None,
                  unit: str | None = None, example: str | None = None) -> int | None:
    """`parse_number` with ``places=0``, as an int."""
    value = parse_number(text, places=0, minimum=minimum, maximum=maximum, unit=unit,
                         example=example)
    return None if value is None else int(value)


# Ids of rows: PostgreSQL's `integer`, the type of every id column.
INT_MAX = 2**31 - 1
_ID = re.compile(r"[1-9][0-9]{0,9}")


def parse_id(value) -> int | None:
    """An id as it comes in a URL, a filter or a form: ASCII digits, 1 to INT_MAX; anything
    else (a superscript "²", which str.isdigit() accepts and int() refuses, other scripts'
    digits, signs, spaces, a number beyond the database's range) is None: no such id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= INT_MAX else None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if number <= INT_MAX else None


def coerce_id(value) -> int | None:
    """WTForms `coerce` for a choice of id: None for an empty choice, the id, or ValueError
    (the field then says the choice is not valid)."""
    if value in (None, "", "None"):
        return None
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


def _grouped(text: str) -> str | None:
    """The digits of a whole part written with or without thousands groups, or None when it
    is not one (a "." that is no thousands group, a lone sign, letters)."""
    if _DIGITS.fullmatch(text):
        return text
    if "." in text and _SPACE.search(text):
        return None  # one kind of separator per number
    groups = _SPACE.sub(".", text).split(".")
    first, rest = groups[0], groups[1:]
    if not (_DIGITS.fullmatch(first) and len(first) <= 3 and first[0] != "0"):
        return None
    if not all(len(g) == 3 and _DIGITS.fullmatch(g) for g in rest):
        return None
    return "".join(groups)


def _decimal_point(text: str, comma: str, places: int | None, unreadable) -> tuple[str, str]:
    """(whole, fraction) of "1.5" read with "." as the decimal mark, where that is allowed."""
    whole, point, fraction = text.partition(".")
    if (places == 0 or comma or not point or not _DIGITS.fullmatch(whole)
            or not _DIGITS.fullmatch(fraction)):
        raise unreadable()
    return whole, fraction


def _check_bounds(value: Decimal, minimum, maximum) -> None:
    low = minimum is not None and value < minimum
    high = maximum is not None and value > maximum
    if not (low or high):
        return
    if minimum is not None and maximum is not None:
        raise NumberOutOfRange(NUMBER_RANGE, min=format_number(minimum),
                               max=format_number(maximum))
    if low:
        raise NumberOutOfRange(NUMBER_MIN, min=format_number(minimum))
    raise NumberOutOfRange(NUMBER_MAX, max=format_number(maximum))


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------


def _exact(value: int | Decimal | Fraction | float) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction | float):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, float):
        return Fraction(repr(value))  # 0.1 is 1/10, as typed; inf and nan raise ValueError
    return Fraction(value)


def _decimals_needed(exact: Fraction) -> int:
    """Digits after the decimal mark of an exact terminating decimal; ValueError otherwise."""
    den, twos, fives = exact.denominator, 0, 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den != 1:
        raise ValueError(f"{exact} has no finite decimal expansion: give places")
    return max(twos, fives)


def format_number(value: int | Decimal | Fraction | float | None, places: int | None = None,
                  *, rounding: str = ROUND_HALF_UP) -> str:
    """A number the Vietnamese way: "1.200.000", "1,5", "2,25", "-3"; None gives "".

    `places`: at most that many decimals, rounded (`rounding`: ROUND_HALF_UP, the default, or
    ROUND_HALF_EVEN), trailing zeros dropped; None shows the exact value (a Fraction must then
    be a terminating decimal). With places >= 1 an integer of 4 to 6 digits is written without
    the thousands dot, so that it reads back where decimals are typed (module docstring).
    """
    if value is None:
        return ""
    if rounding not in (ROUND_HALF_UP, ROUND_HALF_EVEN):
        raise ValueError(f"unsupported rounding {rounding!r}")
    if type(value) is int and places is None:  # the common case, as the general path gives it
        return ("-" if value < 0 else "") + _group(str(abs(value)))
    exact = _exact(value)
    shown = _decimals_needed(exact) if places is None else places
    scaled = exact * 10**shown
    units, rest = divmod(abs(scaled.numerator), scaled.denominator)
    twice = 2 * rest
    if twice > scaled.denominator or (twice == scaled.denominator and (
            rounding == ROUND_HALF_UP or units % 2 == 1)):
        units += 1
    digits = str(units).rjust(shown + 1, "0")
    whole, fraction = digits[:len(digits) - shown], digits[len(digits) - shown:].rstrip("0")
    if fraction or not (places and 4 <= len(whole) <= 6):
        whole = _group(whole)
    sign = "-" if units and exact < 0 else ""
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    return ".".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def format_money(value: int | Decimal | float | None) -> str:
    """An amount in đồng: "1.250.000", rounded half up to the đồng; None gives ""."""
    return format_number(value, places=0)
