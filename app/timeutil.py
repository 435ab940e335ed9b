"""Time helpers: the database stores naive UTC; pages show local (Asia/Ho_Chi_Minh) time."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def format_local(moment: datetime, *, seconds: bool = False) -> str:
    """The one way a moment is written: "08:15 12/03/2025" (with `seconds`, "08:15:07
    12/03/2025" when the seconds are not zero). `moment` is already in the time to show."""
    clock = "%H:%M:%S" if seconds and (moment.second or moment.microsecond) else "%H:%M"
    return moment.strftime(f"{clock} %d/%m/%Y")


def format_moment(moment: datetime | None, *, seconds: bool = False) -> str:
    """A stored moment (naive UTC, or aware) in Vietnam time, as `format_local`."""
    if moment is None:
        return ""
    local = to_local(moment) if moment.tzinfo is None else moment.astimezone(LOCAL_TZ)
    return format_local(local, seconds=seconds)
