"""Read-only queries for the attendance pages and the class page (a constant number of
statements per page, whatever the number of learners or sessions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from app.attendance import completion, marking
from app.attendance.models import AttendanceEvidence, AttendanceMark, AttendanceOp
from app.audit.models import AuditEntry
from app.classes.models import Application, ClassSession, TrainingClass
from app.core import written
from app.extensions import db

ACTIONS = ("attendance.mark", "attendance.change", "attendance.evidence_add",
           "attendance.evidence_delete", "attendance.superseded", "attendance.pending",
           "attendance.rejected", "attendance.approve", "attendance.decline")


def marks_of(session_ids: list[int]) -> dict[tuple[int, int], AttendanceMark]:
    """The marks of these sessions by (session id, application id), in one query."""
    if not session_ids:
        return {}
    return {(m.session_id, m.application_id): m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id.in_(session_ids))).unique()}


# The operations table twice, aliased once for all: building two ORM aliases (aliased()) on
# every call cost the marking page ten times the query itself.
_STATUS_OP, _NOTE_OP = (AttendanceOp.__table__.alias(name) for name in ("status_op", "note_op"))


def seen_ops(session_id: int) -> dict[int, str]:
    """Per application, the id of the latest operation that shaped its mark of this session
    (what a phone names as the mark its trainer saw), in one query."""
    status_op, note_op = _STATUS_OP, _NOTE_OP
    found = {}
    for application_id, *ops in db.session.execute(
            select(AttendanceMark.application_id, status_op.c.effective_at, status_op.c.op_id,
                   note_op.c.effective_at, note_op.c.op_id)
            .outerjoin(status_op, status_op.c.id == AttendanceMark.status_op_id)
            .outerjoin(note_op, note_op.c.id == AttendanceMark.note_op_id)
            .where(AttendanceMark.session_id == session_id)):
        keys = [k for k in ((ops[0], ops[1]), (ops[2], ops[3])) if k[1] is not None]
        if keys:
            found[application_id] = max(keys)[1]
    return found


def evidence_of(session_ids: list[int]) -> dict[int, list[AttendanceEvidence]]:
    """The evidence files of these sessions, the oldest first, in one query."""
    found: dict[int, list[AttendanceEvidence]] = {i: [] for i in session_ids}
    if session_ids:
        for item in db.session.scalars(
                select(AttendanceEvidence).where(AttendanceEvidence.session_id.in_(session_ids))
                .order_by(AttendanceEvidence.uploaded_at, AttendanceEvidence.id)).unique():
            found[item.session_id].append(item)
    return found


def history(session_ids: list[int], limit: int = 200) -> list[AuditEntry]:
    """The attendance entries of the audit log for these sessions, the latest first."""
    if not session_ids:
        return []
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "class_session",
                                 AuditEntry.object_id.in_(session_ids),
                                 AuditEntry.action.in_(ACTIONS))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(written.number(limit))).unique())


def marked_counts(class_id: int) -> dict[int, int]:
    """Marks per session of the class, in one grouped query."""
    return dict(db.session.execute(
        select(AttendanceMark.session_id, func.count())
        .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
        .where(ClassSession.class_id == class_id)
        .group_by(AttendanceMark.session_id)).all())


@dataclass
class SessionLine:
    session: ClassSession
    begun: bool
    marked: int


@dataclass
class Overview:
    """The attendance part of the class page: the sessions (begun, how many marked), every
    admitted learner's completion (staff), or the learner's own completion and marks."""

    sessions: list[SessionLine]
    learners: list[completion.LearnerCompletion] = field(default_factory=list)
    own: completion.Completion | None = None
    own_marks: dict[int, AttendanceMark] = field(default_factory=dict)

    @property
    def any_marked(self) -> bool:
        return any(line.marked for line in self.sessions)

    @property
    def met(self) -> int:
        return sum(1 for row in self.learners if row.completion.met)


def overview(klass: TrainingClass, role: str, own: Application | None,
             now: datetime) -> Overview:
    """The class page's attendance part for the viewer's relation to the class."""
    counts = marked_counts(klass.id)
    lines = [SessionLine(s, marking.has_begun(s, now), counts.get(s.id, 0))
             for s in klass.sessions]
    if role in ("coordinator", "trainer"):
        return Overview(lines, learners=completion.class_completion(klass))
    if own is None:
        return Overview(lines)
    marks = {m.session_id: m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.application_id == own.id)).unique()}
    return Overview(lines, own=completion.completion_of(klass, own), own_marks=marks)


def offline_sessions(user) -> list[ClassSession]:
    """The sessions whose marking pages a trainer's phone keeps for offline use: those of the
    running classes they teach (started, not closed), in date order (one query)."""
    from app.classes.models import class_trainers

    return list(db.session.scalars(
        select(ClassSession).join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .join(class_trainers, class_trainers.c.class_id == TrainingClass.id)
        .where(class_trainers.c.user_id == user.id, TrainingClass.has_started,
               ~TrainingClass.is_closed)
        .order_by(ClassSession.date, ClassSession.id)))


def review_counts(session_ids: list[int]) -> dict[str, int]:
    """How many operations of these sessions wait for a coordinator, and how many real
    conflicts they hold (for the link to the review page)."""
    from app.attendance import ops

    return {"pending": len(ops.pending(session_ids)),
            "conflicts": len(ops.conflicts(session_ids))}
