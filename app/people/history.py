"""A cadre's training history on the cadre page: the classes applied to, admitted, attended and
completed, and the courses done online. Attendance and completion live on floors above this one
(`app/attendance/history.py` builds the history, from `completion.py`, the one place that says
who attended), so the attendance feature registers its builder here at start-up."""

from __future__ import annotations

from flask import current_app

HISTORY = "people.training_history"


def register(app, builder) -> None:
    """`builder(cadre)` -> the cadre's training history (shown by people/_history.html)."""
    app.extensions[HISTORY] = builder


def training_history(cadre):
    """The registered builder's history of the cadre, or None when no feature registered one."""
    builder = current_app.extensions.get(HISTORY)
    return builder(cadre) if builder is not None else None
