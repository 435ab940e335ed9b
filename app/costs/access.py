"""Who may see and change a class's costs and print its results report: the coordinators
(and admins) whose scope covers the class (`app/classes/access.py`, after
`app/people/scope.py`). Trainers and learners are refused at the route (403)."""

from __future__ import annotations

from flask import abort

from app.classes.access import in_scope
from app.classes.models import TrainingClass


def may_manage(user, klass: TrainingClass) -> bool:
    """A coordinator of the class's scope."""
    return bool(user.is_coordinator) and in_scope(user, klass)


def require_manage(user, klass: TrainingClass) -> None:
    if not may_manage(user, klass):
        abort(403)
