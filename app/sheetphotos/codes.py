"""What the QR code on each page of a printed sign-in sheet says, and checking it:
"taphuan:sheet:<class id>:<print id>:<page>:<mac>", where <mac> is a short HMAC-SHA256
(10 hex digits) of the rest under a key derived from the app's SECRET_KEY, so a QR code made
by anyone else (or for another installation) is refused. Plain functions; the key is passed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

PREFIX = "taphuan:sheet"
MAC_LENGTH = 10
_CODE = re.compile(r"taphuan:sheet:(\d{1,12}):(\d{1,12}):(\d{1,6}):([0-9a-f]+)")


@dataclass(frozen=True)
class PageCode:
    class_id: int
    print_id: int
    page: int


def key_of(secret: str | bytes) -> bytes:
    """The QR key derived from the app's SECRET_KEY (never the secret itself)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, b"taphuan sign-in sheet qr", hashlib.sha256).digest()


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:MAC_LENGTH]


def qr_text(key: bytes, class_id: int, print_id: int, page: int) -> str:
    body = f"{PREFIX}:{class_id}:{print_id}:{page}"
    return f"{body}:{_mac(key, body)}"


def is_ours(text: str) -> bool:
    """Looks like a sheet code (whether or not its MAC holds)."""
    return text.startswith(PREFIX + ":")


def parse(key: bytes, text: str) -> PageCode | None:
    """The page a QR text names, or None when it is not a sheet code of this app (the MAC
    does not hold, or it is something else)."""
    found = _CODE.fullmatch(text.strip())
    if not found:
        return None
    body = f"{PREFIX}:{found[1]}:{found[2]}:{found[3]}"
    if not hmac.compare_digest(_mac(key, body), found[4]):
        return None
    return PageCode(int(found[1]), int(found[2]), int(found[3]))
