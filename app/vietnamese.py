"""Vietnamese text helpers: normalisation, search keys, name order, dates, money, numbers in words.

Plain Python (no Flask), used by models, imports, templates and PDF documents.

- `nfc`, `fold`: the stored form of a name and its diacritic-free search key.
- `split_name`, `name_sort_key`, `vn_sorted`, `text_sort_key`: Vietnamese dictionary order
  (a ă â b c d đ e ê ... ; tones none, grave, hook, tilde, acute, dot below). People sort by
  given name, then middle name, then family name.
- `format_date`, `format_date_long`, `format_place_date`, `parse_date`: dd/mm/yyyy and the
  administrative "ngày 05 tháng 3 năm 2025" (Nghị định 30/2020/NĐ-CP, Phụ lục I).
- `number_in_words`, `money_in_words`: "Một triệu hai trăm năm mươi nghìn đồng" (numbers in
  figures, "1.250.000" and "1,5", are read and written by app.numbers).
- `looks_like_legacy_encoding`: spots TCVN3 (ABC) / VNI text read as Latin-1 or cp1252.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TypeVar

from app.i18n_markers import N_

T = TypeVar("T")

# --------------------------------------------------------------------------------------------
# Normalisation and search keys
# --------------------------------------------------------------------------------------------

# Invisible characters that creep in from Word, Excel and the web: zero-width space and
# joiners, byte-order mark, soft hyphen is NOT removed here (it is a TCVN3 letter, see below).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# U+00D0 (Icelandic eth) looks exactly like Đ and is byte 0xD0 = Đ in Windows-1258, so it is
# often found in place of U+0110. fold() and the sort keys treat it as đ; nfc() leaves it.
_ETH = {"ð": "đ"}


def nfc(text: str | None) -> str:
    """NFC-normalise, drop zero-width characters, strip and collapse runs of whitespace.

    None gives "". Tone placement is kept as typed ("Hoà" and "Hòa" stay different strings;
    both sort and search the same).
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return " ".join(text.split())


def fold(text: str | None) -> str:
    """Search key: lower case, no diacritics, đ -> d, single spaces.

    `fold("Nguyễn Thị Hoà") == "nguyen thi hoa"`; NFD input gives the same result.
    Punctuation is kept ("h'nhi"). Word by word, each word's key cached (`_fold_word`).
    """
    return " ".join(w for w in map(_fold_word, nfc(text).split()) if w)


@lru_cache(maxsize=16384)
def _fold_word(word: str) -> str:
    """fold() of one word (no spaces): a list of thousands of names has a few hundred words."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        if ch in ("đ", "ð"):
            ch = "d"
        out.append(ch)
    return "".join("".join(out).split())


# --------------------------------------------------------------------------------------------
# Names and Vietnamese dictionary order
# --------------------------------------------------------------------------------------------


def title_case_name(text: str) -> str:
    """"ĐINH THỊ H'LUÂN" -> "Đinh Thị H'Luân": every word and every part after ' or -."""
    def cap(part: str) -> str:
        return part[:1].upper() + part[1:].lower()

    words = []
    for word in nfc(text).split(" "):
        pieces = re.split(r"(['’-])", word)
        words.append("".join(p if p in ("'", "’", "-") else cap(p) for p in pieces))
    return " ".join(words)


def split_name(full_name: str | None) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name written family name first.

    "Nguyễn Thị Minh Khai" -> ("Nguyễn", "Thị Minh", "Khai"); one word -> ("", "", word);
    two words -> (family, "", given). Names written given-name first (some Ê-đê and Gia-rai
    names such as "H'Hen Niê") cannot be recognised and are split the same way.
    """
    clean = nfc(full_name)
    words = clean.split(" ") if clean else []
    if not words:
        return ("", "", "")
    if len(words) == 1:
        return ("", "", words[0])
    if len(words) == 2:
        return (words[0], "", words[1])
    return (words[0], " ".join(words[1:-1]), words[-1])


# Vietnamese alphabet (f, j, w, z where they fall in the Latin alphabet) and the ASCII
# character standing for each letter in a sort key, in increasing byte order.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODES = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg"
_LETTER_CODE = dict(zip(ALPHABET, _LETTER_CODES, strict=True))
# Tones in dictionary order: none, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute),
# nặng (dot below).
_TONE = {"\u0300": 1, "\u0340": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0341": 4,
         "\u0323": 5}
_MODIFIED = {
    ("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư",
}
# Apostrophes inside minority names ("H'Nhi", "Ksor H’Luân") are ignored: H'Nhi sorts as HNhi.
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u02bb`\u00b4")
# Key layout (all printable ASCII, compared bytewise):
#   "!" ends a name part, "." separates syllables, "0".."5" is the tone closing a syllable's
#   letters, "@" starts a number, letters are "A".."Z" "a".."g", other scripts "~" + hex.
_PART_SEP = "!"
_SYLLABLE_SEP = "."
_NUMBER = "@"
_OTHER = "~"
SORT_KEY_LENGTH = 255


def _encode_syllables(text: str) -> list[str]:
    """Encode each syllable of `text` as an ASCII token (see the key layout above).

    A syllable is a run of letters and digits; spaces, hyphens and other punctuation separate
    syllables, apostrophes are dropped. Within a syllable letters come first and the tone
    closes them, so "ba" < "bà" < "bả" < "bã" < "bá" < "bạ" < "bac" < "bác". Digit runs are
    compared as numbers ("Thôn 2" < "Thôn 10").
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).lower())
    syllables: list[str] = []
    tokens: list[str] = []  # finished tokens of the current syllable
    letters: list[str] = []  # letters of the open letter token
    tone = 0
    digits: list[str] = []

    def close_letters() -> None:
        nonlocal tone
        if letters:
            tokens.append("".join(_code(ch) for ch in letters) + str(tone))
            letters.clear()
            tone = 0

    def close_digits() -> None:
        if digits:
            number = "".join(digits).lstrip("0")
            tokens.append(_NUMBER + chr(0x30 + min(len(number), 78)) + number)
            digits.clear()

    def close_syllable() -> None:
        close_letters()
        close_digits()
        if tokens:
            syllables.append("".join(tokens))
            tokens.clear()

    for ch in decomposed:
        if unicodedata.combining(ch):
            if not letters:
                continue
            mark_tone = _TONE.get(ch)
            if mark_tone is not None:
                if tone == 0:
                    tone = mark_tone
            else:
                modified = _MODIFIED.get((letters[-1], ch))
                if modified:
                    letters[-1] = modified
        elif ch in _APOSTROPHES:
            continue
        elif ch.isdecimal():
            close_letters()
            digits.append(str(unicodedata.decimal(ch)))
        elif ch.isalpha():
            close_digits()
            letters.append(_ETH.get(ch, ch))
        else:
            close_syllable()
    close_syllable()
    return syllables


def _code(letter: str) -> str:
    code = _LETTER_CODE.get(letter)
    if code is not None:
        return code
    return f"{_OTHER}{ord(letter):06X}"


@lru_cache(maxsize=8192)
def _part_key(text: str) -> str:
    """One part of a name as its key. Cached: a list of 20,000 cadres names a few hundred
    family names, middle names and given names."""
    return _SYLLABLE_SEP.join(_encode_syllables(text))


def name_sort_key(full_name: str | None) -> str:
    """ASCII key whose bytewise order is Vietnamese name order.

    Sorts by given name, then middle name, then family name; each part syllable by syllable,
    letters first (a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z), then the
    tone of that syllable (none, grave, hook, tilde, acute, dot below); a shorter part before a
    longer one that starts the same ("Thị" < "Thị Minh"). Case, NFC/NFD and old/new tone
    placement ("Hoà"/"Hòa") do not matter; apostrophes are ignored and hyphens separate
    syllables like spaces. Meant for a column with C/binary collation; at most 255 characters
    (longer keys are truncated, which only matters for names of more than ~60 letters).
    """
    family, middle, given = split_name(full_name)
    key = _PART_SEP.join((_part_key(given), _part_key(middle), _part_key(family)))
    return key[:SORT_KEY_LENGTH]


def text_sort_key(text: str | None) -> str:
    """ASCII key for any Vietnamese text (unit names, titles) in dictionary order, word by word.

    Same letter and tone order as `name_sort_key`, without reordering name parts; numbers
    compare by value ("Thôn 2" before "Thôn 10").
    """
    return _SYLLABLE_SEP.join(_encode_syllables(text or ""))[:SORT_KEY_LENGTH]


def vn_sorted(items: Iterable[T], key: Callable[[T], str | None] = lambda x: x) -> list[T]:
    """Items sorted by Vietnamese name order; `key` gives each item's full name (stable)."""
    return sorted(items, key=lambda item: name_sort_key(key(item)))


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def format_date(d: date | None) -> str:
    """dd/mm/yyyy ("05/02/2025"); None gives ""."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _long_parts(d: date) -> tuple[str, str, str]:
    # Nghị định 30/2020/NĐ-CP, Phụ lục I: days below 10 and months 1 and 2 take a leading 0.
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{d.day:02d}", month, str(d.year)


def format_date_long(d: date | None) -> str:
    """"ngày 05 tháng 3 năm 2025", "ngày 15 tháng 02 năm 2025"; None gives ""."""
    if d is None:
        return ""
    day, month, year = _long_parts(d)
    return f"ngày {day} tháng {month} năm {year}"


def format_place_date(place: str | None, d: date | None) -> str:
    """"Sơn Hà, ngày 05 tháng 3 năm 2025" (the line under the national heading).

    Without a place: "Ngày 05 tháng 3 năm 2025". Without a date, dotted blanks to fill in by
    hand: "Sơn Hà, ngày ..... tháng ..... năm ........".
    """
    when = format_date_long(d) if d else "ngày ..... tháng ..... năm ........"
    place = nfc(place)
    if not place:
        return when[:1].upper() + when[1:]
    return f"{place}, {when}"


_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")
_SPACED_SEPARATOR = re.compile(r"\s*([/.\-])\s*")


class DateError(ValueError):
    """A date that cannot be read. ``str(exc)`` is the Vietnamese message; `message` (with
    ``%(text)s``) and `params` let code that knows the reader's language translate it:
    ``gettext(exc.message, **exc.params)`` (the messages are in the catalogue)."""

    def __init__(self, message: str, **params: str):
        self.message = message
        self.params = params
        super().__init__(message % params)


DATE_YEAR_INVALID = N_("Năm không hợp lệ: %(text)s")
DATE_UNREADABLE = N_("Không đọc được ngày: %(text)s; hãy ghi dd/mm/yyyy hoặc năm yyyy")
DATE_IMPOSSIBLE = N_("Ngày không hợp lệ: %(text)s")


def parse_date(text: str | date | None) -> tuple[date | None, int | None]:
    """Read a date typed or imported in Vietnamese style; returns (date, year).

    Accepts "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", ISO "yyyy-mm-dd" and a bare
    year "yyyy" (-> (None, year)). A `date`/`datetime` (from a spreadsheet cell) is accepted
    as is. Empty text gives (None, None). Raises DateError (a ValueError) with a Vietnamese
    message for an impossible date ("Ngày không hợp lệ: 31/02/1980") or unreadable text.
    """
    if isinstance(text, datetime):
        return text.date(), text.year
    if isinstance(text, date):
        return text, text.year
    raw = nfc(text)
    if not raw:
        return None, None
    compact = _SPACED_SEPARATOR.sub(r"\1", raw)
    if m := _DMY.fullmatch(compact):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    elif m := _YMD.fullmatch(compact):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif _YEAR.fullmatch(raw):
        year = int(raw)
        if year < 1:
            raise DateError(DATE_YEAR_INVALID, text=raw)
        return None, year
    else:
        raise DateError(DATE_UNREADABLE, text=raw)
    try:
        return date(year, month, day), year
    except ValueError:
        raise DateError(DATE_IMPOSSIBLE, text=raw) from None


# --------------------------------------------------------------------------------------------
# Money and numbers in words
# --------------------------------------------------------------------------------------------


def _to_int(n: int | Decimal | float) -> int:
    if isinstance(n, int):
        return n
    return int(Decimal(str(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 1_000_000_000


def _read_triple(value: int, full: bool) -> list[str]:
    """Words for 0 < value < 1000. `full`: an inner group, read with "không trăm" / "linh"."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _read_below_billion(value: int, leading: bool) -> list[str]:
    words: list[str] = []
    for group, unit in ((value // 1_000_000, "triệu"), (value // 1000 % 1000, "nghìn"),
                        (value % 1000, "")):
        if group == 0:
            continue
        words += _read_triple(group, full=bool(words) or not leading)
        if unit:
            words.append(unit)
    return words


def _read(value: int, leading: bool = True) -> list[str]:
    if value >= _BILLION:
        high, low = divmod(value, _BILLION)
        words = _read(high, leading) + ["tỷ"]
        if low:
            words += _read_below_billion(low, leading=False)
        return words
    return _read_below_billion(value, leading)


def number_in_words(n: int) -> str:
    """Vietnamese reading of an integer, lower case.

    105 -> "một trăm linh năm", 21 -> "hai mươi mốt", 15 -> "mười lăm", 24 -> "hai mươi bốn",
    1005000 -> "một triệu không trăm linh năm nghìn"; above "tỷ" the units repeat
    ("nghìn tỷ", "triệu tỷ", "tỷ tỷ"). Negative numbers start with "âm".
    """
    n = _to_int(n)
    if n == 0:
        return _DIGITS[0]
    if n < 0:
        return "âm " + number_in_words(-n)
    return " ".join(_read(n))


def money_in_words(n: int | Decimal | float, *, whole: bool = False) -> str:
    """Amount in words as written on settlement lists: "Một triệu hai trăm năm mươi nghìn đồng".

    0 gives "Không đồng". With `whole`, an amount in round thousands ends "đồng chẵn" ("Một
    triệu hai trăm nghìn đồng chẵn"), as the total of a settlement list is written so that
    nothing can be added after it; an amount with odd hundreds or units does not ("Một nghìn
    không trăm linh năm đồng"), nor does 0.
    """
    value = _to_int(n)
    words = number_in_words(value)
    even = " chẵn" if whole and value > 0 and value % 1000 == 0 else ""
    return f"{words[:1].upper()}{words[1:]} đồng{even}"


# --------------------------------------------------------------------------------------------
# Legacy encodings
# --------------------------------------------------------------------------------------------

# Latin-1/cp1252 characters that TCVN3 (ABC) or VNI-Windows bytes turn into and that never occur
# in Vietnamese Unicode text (the Latin-1 letters Vietnamese does use are À Á Â Ã È É Ê Ì Í Ò Ó
# Ô Õ Ù Ú Ý and their lower case). TCVN3: ¡-§ = Ă Â Ê Ô Ơ Ư Đ, ¨ © ª « ¬ soft-hyphen ® = ă â ê
# ô ơ ư đ, µ-¹ » ¼ ½ ¾ Æ Ç Ë Î Ï Ð Ñ Ö × Ø Ü Þ ß ä å æ ç ë î ï ñ ö ÷ ø û ü þ = toned vowels.
# VNI: ø ù û õ ï (tone after a vowel), å ä ü ë (tone with a circumflex or breve), ö ô (ư ơ),
# ñ Ñ (đ Đ), æ ó ò î (ỉ ĩ ị ỵ).
_LEGACY_ONLY = frozenset(
    "¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþ"
)
# VNI writes a toned vowel as the vowel followed by a mark byte; these pairs are valid Latin-1
# text but impossible in Vietnamese Unicode words ("Nguyeãn" = Nguyễn, "Vaên" = Văn,
# "Hoaøng" = Hoàng, "Thuùy" = Thúy, "Lyù" = Lý, "Nôõ" = Nỡ).
_VNI_PAIRS = re.compile(r"[ae][àáâãèéêùúõ]|o[âùõ]|[uy][ùõ]|ô[ùõ]")
# TCVN3 has no upper-case toned vowels in the same font, so its bytes for è é ê ì ò ó ô õ ý
# read as the capitals È É Ê Ì Ò Ó Ô Õ Ý in the middle of a lower-case word ("NguyÔn").
_TCVN3_CAPITAL_INSIDE_WORD = re.compile(r"[a-zàáâãèéêìíòóôõùúýăđơư][ÈÉÊÌÒÓÔÕÝ]")


def looks_like_legacy_encoding(text: str | None) -> bool:
    """True when `text` looks like Vietnamese typed in TCVN3 (ABC) or VNI and read as Latin-1.

    Examples that are caught: VNI "Nguyeãn Thò Hoa", TCVN3 "NguyÔn ThÞ Hoa", "Lª V¨n Tïng".
    Valid Vietnamese Unicode, plain ASCII and minority names ("H'Nhi", "Đinh Văn Pó",
    "Ksor H'Luân") give False.

    It is a heuristic over three signals: a character that Vietnamese Unicode never uses,
    next to a letter (¨ ª Þ ø ï ...); a VNI vowel-plus-mark pair ("eã", "aø", "oâ", "uù");
    a TCVN3 capital inside a lower-case word ("NguyÔn"). Limits:
    - a short legacy string whose bytes all happen to be valid Vietnamese Unicode letters too
      is missed (VNI "Thò" for Thị, TCVN3 "Tó" for Tú); longer text almost always has a tell;
    - non-Vietnamese names with ä ö ü ñ ç ø ... ("Müller", "Peña") or a French "Renée" are
      reported as legacy; the caller should ask, not silently convert;
    - it does not say which encoding it was, nor convert it.
    """
    if not text:
        return False
    text = unicodedata.normalize("NFC", text)
    for i, ch in enumerate(text):
        if ch in _LEGACY_ONLY:
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before.isalpha() or after.isalpha():
                return True
    if _TCVN3_CAPITAL_INSIDE_WORD.search(text):
        return True
    return bool(_VNI_PAIRS.search(text.lower()))
