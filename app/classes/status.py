"""Class statuses and the transitions allowed between them (no request objects; messages
through Flask-Babel's gettext, which falls back to Vietnamese outside a request).

planned (chuẩn bị) -> open (mở đăng ký) -> allocated (đã xét chọn) -> running (đang học)
-> finished (đã kết thúc); a class that has not started may be cancelled (đã hủy). An open
class may go back to planned (applications paused). "allocated" is reached only by confirming
the allocation (app.classes.enrolment.confirm_allocation), never by a plain status change.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.refusal import Refusal
from app.i18n_markers import N_

STATUSES = ("planned", "open", "allocated", "running", "finished", "cancelled")
STATUS_LABELS = {
    "planned": N_("Đang chuẩn bị"),
    "open": N_("Đang mở đăng ký"),
    "allocated": N_("Đã xét chọn"),
    "running": N_("Đang học"),
    "finished": N_("Đã kết thúc"),
    "cancelled": N_("Đã hủy"),
}
# Bootstrap badge colours for the pages.
STATUS_BADGES = {
    "planned": "secondary", "open": "success", "allocated": "primary", "running": "warning",
    "finished": "dark", "cancelled": "danger",
}
TRANSITIONS: dict[str, frozenset[str]] = {
    "planned": frozenset({"open", "cancelled"}),
    "open": frozenset({"planned", "allocated", "cancelled"}),
    "allocated": frozenset({"running", "cancelled"}),
    "running": frozenset({"finished"}),
    "finished": frozenset(),
    "cancelled": frozenset(),
}
# Targets reached only through their own workflow, not the status buttons.
BY_WORKFLOW_ONLY = frozenset({"allocated"})

# The groups of statuses the rules speak of. They are read only by the predicates on
# TrainingClass (app/classes/models.py), which Python code and templates use: one place each.
#
# Before the allocation: applications wait for it, and the preview shows what it would give.
BEFORE_ALLOCATION = frozenset({"planned", "open"})
# Learners apply while the class is open; after the allocation they may still apply while the
# application window is open, and join the end of the waitlist (enrolment.self_apply_problem).
TAKES_APPLICATIONS = frozenset({"open", "allocated"})
# Certificates are issued once the class is over (its results are final).
ISSUES_CERTIFICATES = frozenset({"finished"})
# Until the class starts, coordinators nominate and applications can be withdrawn; after the
# allocation a nomination joins the end of the waitlist.
ENROLLING = frozenset({"planned", "open", "allocated"})
# The allocation has been confirmed: seats are given out (admitted_count counts them).
HAS_SEATS = frozenset({"allocated", "running", "finished"})
# A coordinator may still move people between the seats and the waitlist.
TAKES_OVERRIDES = frozenset({"allocated", "running"})
# The class has begun: its learners count as trained on its topic.
STARTED = frozenset({"running", "finished"})
# Final: nothing about the class changes any more (no edits, no sessions).
CLOSED = frozenset({"finished", "cancelled"})
# Nobody attends it: its days are free again (classes.overlap).
CANCELLED = frozenset({"cancelled"})


class StatusError(Refusal, ValueError):
    """A transition that is not allowed; the message is for the user (Vietnamese source,
    translated at call time)."""


def label(status: str) -> str:
    """The Vietnamese label (for the audit log); pages translate it (`shown_label`)."""
    return STATUS_LABELS.get(status, status)


def shown_label(status: str) -> str:
    """The label in the user's language, for messages."""
    return _(label(status))


def can_change(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def check_transition(current: str, target: str, *, workflow: bool = False) -> None:
    """Raise StatusError unless ``current -> target`` is allowed.

    ``workflow`` is True only for the allocation confirmation (the way to "allocated").
    """
    if target not in STATUSES:
        raise StatusError(_("Trạng thái “%(s)s” không tồn tại.", s=target))
    if current == target:
        raise StatusError(_("Lớp đã ở trạng thái “%(s)s”.", s=shown_label(target)))
    if not can_change(current, target):
        allowed = sorted(TRANSITIONS.get(current, ()), key=STATUSES.index)
        if allowed:
            raise StatusError(_(
                "Không thể chuyển lớp từ “%(current)s” sang “%(target)s”; từ trạng thái này chỉ "
                "chuyển được sang: %(allowed)s.", current=shown_label(current),
                target=shown_label(target),
                allowed=", ".join(f"“{shown_label(s)}”" for s in allowed)))
        raise StatusError(_(
            "Không thể chuyển lớp từ “%(current)s” sang “%(target)s”; đây là trạng thái cuối, "
            "không chuyển tiếp được.", current=shown_label(current), target=shown_label(target)))
    if target in BY_WORKFLOW_ONLY and not workflow:
        raise StatusError(_(
            "Lớp chỉ chuyển sang “Đã xét chọn” khi cán bộ điều phối xác nhận kết quả xét chọn "
            "ở trang Đăng ký và xét chọn."))


def next_steps(current: str) -> list[str]:
    """Targets offered as buttons on the class page (in the order of STATUSES)."""
    return [s for s in STATUSES if can_change(current, s) and s not in BY_WORKFLOW_ONLY]
