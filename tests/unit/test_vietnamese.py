"""Unit tests for app.vietnamese (no Flask app)."""

import random
import re
import sqlite3
import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.vietnamese import (
    fold,
    format_date,
    format_date_long,
    format_place_date,
    looks_like_legacy_encoding,
    money_in_words,
    name_sort_key,
    nfc,
    number_in_words,
    parse_date,
    split_name,
    text_sort_key,
    vn_sorted,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- normalisation -------------------------------------------------------------------------


def test_nfc_normalises_strips_and_collapses_whitespace():
    assert nfc(None) == ""
    assert nfc("  Nguyễn \t Thị\n\nHoa  ") == "Nguyễn Thị Hoa"
    assert nfc(nfd("Nguyễn Thị Hoà")) == "Nguyễn Thị Hoà"
    assert nfc(nfd("Nguyễn")) == unicodedata.normalize("NFC", "Nguyễn")
    assert nfc("Lê\u00a0Văn\u200b An\ufeff") == "Lê Văn An"
    # Tone placement is the user's: nfc keeps "Hoà" and "Hòa" apart.
    assert nfc("Hoà") != nfc("Hòa")


def test_fold():
    assert fold("Nguyễn Thị Hoà") == "nguyen thi hoa"
    assert fold(nfd("Nguyễn Thị Hoà")) == "nguyen thi hoa"
    assert fold("ĐINH  Văn Đức") == "dinh van duc"
    assert fold("Ơn Ưng Ông Ăn Ân Êm") == "on ung ong an an em"
    assert fold("Đinh Thị H'Nhi") == "dinh thi h'nhi"
    assert fold("\u00d0inh") == "dinh"  # Icelandic eth typed for Đ
    assert fold(None) == ""
    assert fold("Hòa") == fold("Hoà") == fold(nfd("Hòa"))


# --- names ---------------------------------------------------------------------------------


def test_split_name():
    assert split_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_name("Đinh Thị H'Nhi") == ("Đinh", "Thị", "H'Nhi")
    assert split_name("Nguyễn An") == ("Nguyễn", "", "An")
    assert split_name("Pó") == ("", "", "Pó")
    assert split_name("  Lê   Văn  Tám ") == ("Lê", "Văn", "Tám")
    assert split_name("") == ("", "", "")
    assert split_name(None) == ("", "", "")


# Worked out by hand. Given name first: An < Anh < Ánh < Ân (a < â, and "an" is a prefix of
# "anh"), Bình < Bính (grave before acute), Dũng < Đức (d < đ), H'Nhi < Hoa (apostrophe ignored,
# n < o), Hoa < Hòa = Hoà, Ông < Ơn (ô < ơ) < Ư. Same given name: middle name ("" < "Thị" <
# "Thị Minh" < "Văn"), then family name (Dương < Đinh < Lê < Nguyễn < Phạm).
EXPECTED_ORDER = [
    "Dương An",
    "Đinh An",
    "Nguyễn An",
    "Nguyễn Văn An",
    "Phạm Minh Anh",
    "Đinh Thị Ánh",
    "Lê Thị Ân",
    "Nguyễn Thanh Bình",
    "Lê Văn Bính",
    "Phạm Văn Dũng",
    "Nguyễn Đức",
    "Đinh Thị H'Nhi",
    "Đinh Thị Hoa",
    "Nguyễn Thị Minh Hoa",
    "Lê Thị Hòa",  # new-style tone placement
    "Phạm Thị Hoà",  # old-style: same letters and tone as Hòa, so the family name decides
    "Đinh Văn Ông",
    "Nguyễn Văn Ơn",
    "Lê Thị Ư",
]


@pytest.mark.parametrize("seed", [1, 2, 3, 42])
def test_sorting_real_names(seed):
    shuffled = EXPECTED_ORDER[:]
    random.Random(seed).shuffle(shuffled)
    assert vn_sorted(shuffled) == EXPECTED_ORDER
    # NFD input (e.g. pasted from a Mac) sorts the same.
    assert [nfc(n) for n in vn_sorted([nfd(n) for n in shuffled])] == EXPECTED_ORDER
    # Upper case too.
    assert vn_sorted(shuffled, key=str.upper) == EXPECTED_ORDER


def test_sort_key_is_bytewise_order_in_a_database():
    db = sqlite3.connect(":memory:")  # BINARY collation: bytewise, like PostgreSQL "C"
    db.execute("CREATE TABLE people (name TEXT, sort_key TEXT)")
    shuffled = EXPECTED_ORDER[:]
    random.Random(5).shuffle(shuffled)
    db.executemany("INSERT INTO people VALUES (?, ?)",
                   [(n, name_sort_key(n)) for n in shuffled])
    rows = [r[0] for r in db.execute("SELECT name FROM people ORDER BY sort_key")]
    assert rows == EXPECTED_ORDER


def test_vn_sorted_with_key_on_objects():
    people = [{"id": i, "name": n} for i, n in enumerate(reversed(EXPECTED_ORDER))]
    result = vn_sorted(people, key=lambda p: p["name"])
    assert [p["name"] for p in result] == EXPECTED_ORDER


def test_tone_order_within_a_syllable():
    expected = ["ba", "bà", "bả", "bã", "bá", "bạ", "bac", "bác"]
    for seed in range(5):
        shuffled = expected[:]
        random.Random(seed).shuffle(shuffled)
        assert vn_sorted(shuffled) == expected


def test_letter_order():
    alphabet = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    assert vn_sorted(reversed(alphabet)) == alphabet
    assert name_sort_key("Dung") < name_sort_key("Đa")  # d < đ before anything that follows
    assert name_sort_key("Đức") < name_sort_key("Em")
    assert name_sort_key("Anh") < name_sort_key("Ăn") < name_sort_key("Ân") < name_sort_key("Bá")
    assert name_sort_key("Oanh") < name_sort_key("Ông") < name_sort_key("Ơn")
    assert name_sort_key("Uyên") < name_sort_key("Ư") < name_sort_key("Vân")


def test_syllable_by_syllable_and_prefixes():
    # Letters of a syllable before its tone, tone before the next syllable.
    assert name_sort_key("Lê Thì Vân Anh") < name_sort_key("Lê Thị An Anh")
    # A shorter middle name before a longer one that starts the same.
    assert name_sort_key("Lê Thị Hoa") < name_sort_key("Lê Thị Minh Hoa")
    assert name_sort_key("Lê Hoa") < name_sort_key("Lê Thị Hoa")
    # Given name decides before the middle and family names.
    assert name_sort_key("Trần Văn Anh") < name_sort_key("An Văn Bình")


def test_case_nfd_and_tone_placement_do_not_matter():
    for name in ["Nguyễn Thị Hoà", "Đặng Thùy Dương", "Phạm Ngọc Quý", "Lê Thị Thuỷ"]:
        assert name_sort_key(nfd(name)) == name_sort_key(name)
        assert name_sort_key(name.upper()) == name_sort_key(name)
        assert name_sort_key(name.lower()) == name_sort_key(name)
    assert name_sort_key("Lê Thị Hoà") == name_sort_key("Lê Thị Hòa")
    assert name_sort_key("Phạm Thị Thuỷ") == name_sort_key("Phạm Thị Thủy")
    assert name_sort_key("Lê  Văn   An ") == name_sort_key("Lê Văn An")


def test_punctuation_is_ignored():
    assert name_sort_key("Đinh Thị H'Nhi") == name_sort_key("Đinh Thị HNhi")
    assert name_sort_key("Đinh Thị H\u2019Nhi") == name_sort_key("Đinh Thị H'Nhi")
    assert name_sort_key("Ksor H'Luân") == name_sort_key("Ksor HLuân")
    # Hyphens separate syllables, like spaces inside the same name part.
    assert name_sort_key("Y-Moan") == name_sort_key("Y Moan".replace(" ", "-"))
    assert name_sort_key("Y-Moan") < name_sort_key("Y-Moan-A")


def test_sort_key_is_short_plain_ascii():
    for name in EXPECTED_ORDER + ["Tôn Nữ Thị Ngọc Trâm", "Nguyễn Phúc Vĩnh Lộc", "李小龍", ""]:
        key = name_sort_key(name)
        assert key.isascii() and key.isprintable()
        assert len(key) <= 255
        assert not key.endswith(" ")
    long_name = "Nguyễn " + " ".join(["Thị Minh Ngọc Phương"] * 40) + " Anh"
    assert len(name_sort_key(long_name)) == 255


def test_text_sort_key_orders_words_and_numbers():
    units = ["Thôn 10", "Thôn 2", "Tổ dân phố 1", "Làng Rào", "Di Lăng", "Đồng Ré", "Thôn 1"]
    assert sorted(units, key=text_sort_key) == [
        "Di Lăng", "Đồng Ré", "Làng Rào", "Thôn 1", "Thôn 2", "Thôn 10", "Tổ dân phố 1",
    ]
    communes = ["Sơn Thượng", "Sơn Thủy", "Sơn Hạ", "Sơn Hà", "Sơn Hải", "Sơn Ba"]
    assert sorted(communes, key=text_sort_key) == [
        "Sơn Ba", "Sơn Hà", "Sơn Hạ", "Sơn Hải", "Sơn Thủy", "Sơn Thượng",
    ]  # "ha" is a prefix of "hai": Hạ before Hải, as "bạ" before "bac"
    assert text_sort_key(None) == ""


# --- property tests against a reference comparator -----------------------------------------

# Reference: every precomposed lower-case Vietnamese vowel with its base letter and tone,
# written out by hand rather than derived from Unicode decomposition.
REF_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
REF_TONED_ROWS = [
    "aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị",
    "oòỏõóọ", "ôồổỗốộ", "ơờởỡớợ", "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ",
]
REF_CHAR = {ch: (ch, 0) for ch in REF_ALPHABET}
for _row in REF_TONED_ROWS:
    for _tone, _ch in enumerate(_row):
        REF_CHAR[_ch] = (_row[0], _tone)


def ref_syllable(syllable: str):
    letters, tone = [], 0
    for ch in syllable.lower():
        if ch == "'":
            continue
        base, ch_tone = REF_CHAR[ch]
        letters.append(REF_ALPHABET.index(base))
        tone = tone or ch_tone
    return (tuple(letters), tone) if letters else None


def ref_part(part: str):
    syllables = (ref_syllable(s) for s in re.split(r"[ \-]+", part))
    return [s for s in syllables if s is not None]


def ref_key(name: str):
    """Reference: (given, middle, family), each a list of (letter ranks, tone) syllables."""
    words = name.split()
    if not words:
        family, middle, given_name = "", "", ""
    elif len(words) == 1:
        family, middle, given_name = "", "", words[0]
    else:
        family, middle, given_name = words[0], " ".join(words[1:-1]), words[-1]
    return (ref_part(given_name), ref_part(middle), ref_part(family))


def sign(a, b) -> int:
    return (a > b) - (a < b)


_LOWER_CHARS = sorted(REF_CHAR)
_chars = st.sampled_from(_LOWER_CHARS + [c.upper() for c in _LOWER_CHARS])
_syllable = st.text(_chars, min_size=1, max_size=5)
_word = st.builds(
    lambda parts, apostrophe: ("H'" if apostrophe else "") + "-".join(parts),
    st.lists(_syllable, min_size=1, max_size=2),
    st.booleans(),
)
_names = st.lists(_word, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_names)
def test_property_nfd_and_nfc_give_the_same_key(name):
    assert name_sort_key(nfd(name)) == name_sort_key(name)
    assert name_sort_key(unicodedata.normalize("NFC", name)) == name_sort_key(name)


@settings(max_examples=500, deadline=None)
@given(_names, _names)
def test_property_key_order_matches_reference(a, b):
    assert sign(name_sort_key(a), name_sort_key(b)) == sign(ref_key(a), ref_key(b))


@settings(max_examples=100, deadline=None)
@given(st.lists(_names, min_size=2, max_size=12))
def test_property_sorting_matches_reference(names):
    ours = [ref_key(n) for n in vn_sorted(names)]
    assert ours == sorted(ours)


def test_reference_agrees_with_hand_order():
    assert sorted(EXPECTED_ORDER, key=ref_key) == EXPECTED_ORDER


# --- dates ---------------------------------------------------------------------------------


def test_format_date():
    assert format_date(date(2025, 2, 5)) == "05/02/2025"
    assert format_date(datetime(2025, 12, 31, 23, 59)) == "31/12/2025"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
        (date(2025, 1, 15), "ngày 15 tháng 01 năm 2025"),
        (date(2025, 3, 5), "ngày 05 tháng 3 năm 2025"),
        (date(2025, 9, 9), "ngày 09 tháng 9 năm 2025"),
        (date(2025, 12, 25), "ngày 25 tháng 12 năm 2025"),
        (date(2024, 10, 10), "ngày 10 tháng 10 năm 2024"),
    ],
)
def test_format_date_long_follows_nghi_dinh_30(d, expected):
    assert format_date_long(d) == expected


def test_format_place_date():
    assert format_place_date("Sơn Hà", date(2025, 3, 5)) == "Sơn Hà, ngày 05 tháng 3 năm 2025"
    assert format_place_date("Quảng Ngãi", date(2025, 2, 15)) == (
        "Quảng Ngãi, ngày 15 tháng 02 năm 2025"
    )
    assert format_place_date("", date(2025, 3, 5)) == "Ngày 05 tháng 3 năm 2025"
    assert format_place_date("Sơn Hà", None) == "Sơn Hà, ngày ..... tháng ..... năm ........"
    assert format_date_long(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/02/1980", (date(1980, 2, 5), 1980)),
        ("5/2/1980", (date(1980, 2, 5), 1980)),
        ("05-02-1980", (date(1980, 2, 5), 1980)),
        ("05.02.1980", (date(1980, 2, 5), 1980)),
        ("1980-02-05", (date(1980, 2, 5), 1980)),
        ("  05/02/1980 ", (date(1980, 2, 5), 1980)),
        ("05 / 02 / 1980", (date(1980, 2, 5), 1980)),
        ("29/02/2024", (date(2024, 2, 29), 2024)),
        ("31/12/1999", (date(1999, 12, 31), 1999)),
        ("1980", (None, 1980)),
        ("", (None, None)),
        (None, (None, None)),
        (date(1975, 4, 30), (date(1975, 4, 30), 1975)),
        (datetime(1975, 4, 30, 11, 30), (date(1975, 4, 30), 1975)),
    ],
)
def test_parse_date_accepts(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/1980", "29/02/2023", "00/01/1980", "15/13/1980",
                                  "1980-02-30", "32/01/2000"])
def test_parse_date_rejects_impossible_dates(text):
    with pytest.raises(ValueError, match=f"^Ngày không hợp lệ: {re.escape(text)}$"):
        parse_date(text)


@pytest.mark.parametrize("text", ["abc", "05/02/80", "5 tháng 2", "1980/02/05", "05/02-1980",
                                  "19800", "ngày 5"])
def test_parse_date_rejects_unreadable_text(text):
    with pytest.raises(ValueError) as err:
        parse_date(text)
    assert str(err.value) == (
        f"Không đọc được ngày: {text}; hãy ghi dd/mm/yyyy hoặc năm yyyy"
    )


# --- money and numbers in words (figures: tests/unit/test_numbers.py) -----------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1015, "một nghìn không trăm mười lăm"),
        (10_000, "mười nghìn"),
        (150_000, "một trăm năm mươi nghìn"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_250_000, "một triệu hai trăm năm mươi nghìn"),
        (21_000_000, "hai mươi mốt triệu"),
        (1_000_000_000, "một tỷ"),
        (2_500_000_000, "hai tỷ năm trăm triệu"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (-15, "âm mười lăm"),
    ],
)
def test_number_in_words(n, words):
    assert number_in_words(n) == words


def test_money_in_words():
    assert money_in_words(1_250_000) == "Một triệu hai trăm năm mươi nghìn đồng"
    assert money_in_words(0) == "Không đồng"
    assert money_in_words(100_000) == "Một trăm nghìn đồng"
    assert money_in_words(1_050_000) == "Một triệu không trăm năm mươi nghìn đồng"


# --- legacy encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Nguyeãn Thò Hoa",  # VNI
        "Phaïm Vaên Lôïi",  # VNI
        "Traàn Thuùy",  # VNI
        "Hoaøng Vaên Ñöùc",  # VNI
        "NguyÔn ThÞ Hoa",  # TCVN3
        "Lª V¨n Tïng",  # TCVN3
        "§inh ThÞ Hµ",  # TCVN3
        "Tr\u00ad¬ng V¨n Lîi",  # TCVN3 with its soft-hyphen ư
        "NguyÔn",  # TCVN3 capital inside a lower-case word
    ],
)
def test_legacy_encoding_is_spotted(text):
    assert looks_like_legacy_encoding(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Thị Hoà",
        "Nguyễn Thị Hòa",
        nfd("Nguyễn Thị Hoà"),
        "Đinh Thị H'Nhi",
        "H'Nhi",
        "Đinh Văn Pó",
        "Ksor H'Luân",
        "Y Moan Ênuôl",
        "Hoàng Văn Quân",
        "Bùi Thị Ngoãn",
        "Trần Thị Thuý",
        "Lê Thị Khoẻ",
        "NGUYỄN VĂN ĐÔNG",
        "Nguyen Van A",
        "Sùng A Páo",
        "Giàng Seo Phử",
        "Quách Thị Lý",
        "Sơn Hà, ngày 05 tháng 3 năm 2025",
        "© 2025 · Phòng Nội vụ",
        "",
        None,
    ],
)
def test_valid_text_is_not_legacy(text):
    assert not looks_like_legacy_encoding(text)


def test_title_case_name_keeps_minority_name_parts():
    from app.vietnamese import title_case_name

    assert title_case_name("ĐINH THỊ H'LUÂN") == "Đinh Thị H'Luân"
    assert title_case_name("KSOR H'BLIN-NIÊ") == "Ksor H'Blin-Niê"
    assert title_case_name("phạm văn bốc") == "Phạm Văn Bốc"
