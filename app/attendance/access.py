"""Who may take attendance for a class, and the loaders of its sessions and evidence files
(object checks; the routes declare the roles).

- The class's trainers and the coordinators (`classes.access.relation`) take attendance, key
  back the signed sheets and attach their scans, from the class's allocation on.
- Once the class is finished, only coordinators change it (a change then needs a reason:
  `marking.py`); its trainers still see it.
- Only coordinators delete an evidence file.
"""

from __future__ import annotations

from flask import abort

from app.attendance.models import AttendanceEvidence
from app.classes import access
from app.classes.models import ClassSession, TrainingClass
from app.extensions import db
from app.timeutil import local_today


def may_see(user, klass: TrainingClass) -> bool:
    """The class's trainers and coordinators."""
    return access.relation(user, klass, local_today()) in ("coordinator", "trainer")


def may_change(user, klass: TrainingClass) -> bool:
    """Mark, key back or attach: its trainers until the class is finished, coordinators
    always."""
    return may_see(user, klass) and (user.is_coordinator or not klass.is_closed)


def may_delete_evidence(user) -> bool:
    return user.is_coordinator


def require_see(user, klass: TrainingClass) -> None:
    if not may_see(user, klass):
        abort(403)


def load_session(klass: TrainingClass, session_id: int) -> ClassSession:
    """A session of this class, or 404 (a session of another class is not found here)."""
    session = next((s for s in klass.sessions if s.id == session_id), None)
    if session is None:
        abort(404)
    return session


def load_evidence(evidence_id: int) -> AttendanceEvidence:
    """An evidence file, or 404; the view then asks `may_see` of its session's class."""
    return db.get_or_404(AttendanceEvidence, evidence_id)
