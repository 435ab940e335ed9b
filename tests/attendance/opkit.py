"""Helpers of the operation tests: operations as a phone sends them, and batches applied
through the domain (`ops.read_batch`, `ops.apply_ops`) as the JSON route applies them."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import select

from app.attendance import ops
from app.attendance.models import AttendanceMark, AttendanceOp
from app.extensions import db


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat()


def started(session) -> datetime:
    """When the session began (naive UTC)."""
    from app.attendance.marking import starts_at

    return starts_at(session).astimezone(UTC).replace(tzinfo=None)


def op(session, application, status="present", *, taken, note=None, base=None, op_id=None):
    return {"op_id": op_id or uuid4().hex, "session_id": session.id,
            "cadre_id": getattr(application, "cadre_id", application.id),  # or a cadre
            "status": status, "note": note,
            "taken_at": iso(taken), "base_op_id": base}


def send(user, items, received, *, sent=None, skew=timedelta(0)):
    """Apply one batch received at `received` from a device whose clock is `skew` ahead of
    the server's (or that says `sent`); commit; the results as the route answers them."""
    batch = ops.read_batch({"client_id": "test", "sent_at": iso(sent or received + skew),
                            "ops": items})
    applied = ops.apply_ops(user, batch.ops, received, sent_at=batch.sent_at,
                            client_id=batch.client_id)
    db.session.commit()
    return [r.as_dict() for r in applied.results]


def marks(session) -> dict[int, tuple[str, str]]:
    """Per application id, the stored (status, note)."""
    db.session.expire_all()
    return {m.application_id: (m.status, m.note or "") for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session.id))}


def stored_ops() -> list[AttendanceOp]:
    db.session.expire_all()
    return list(db.session.scalars(select(AttendanceOp).order_by(AttendanceOp.id)))
