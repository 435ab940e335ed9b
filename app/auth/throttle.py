"""Failed sign-ins, counted so that a room full of people can sign in and a guesser cannot.

A commune hall shares one router: forty learners sign in from one address within a minute.
So only FAILED attempts count, and they count twice:

- per account (the account the login names, or the login as typed when it names none), with
  growing waits: `LOGIN_FAILURES_PER_ACCOUNT` ("5 per 5 minutes; 10 per hour": after five
  failures the sixth waits until the first is five minutes old, after ten an hour); after
  `LOGIN_LOCK_AFTER` failures ("15 per day") an existing account is locked for
  `LOGIN_LOCK_MINUTES` (written on the account, audited; an admin may lift it sooner);
- per address, more loosely: `LOGIN_FAILURES_PER_ADDRESS` ("30 per 10 minutes; 100 per day"),
  which stops one address spraying many accounts.

A successful sign-in never counts and clears its account's failures. The counters live in the
rate-limit storage (`RATELIMIT_STORAGE_URI`: memory for one process, Redis when several workers
serve); the lock lives on the account row, so every worker sees it. Refusals say when to try
again. No request objects here: the view passes the address and the moment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from limits import parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.timeutil import format_moment

NAMESPACE = "signin"


@dataclass(frozen=True)
class Wait:
    """A refusal: why, and the moment (naive UTC) from which to try again."""

    reason: str  # "account", "address" or "locked"
    until: datetime

    def message(self, now: datetime, *, codes: bool = False) -> str:
        """In the reader's language, with the wait and the clock time (`codes`: the failures
        were codes of two-factor sign-in, as much as passwords)."""
        when, wait = format_moment(self.until), wait_text(self.until - now)
        if self.reason == "locked":
            return _("Tài khoản đang tạm khóa đăng nhập vì nhập sai mật khẩu nhiều lần. Vui "
                     "lòng thử lại sau %(wait)s (lúc %(when)s), hoặc nhờ quản trị viên mở khóa.",
                     wait=wait, when=when)
        if self.reason == "address":
            return _("Có quá nhiều lần đăng nhập sai từ mạng này. Vui lòng thử lại sau "
                     "%(wait)s (lúc %(when)s).", wait=wait, when=when)
        if codes:
            return _("Đã nhập sai mật khẩu hoặc mã xác thực nhiều lần. Vui lòng thử lại sau "
                     "%(wait)s (lúc %(when)s).", wait=wait, when=when)
        return _("Đã nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau %(wait)s (lúc "
                 "%(when)s).", wait=wait, when=when)


def wait_text(delta: timedelta) -> str:
    """"1 phút", "12 phút", "2 giờ" (rounded up, at least a minute)."""
    minutes = max(math.ceil(delta.total_seconds() / 60), 1)
    if minutes < 120:
        return _("%(n)s phút", n=minutes)
    return _("%(n)s giờ", n=math.ceil(minutes / 60))


class Throttle:
    """The counters of one application (built once from its config: `for_app`)."""

    def __init__(self, storage: Storage, per_account: str, per_address: str, lock_after: str,
                 lock_minutes: int):
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.per_account = parse_many(per_account)
        self.per_address = parse_many(per_address)
        self.lock_after = parse_many(lock_after)
        self.lock_for = timedelta(minutes=lock_minutes)

    @classmethod
    def for_app(cls, config) -> Throttle:
        return cls(storage_from_string(config["RATELIMIT_STORAGE_URI"]),
                   config["LOGIN_FAILURES_PER_ACCOUNT"], config["LOGIN_FAILURES_PER_ADDRESS"],
                   config["LOGIN_LOCK_AFTER"], config["LOGIN_LOCK_MINUTES"])

    def _full(self, limits, key: str) -> datetime | None:
        """When the first exhausted window frees a place (naive UTC), or None."""
        until = None
        for limit in limits:
            if not self.limiter.test(limit, NAMESPACE, key):
                reset = self.limiter.get_window_stats(limit, NAMESPACE, key).reset_time
                moment = datetime.fromtimestamp(reset, UTC).replace(tzinfo=None)
                until = max(until, moment) if until else moment
        return until

    def wait(self, account: str, address: str, locked_until: datetime | None,
             now: datetime) -> Wait | None:
        """Why this attempt must wait, before its password is even checked (None: go on)."""
        if locked_until is not None and locked_until > now:
            return Wait("locked", locked_until)
        if until := self._full(self.per_account, f"account:{account}"):
            return Wait("account", until)
        if until := self._full(self.per_address, f"address:{address}"):
            return Wait("address", until)
        return None

    def failed(self, account: str, address: str) -> bool:
        """Count a failed attempt; True when the account has now earned a lock."""
        for limit in self.per_account:
            self.limiter.hit(limit, NAMESPACE, f"account:{account}")
        for limit in self.per_address:
            self.limiter.hit(limit, NAMESPACE, f"address:{address}")
        lock = False
        for limit in self.lock_after:  # the failure that fills the window earns the lock
            self.limiter.hit(limit, NAMESPACE, f"lock:{account}")
            lock = lock or not self.limiter.test(limit, NAMESPACE, f"lock:{account}")
        return lock

    def forget(self, account: str) -> None:
        """A successful sign-in, or an admin lifting a lock: the account starts afresh."""
        for limits, prefix in ((self.per_account, "account"), (self.lock_after, "lock")):
            for limit in limits:
                self.limiter.clear(limit, NAMESPACE, f"{prefix}:{account}")

    def locked_until(self, now: datetime) -> datetime:
        return now + self.lock_for

    def reset(self) -> None:
        """Forget every counter (tests)."""
        self.storage.reset()
