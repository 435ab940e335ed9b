"""Unit tests for app.numbers: numbers typed and shown the Vietnamese way (no Flask app)."""

import re
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.numbers import (
    NUMBER_AMBIGUOUS,
    NUMBER_MAX,
    NUMBER_MIN,
    NUMBER_NOT_WHOLE,
    NUMBER_PLACES,
    NUMBER_RANGE,
    NUMBER_UNREADABLE,
    NumberError,
    NumberOutOfRange,
    format_money,
    format_number,
    parse_integer,
    parse_number,
)

# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, options, value", [
    # the issue's own cases
    ("1,5", {"places": 1}, Decimal("1.5")),
    ("1.5", {"places": 1}, Decimal("1.5")),
    ("100.000", {"places": 0}, 100_000),
    ("100 000", {"places": 0}, 100_000),
    ("100.000 đ", {"places": 0, "unit": "money"}, 100_000),
    ("1.200.000", {"places": 0, "unit": "money"}, 1_200_000),
    # thousands
    ("1.200", {"places": 0}, 1200),
    ("100\u00a0000", {"places": 0}, 100_000),  # no-break space
    ("100\u202f000", {"places": 0}, 100_000),  # narrow no-break space
    ("1 200 000", {"places": 0, "unit": "money"}, 1_200_000),
    ("1200000", {"places": 0}, 1_200_000),
    ("0", {"places": 0}, 0),
    ("007", {"places": 0}, 7),
    # money and percentages
    ("100.000đ", {"places": 0, "unit": "money"}, 100_000),
    ("100.000 đồng", {"places": 0, "unit": "money"}, 100_000),
    ("100.000 ĐỒNG", {"places": 0, "unit": "money"}, 100_000),
    ("100.000 VND", {"places": 0, "unit": "money"}, 100_000),
    ("100.000 VNĐ", {"places": 0, "unit": "money"}, 100_000),
    ("100.000₫", {"places": 0, "unit": "money"}, 100_000),
    ("50%", {"places": 0, "unit": "percent"}, 50),
    ("50 %", {"places": 0, "unit": "percent"}, 50),
    # decimals
    ("1.200,5", {"places": 1}, Decimal("1200.5")),
    ("1 200,5", {"places": 1}, Decimal("1200.5")),
    ("0,5", {"places": 1}, Decimal("0.5")),
    ("0.125", {}, Decimal("0.125")),
    ("0,500", {"places": 1}, Decimal("0.5")),  # leading 0: no thousands group
    ("1000.5", {"places": 1}, Decimal("1000.5")),  # 4 digits before: no thousands group
    ("1,50", {"places": 1}, Decimal("1.5")),  # trailing zeros are no decimals
    ("12", {"places": 1}, 12),
    ("-1,5", {"places": 1}, Decimal("-1.5")),
    ("\u22121,5", {"places": 1}, Decimal("-1.5")),  # the minus sign
    ("  2,5  ", {"places": 1}, Decimal("2.5")),
    ("2\u200b,5", {"places": 1}, Decimal("2.5")),  # zero-width space from a copy
])
def test_reads_the_vietnamese_forms(text, options, value):
    assert parse_number(text, **options) == value


@pytest.mark.parametrize("text", [None, "", "   ", "\u00a0"])
def test_empty_text_is_no_value(text):
    assert parse_number(text) is None
    assert parse_integer(text) is None


def test_parse_integer_gives_an_int():
    assert parse_integer("1.200.000 đ", unit="money") == 1_200_000
    assert type(parse_integer("1.200")) is int


def _refusal(text, **options) -> NumberError:
    with pytest.raises(NumberError) as caught:
        parse_number(text, **options)
    return caught.value


@pytest.mark.parametrize("text, options", [
    ("1,2,3", {"places": 1}), ("1,2,3", {"places": 0}), ("abc", {}), ("1e5", {}),
    ("NaN", {}), ("Infinity", {}), ("1.5.0", {"places": 1}), ("1.20", {"places": 0}),
    ("1.5", {"places": 0}), ("1 00", {"places": 0}), ("1.200 000", {"places": 0}),
    ("1.20.000", {"places": 0}), ("0.500", {"places": 0}), (".5", {}), ("5.", {}),
    ("1,", {}), (",5", {}), ("+5", {}), ("- 5", {}), ("--5", {}), ("1,200.5", {}),
    ("1,200,000", {"places": 0}), ("1_000", {}), ("١٢", {}), ("１２", {}),
    ("đ", {"unit": "money", "places": 0}), ("100.000 đ", {"places": 0}),
    ("100 đ đ", {"unit": "money", "places": 0}), ("%", {"unit": "percent", "places": 0}),
    ("50%", {"places": 0}), ("1" * 41, {"places": 0}),
])
def test_refuses_what_is_malformed(text, options):
    error = _refusal(text, **options)
    assert error.message == NUMBER_UNREADABLE
    assert error.params["text"] == (text if len(text) <= 40 else text[:40] + "…")


def test_unreadable_messages_show_the_expected_form():
    assert str(_refusal("đ", unit="money", places=0)) == (
        "Không đọc được số “đ”; hãy ghi như 100.000 đ.")
    assert str(_refusal("x", places=1)) == "Không đọc được số “x”; hãy ghi như 1,5."
    assert str(_refusal("x", places=0)) == "Không đọc được số “x”; hãy ghi như 1.200."
    assert str(_refusal("x", places=0, unit="percent")) == "Không đọc được số “x”; hãy ghi như 50."
    assert str(_refusal("x", places=0, example="30")) == "Không đọc được số “x”; hãy ghi như 30."


@pytest.mark.parametrize("text, whole, fraction, places", [
    ("1.200", "1200", "1,2", (1, 2, 3, None)), ("1.000", "1000", "1", (1, 3, None)),
    ("-1.200", "-1200", "-1,2", (1, None)), ("12.500", "12500", "12,5", (1, 4)),
    ("2,500", "2500", "2,5", (1, 2)), ("999,999", "999999", "999,999", (1, 2)),
    ("-2,500", "-2500", "-2,5", (1,)),
])
def test_refuses_what_is_ambiguous_where_decimals_are_typed(text, whole, fraction, places):
    for allowed in places:
        error = _refusal(text, places=allowed)
        assert error.message == NUMBER_AMBIGUOUS
        assert error.params == {"text": text, "whole": whole, "fraction": fraction}
    assert str(_refusal("1.200", places=1)) == (
        "Không rõ “1.200” là 1200 hay 1,2; hãy ghi 1200 hoặc 1,2.")


def test_three_decimals_after_a_comma_where_three_are_allowed():
    assert parse_number("1,001", places=3) == Decimal("1.001")
    assert parse_number("2,500", places=3) == Decimal("2.5")
    assert parse_number("1,200") == Decimal("1.2")  # any number of decimals: the convention


def test_a_dot_in_a_whole_number_always_groups_thousands():
    assert parse_number("1.200", places=0) == 1200
    assert parse_number("12.500", places=0, unit="money") == 12_500


@pytest.mark.parametrize("text", ["1,5", "1,0", "100,000", "1.200,5", "1,200"])
def test_whole_numbers_take_no_comma(text):
    error = _refusal(text, places=0, unit="money")
    assert error.message == NUMBER_NOT_WHOLE
    assert str(error) == ("Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), "
                          "như 100.000 đ.")


@pytest.mark.parametrize("text, places", [("1,25", 1), ("0.125", 2), ("0,251", 2),
                                          ("1.200,55", 1), ("1234,251", 2)])
def test_too_many_decimals_are_refused_never_rounded(text, places):
    error = _refusal(text, places=places)
    assert error.message == NUMBER_PLACES
    assert error.params["places"] == str(places)


def test_bounds_with_vietnamese_numbers_in_the_message():
    with pytest.raises(NumberOutOfRange) as caught:
        parse_number("-1", places=0, minimum=0, maximum=10_000_000)
    assert caught.value.message == NUMBER_RANGE
    assert str(caught.value) == "Số phải từ 0 đến 10.000.000."
    with pytest.raises(NumberOutOfRange) as caught:
        parse_number("0,25", places=2, minimum=Decimal("0.5"))
    assert caught.value.message == NUMBER_MIN and str(caught.value) == "Số phải từ 0,5 trở lên."
    with pytest.raises(NumberOutOfRange) as caught:
        parse_number("1.000", places=0, maximum=999)
    assert caught.value.message == NUMBER_MAX
    assert str(caught.value) == "Số không được lớn hơn 999."
    assert parse_number("0,5", places=1, minimum=Decimal("0.5"), maximum=999) == Decimal("0.5")
    assert parse_number("999", places=1, minimum=Decimal("0.5"), maximum=999) == 999


def test_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError, match="unit"):
        parse_number("1", unit="kg")


# --- writing -------------------------------------------------------------------------------


@pytest.mark.parametrize("value, places, text", [
    (1_200_000, None, "1.200.000"), (Decimal("1.5"), None, "1,5"), (2.25, None, "2,25"),
    (0, None, "0"), (999, None, "999"), (1000, None, "1.000"), (-1500, None, "-1.500"),
    (Decimal("1.50"), None, "1,5"), (Decimal("1E+3"), None, "1.000"), (0.1, None, "0,1"),
    (Fraction(1, 3), 2, "0,33"), (Fraction(2, 3), 2, "0,67"), (Fraction(1, 8), None, "0,125"),
    (Decimal("1200.25"), 1, "1.200,3"), (-0.001, 2, "0"), (Decimal("-0.5"), 0, "-1"),
    (1200, 1, "1200"), (999_999, 2, "999999"), (1_000_000, 1, "1.000.000"),
    (Decimal("1200.5"), 1, "1.200,5"), (1200, 0, "1.200"), (-1200, 1, "-1200"),
    (None, None, ""),
])
def test_format_number(value, places, text):
    assert format_number(value, places) == text


def test_format_number_rounds_half_up_unless_told():
    assert format_number(Fraction(1, 8), 2) == "0,13"
    assert format_number(Fraction(1, 8), 2, rounding=ROUND_HALF_EVEN) == "0,12"
    assert format_number(Decimal("2.5"), 0) == "3"
    assert format_number(Decimal("2.5"), 0, rounding=ROUND_HALF_EVEN) == "2"


def test_format_number_refuses_what_it_cannot_write():
    with pytest.raises(ValueError):
        format_number(Fraction(1, 3))  # no finite decimal: give places
    with pytest.raises(ValueError):
        format_number(float("nan"))
    with pytest.raises(TypeError):
        format_number(True)
    with pytest.raises(TypeError):
        format_number("1,5")


def test_format_money():
    assert format_money(1250000) == "1.250.000"
    assert format_money(100000) == "100.000"
    assert format_money(999) == "999"
    assert format_money(0) == "0"
    assert format_money(-1500) == "-1.500"
    assert format_money(Decimal("150000.5")) == "150.001"
    assert format_money(150000.5) == "150.001"
    assert format_money(None) == ""


# --- properties: what is written reads back, and nothing is changed silently --------------

_MONEY = st.integers(min_value=-(10**15), max_value=10**15)


@given(_MONEY)
def test_whole_numbers_read_back(n):
    assert parse_number(format_number(n), places=0) == n
    assert parse_integer(format_money(n), unit="money") == n
    assert parse_integer(format_money(n) + " đ", unit="money") == n
    assert parse_integer(format_money(n).replace(".", "\u00a0"), unit="money") == n


@given(st.integers(min_value=0, max_value=4), st.data())
def test_decimals_read_back(places, data):
    value = data.draw(st.decimals(min_value=-(10**9), max_value=10**9, places=places,
                                  allow_nan=False, allow_infinity=False))
    text = format_number(value, places=places)
    assert parse_number(text, places=places) == value
    if places:
        assert parse_number(text) == value  # any number of decimals allowed


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999),
       st.sampled_from([(".", 1), (".", 2), (".", 3), (".", None), (",", 1), (",", 2)]))
def test_a_three_digit_group_after_one_separator_is_never_guessed(left, right, case):
    mark, places = case
    text = f"{left}{mark}{right:03d}"
    with pytest.raises(NumberError) as caught:
        parse_number(text, places=places)
    assert caught.value.message == NUMBER_AMBIGUOUS


_TYPED = st.text(alphabet="0123456789., -đ%", max_size=14)
_CONVENTION = re.compile(r"-?(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?: [0-9]{3})+"
                         r"|[0-9]+)(?:,[0-9]+)?")
_ENGLISH_POINT = re.compile(r"-?[0-9]+\.[0-9]+")


def _readings(text: str) -> set[Decimal]:
    """Every value a person could have meant: "." or a space grouping thousands and ","
    the decimal mark (the convention), or "." the decimal mark (the English way)."""
    body = text.strip().removesuffix("đ").removesuffix("%").strip()
    found = set()
    if _CONVENTION.fullmatch(body):
        found.add(Decimal(body.replace(".", "").replace(" ", "").replace(",", ".")))
    if _ENGLISH_POINT.fullmatch(body):
        found.add(Decimal(body))
    return found


@given(_TYPED, st.sampled_from([0, 1, 2, None]), st.sampled_from([None, "money", "percent"]))
def test_an_accepted_text_means_what_was_typed(text, places, unit):
    """Whatever is accepted is one of the values the text can mean, and the only one when the
    field takes decimals; nothing is dropped or rounded to make it fit."""
    try:
        value = parse_number(text, places=places, unit=unit)
    except NumberError:
        return
    assume(value is not None)
    meanings = _readings(text)
    assert value in meanings
    if places == 0:
        assert value == int(value)
    else:
        assert len(meanings) == 1, (text, meanings)
