"""Verification codes: ten characters from an alphabet without look-alikes (no 0/O, 1/I/L),
drawn by `secrets`: 31^10, about 2^49.5 codes, so a code cannot be guessed (the verification
page is also rate-limited). Printed in two groups ("7KQ3M-XH9TB"); typed in any case, with or
without spaces and dashes."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters: no 0, O, 1, I, L
LENGTH = 10
MAX_TYPED = 40  # anything longer is refused before it is read
_SEPARATORS = re.compile(r"[\s\-–.]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == LENGTH else code


def normalise(typed: str | None) -> str | None:
    """The code a person typed or a QR reader gave, or None when it cannot be one (too long,
    a character outside the alphabet, the wrong length)."""
    if typed is None or len(typed) > MAX_TYPED:
        return None
    code = _SEPARATORS.sub("", typed).upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
