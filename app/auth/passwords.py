"""Whether a new password is good enough: the one rule for every place a password is set (a
user's own change, an admin creating or resetting an account, `flask users create`).

Three checks, in this order, each with a message that says why and what to do:

1. at least PASSWORD_MIN_LENGTH characters;
2. not one of the most common passwords (`data/common-passwords.txt`: the 10,000 most common of
   zxcvbn's list, built from leaked passwords, plus a few Vietnamese ones), compared without
   case, spaces or trailing digits and symbols ("Matkhau123!" is "matkhau");
3. zxcvbn (Dropbox's estimator, the Python port) guesses it in at least 10^PASSWORD_MIN_GUESSES
   tries (default 8, zxcvbn's score 3: "safely unguessable"), knowing the account's own words:
   username, name (with and without diacritics), phone and unit.

Cadres type on cheap phones, so nothing asks for symbols, capitals or digits: a passphrase of
four or five plain words, with or without diacritics, passes easily ("con trâu đi cày ruộng"
is about 10^21 guesses). Plain functions: no request, no Flask except the message's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from app.vietnamese import fold, nfc

COMMON_FILE = Path(__file__).with_name("data") / "common-passwords.txt"
ESTIMATE_CHARS = 100  # zxcvbn's time grows fast with length; a longer password is long enough
# Words of the app itself that a guesser would try first.
SITE_WORDS = ("taphuan", "tap huan", "tập huấn", "giamngheo", "giảm nghèo", "sonha", "sơn hà")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def _core(password: str) -> str:
    """"Matkhau 123!" -> "matkhau": what a guesser's list holds before the usual additions."""
    text = _squeezed(password)
    return re.sub(r"[\d\W_]+$", "", text) or text


def is_common(password: str) -> bool:
    common = common_passwords()
    plain = re.sub(r"\s+", "", password.strip().lower())
    return plain in common or fold(plain) in common or _core(password) in common


def account_words(*, username: str | None = None, full_name: str | None = None,
                  phone: str | None = None, unit: str | None = None) -> list[str]:
    """The words of an account a guesser knows: each as typed and without diacritics, the
    name also word by word."""
    words: list[str] = list(SITE_WORDS)
    for value in (username, full_name, phone, unit):
        if not value:
            continue
        value = nfc(value).strip()
        words += [value, fold(value), fold(value).replace(" ", "")]
    for part in nfc(full_name or "").split() + nfc(unit or "").split():
        if len(part) > 2:
            words += [part, fold(part)]
    return list(dict.fromkeys(w.lower() for w in words if w))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", fold(text).lower())


def _mostly_own_words(password: str, words: list[str]) -> bool:
    """Once the account's words are taken out, fewer than four letters are left
    ("Đinh Thị Hoa 1985", "hoa.dinh2024")."""
    whole = rest = _squeezed(password)
    for word in sorted({_squeezed(w) for w in words if len(w) > 2}, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest != whole and len(re.sub(r"[\d\W_]+", "", rest)) < 4


def password_problem(password: str, words: Iterable[str] = (), *, min_length: int = 8,
                     min_guesses_log10: float = 8) -> str | None:
    """Why `password` is refused (in the reader's language), or None when it is good enough."""
    if len(password) < min_length:
        return _("Mật khẩu phải có ít nhất %(n)s ký tự.", n=min_length)
    if is_common(password):
        return _("Mật khẩu này nằm trong danh sách những mật khẩu hay dùng nhất, kẻ gian thử "
                 "chúng đầu tiên. Hãy chọn một câu ngắn gồm 4–5 từ chỉ mình bạn nghĩ ra (có "
                 "dấu hay không dấu đều được, không cần ký tự đặc biệt).")
    words = list(words)
    if _mostly_own_words(password, words):
        return _("Mật khẩu có chứa tên, tên đăng nhập, số điện thoại hoặc tên đơn vị, nên dễ "
                 "đoán. Hãy chọn một câu ngắn gồm 4–5 từ không liên quan đến bạn.")
    result = zxcvbn(password[:ESTIMATE_CHARS], user_inputs=words)
    if result["guesses_log10"] >= min_guesses_log10:
        return None
    return _("Mật khẩu này dễ đoán. Hãy dùng một câu ngắn gồm 4–5 từ thường chỉ mình bạn nghĩ "
             "ra, cách nhau bằng dấu cách (có dấu hay không dấu đều được, không cần ký tự đặc "
             "biệt hay chữ hoa).")
