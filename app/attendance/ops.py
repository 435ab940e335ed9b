"""Attendance operations: every change of a mark, wherever it was taken (a phone offline in a
commune hall, the form of the marking page, a photo of a signed sheet), is an operation with
an id made where it was taken. The rules, in one place:

- **Once.** The op id is unique in the database. The same operation again is `duplicate`,
  answered with its first outcome; the same id with other content (or from another user) is
  `rejected`, and the stored one stands.
- **Serialised per session.** A batch locks the rows of its sessions (`core.locking.lock_row`,
  in id order) before it reads or writes their operations and marks.
- **The latest wins, whatever the order of arrival.** A mark's status is the status of the
  latest operation that set one, its note that of the latest that set a note (an operation
  may leave either as it was: None). "Latest" is the time taken, corrected for the device's
  clock by the batch's skew (server receipt − the batch's `sent_at`, never later than the
  receipt), ties broken by op id. So any order or duplication of deliveries gives the same
  marks (`tests/attendance/test_ops_property.py`). A mark saved before operations existed
  ranks below every operation.
- **Losers are kept.** An operation that arrives already beaten is `superseded`, stored and
  audited; "two people marked differently" (`conflicts`) lists an operation beaten by another
  person's different mark that was taken without seeing it.
- **Judged at the time taken.** A trainer offline all day keeps that day's marks even if the
  class was closed meanwhile; an operation taken before its session began, after the class's
  last day (of a class now closed), or arriving more than `LATE_AFTER` after it was taken
  waits (`pending`) for a coordinator's approval (`decide`), counted only once approved.
- **Nothing dropped silently.** Every operation gets an answer: applied, superseded, duplicate,
  pending, or rejected with its reason (recorded in the audit log; a rejected op id stays free,
  so the same operation may be sent again once what refused it has changed).

Plain domain code: explicit user and times, flush only, the caller commits once.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.attendance import access, marking
from app.attendance.models import NOTE_MAX, STATUS_LABELS, AttendanceMark, AttendanceOp
from app.audit.models import record
from app.classes.models import Application, ClassSession
from app.core.locking import lock_row
from app.extensions import db
from app.timeutil import LOCAL_TZ, format_local

MAX_BATCH = 500
# An operation that reaches the server this long after it was taken waits for a coordinator.
LATE_AFTER = timedelta(hours=48)
# A batch sent from a clock this far ahead of the server's is refused (no time zone is that
# far off); a clock behind, however far, is corrected.
MAX_AHEAD = timedelta(days=1)
OP_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_ID = 2**31 - 1


class BatchError(Exception):
    """A batch that cannot be read at all (not JSON, no list of ops, over the limit, no
    readable `sent_at`): nothing is applied; `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 400, code: str = "bad_batch"):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


@dataclass(frozen=True)
class OpIn:
    """An operation as received. The learner is named by `cadre_id` (a phone) or by
    `application_id` (a page that lists the applications)."""

    op_id: str
    session_id: int
    status: str | None
    note: str | None
    taken_at: datetime  # naive UTC
    cadre_id: int | None = None
    application_id: int | None = None
    base_op_id: str | None = None


@dataclass
class OpResult:
    op_id: str | None
    result: str
    reason: str = ""
    conflict: dict | None = None
    mark: dict | None = None
    outcome: str | None = None  # a duplicate's first outcome

    def as_dict(self) -> dict:
        found = {"op_id": self.op_id, "result": self.result, "reason": self.reason,
                 "conflict": self.conflict, "mark": self.mark}
        if self.outcome:
            found["outcome"] = self.outcome
        return found


@dataclass
class Batch:
    """A batch as read: its operations (or, where one could not be read, its rejection), the
    device's clock when it was sent, the device's id."""

    ops: list
    sent_at: datetime | None = None
    client_id: str | None = None


@dataclass
class Applied:
    results: list[OpResult]
    sessions: dict[int, marking.Saved] = field(default_factory=dict)  # what changed per session

    def count(self, result: str) -> int:
        return sum(1 for r in self.results if r.result == result)


# --------------------------------------------------------------------------- reading a batch


def _moment(value) -> datetime | None:
    """An ISO 8601 moment with its offset ("2026-03-12T01:30:00.123Z") as naive UTC."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None)


def _an_id(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) \
        and 0 < value <= MAX_ID else None


def read_op(item) -> OpIn | OpResult:
    """One operation of a batch, or its rejection with the reason."""
    if not isinstance(item, dict):
        return OpResult(None, "rejected", _("Thao tác không đọc được (không phải một đối tượng)."))
    op_id = item.get("op_id")
    if not isinstance(op_id, str) or not OP_ID.match(op_id):
        return OpResult(op_id if isinstance(op_id, str) else None, "rejected",
                        _("Mã thao tác phải gồm 8 đến 64 chữ, số, “-” hoặc “_”."))

    def refused(message):
        return OpResult(op_id, "rejected", message)

    session_id, cadre_id = _an_id(item.get("session_id")), _an_id(item.get("cadre_id"))
    if session_id is None or cadre_id is None:
        return refused(_("Thiếu buổi học hoặc học viên (session_id, cadre_id là số)."))
    status = item.get("status")
    if status is not None:
        status = marking.status_of(status) if isinstance(status, str) else None
        if status is None:
            return refused(_("“%(value)s” không phải trạng thái điểm danh: chọn có mặt, muộn, "
                             "có phép hoặc vắng.", value=str(item.get("status"))[:20]))
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        return refused(_("Ghi chú phải là chữ."))
    note = marking.clean_note(note)
    if note is not None and len(note) > NOTE_MAX:
        return refused(_("Ghi chú dài %(n)s ký tự; tối đa %(max)s.", n=len(note), max=NOTE_MAX))
    if status is None and note is None:
        return refused(_("Thao tác không thay đổi gì: hãy chọn trạng thái điểm danh."))
    taken_at = _moment(item.get("taken_at"))
    if taken_at is None:
        return refused(_("Thời điểm điểm danh (taken_at) không đọc được: cần dạng ISO 8601 có "
                         "múi giờ."))
    base = item.get("base_op_id")
    if base is not None and (not isinstance(base, str) or not OP_ID.match(base)):
        return refused(_("Mã điểm danh đã thấy (base_op_id) không hợp lệ."))
    return OpIn(op_id=op_id, session_id=session_id, cadre_id=cadre_id, status=status,
                note=note, taken_at=taken_at, base_op_id=base)


def read_batch(data) -> Batch:
    """A batch posted by a phone: `{"client_id", "sent_at", "ops": [...]}`. Raises BatchError
    when the batch as a whole cannot be used; a bad operation is only that one's rejection."""
    if not isinstance(data, dict) or not isinstance(data.get("ops"), list):
        raise BatchError(_("Dữ liệu gửi lên phải là một đối tượng JSON có danh sách “ops”."))
    if len(data["ops"]) > MAX_BATCH:
        raise BatchError(_("Mỗi lần gửi tối đa %(max)s thao tác; lần này có %(n)s.",
                           max=MAX_BATCH, n=len(data["ops"])), 413, "too_many")
    sent_at = _moment(data.get("sent_at"))
    if sent_at is None:
        raise BatchError(_("Thiếu giờ gửi (sent_at) dạng ISO 8601 có múi giờ."))
    client_id = data.get("client_id")
    client_id = client_id[:64] if isinstance(client_id, str) else None
    return Batch([read_op(item) for item in data["ops"]], sent_at, client_id)


def form_op_id(form_id: str | None, session_id: int, application_id: int, status: str | None,
               note: str | None) -> str:
    """The id of an operation made by a form page: derived from the page's own id and what
    the operation sets, so the same page sent twice (a double tap, a resubmit after Back)
    makes the same operations, and a changed choice a new one. Without a page id: a new id
    that sorts after those made before it (two saves at the same moment: the later wins)."""
    if not form_id:
        return f"s{time.time_ns():020d}{secrets.token_hex(6)}"
    text = json.dumps([form_id, session_id, application_id, status, note])
    return "f" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


# --------------------------------------------------------------------------- the rules


def _fingerprint(user_id, op: OpIn, source: str) -> str:
    """What makes two deliveries the same operation. A phone sends its operation as taken;
    a form page sent again (a double tap, after Back) makes it again at a later moment, so
    for a form what it sets is the operation (its id is derived from that: `form_op_id`)."""
    taken = [op.taken_at.isoformat(), op.base_op_id] if source != "form" else []
    text = json.dumps([user_id, op.session_id, op.cadre_id, op.application_id, op.status,
                       op.note, *taken])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _refusal(user, session: ClassSession, received: datetime, source: str) -> str | None:
    """Why no operation of this session from `user` and `source` counts, received now (the
    same for every learner of a batch: judged once per session), or None."""
    klass = session.training_class
    if klass.status == "cancelled" or not klass.has_seats:
        return marking.class_problem(user, klass).message
    if not access.may_see(user, klass):
        return _("Chỉ giảng viên của lớp và cán bộ điều phối được điểm danh.")
    if not marking.has_begun(session, received):
        return marking.not_started(session)
    if source != "phone":
        problem = marking.class_problem(user, klass)
        return problem.message if problem else None
    return None


def _judge(user, session: ClassSession, effective: datetime, received: datetime,
           source: str, reason: str | None, refusals: dict | None = None
           ) -> tuple[str | None, str | None]:
    """(rejection, hold): why the operation is refused, or why it waits for a coordinator;
    (None, None) when it counts at once. An operation taken on a phone is judged at the time
    it was taken; one confirmed on the server by its user (a form, a photo) at that moment.
    `refusals`: the batch's `_refusal` per session id, filled as the sessions come."""
    refusals = {} if refusals is None else refusals
    if session.id not in refusals:
        refusals[session.id] = _refusal(user, session, received, source)
    if refusals[session.id] or source != "phone":
        return refusals[session.id], None
    klass = session.training_class
    if effective < marking.starts_at(session).astimezone(UTC).replace(tzinfo=None):
        return None, _("ghi lúc %(at)s, trước khi buổi học bắt đầu (đồng hồ điện thoại sai?)",
                       at=format_local(effective))
    if klass.is_closed and not (reason and user.is_coordinator):
        taken_day = effective.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()
        if taken_day > klass.end_date:
            return None, _("ghi lúc %(at)s, sau khi lớp đã kết thúc", at=format_local(effective))
    if received - effective > LATE_AFTER:
        return None, _("ghi lúc %(at)s, gửi đến sau hơn %(h)s giờ", at=format_local(effective),
                       h=int(LATE_AFTER.total_seconds() // 3600))
    return None, None


def _saw(winner: AttendanceOp, loser: AttendanceOp, by_op_id: dict) -> bool:
    """Whether the winner's taker had seen the loser's mark (or a later one) when taking it."""
    if winner.base_op_id is None:
        return False
    if winner.base_op_id == loser.op_id:
        return True
    base = by_op_id.get(winner.base_op_id)
    return base is not None and base.key >= loser.key


def _differs(a: AttendanceOp, b: AttendanceOp) -> bool:
    """Whether two operations set a field they both set to different values."""
    return (a.status is not None and b.status is not None and a.status != b.status) or \
        (a.note is not None and b.note is not None and (a.note or "") != (b.note or ""))


def _is_conflict(winner, loser, by_op_id) -> bool:
    return winner is not None and loser is not None and winner.id != loser.id \
        and winner.user_id != loser.user_id and _differs(winner, loser) \
        and not _saw(winner, loser, by_op_id)


def _describe(op: AttendanceOp) -> dict:
    return {"op_id": op.op_id, "status": op.status, "note": op.note,
            "by": op.user.full_name if op.user else None,
            "taken_at": op.effective_at.replace(tzinfo=UTC).isoformat()}


def _winners(ops: list[AttendanceOp]):
    status = max((o for o in ops if o.status is not None), key=lambda o: o.key, default=None)
    note = max((o for o in ops if o.note is not None), key=lambda o: o.key, default=None)
    return status, note


def _mark_dict(mark: AttendanceMark | None, cadre_id: int) -> dict | None:
    if mark is None:
        return None
    latest = max((o for o in (mark.status_op, mark.note_op) if o is not None),
                 key=lambda o: o.key, default=None)
    return {"session_id": mark.session_id, "cadre_id": cadre_id, "status": mark.status,
            "note": mark.note or "", "op_id": latest.op_id if latest else None,
            "by": mark.marked_by.full_name if mark.marked_by else None}


# --------------------------------------------------------------------------- applying


def apply_ops(user, ops: list, received_at: datetime, *, sent_at: datetime | None = None,
              source: str = "phone", client_id: str | None = None,
              reason: str | None = None) -> Applied:
    """Apply a batch of operations taken by `user` (OpIn, or the OpResult of one that could
    not be read), received at `received_at` (naive UTC) from a device whose clock said
    `sent_at` when it sent them (None: the server's own clock, as for a form). `source`:
    "phone", "form" or "photo". Returns one result per operation, in order; flushes only."""
    skew = received_at - sent_at if sent_at is not None else timedelta(0)
    ahead = sent_at is not None and sent_at - received_at > MAX_AHEAD
    results: list[OpResult | None] = [op if isinstance(op, OpResult) else None for op in ops]
    wanted = [op for op in ops if isinstance(op, OpIn)]
    sessions = {s.id: s for s in db.session.scalars(select(ClassSession).where(
        ClassSession.id.in_({op.session_id for op in wanted})))} if wanted else {}
    for session_id in sorted(sessions):  # one lock order: two batches never deadlock
        lock_row(ClassSession, session_id)
    existing = {o.op_id: o for o in db.session.scalars(select(AttendanceOp).where(
        AttendanceOp.op_id.in_({op.op_id for op in wanted})))} if wanted else {}
    admitted = _admitted({s.training_class.id for s in sessions.values()})
    seen: dict[str, tuple[str, int]] = {}
    refusals: dict[int, str | None] = {}  # per session (`_judge`)
    new: list[tuple[int, AttendanceOp]] = []
    rejected: list[tuple[OpIn, str, ClassSession | None]] = []
    for index, op in enumerate(ops):
        if not isinstance(op, OpIn):
            continue
        fingerprint = _fingerprint(getattr(user, "id", None), op, source)
        first = existing.get(op.op_id)
        if op.op_id in seen or first is not None:
            same = seen[op.op_id][0] == fingerprint if op.op_id in seen \
                else first.fingerprint == fingerprint
            if same:
                results[index] = OpResult(op.op_id, "duplicate", outcome=(
                    first.outcome if first is not None else None))
                if first is None:  # twice in this batch: answered as the first once known
                    results[index].outcome = f"#{seen[op.op_id][1]}"
            else:
                results[index] = OpResult(op.op_id, "rejected", _(
                    "Mã thao tác này đã được dùng cho một điểm danh khác; điểm danh đã lưu với "
                    "mã này được giữ nguyên."))
                rejected.append((op, results[index].reason, sessions.get(op.session_id)))
            continue
        seen[op.op_id] = (fingerprint, index)
        session = sessions.get(op.session_id)
        effective = min(op.taken_at + skew, received_at)
        application = None
        if session is not None:
            learners = admitted.get(session.class_id, {})
            application = learners.get(("app", op.application_id)) \
                if op.application_id is not None else learners.get(("cadre", op.cadre_id))
        if ahead:
            refusal = _("Đồng hồ của điện thoại đang nhanh hơn máy chủ %(h)s giờ: hãy chỉnh lại "
                        "ngày giờ trên điện thoại rồi gửi lại.",
                        h=int((sent_at - received_at).total_seconds() // 3600))
            hold = None
        elif session is None:
            refusal, hold = _("Không có buổi học này."), None
        else:
            refusal, hold = _judge(user, session, effective, received_at, source, reason,
                                   refusals)
            if refusal is None and application is None:
                refusal = _("Người này không có trong danh sách được triệu tập của lớp %(code)s; "
                            "không điểm danh được.", code=session.training_class.code)
        if refusal:
            results[index] = OpResult(op.op_id, "rejected", refusal)
            rejected.append((op, refusal, session))
            continue
        row = AttendanceOp(
            op_id=op.op_id, user_id=getattr(user, "id", None), session_id=session.id,
            application_id=application.id, status=op.status, note=op.note,
            taken_at=op.taken_at, effective_at=effective, received_at=received_at,
            base_op_id=op.base_op_id, source=source, client_id=client_id,
            fingerprint=fingerprint, outcome="pending" if hold else "applied",
            counted=hold is None, hold_reason=hold)
        db.session.add(row)
        new.append((index, row))
    db.session.flush()
    applied = Applied([])
    changed = _refold(user, {(row.session_id, row.application_id) for _i, row in new
                             if row.counted}, sessions, reason, applied, source)
    for index, row in new:
        results[index] = _result_of(row, changed)
        if row.counted:
            row.outcome = results[index].result
    for result in results:
        if result.result == "duplicate" and result.outcome and result.outcome.startswith("#"):
            result.outcome = results[int(result.outcome[1:])].result
    _audit_arrivals(user, new, rejected, sessions, reason)
    applied.results = results
    return applied


def _admitted(class_ids: set[int]) -> dict[int, dict]:
    """Per class, its admitted applications by ("app", id) and by ("cadre", cadre id)."""
    found: dict[int, dict] = defaultdict(dict)
    if class_ids:
        for a in db.session.scalars(select(Application).where(
                Application.class_id.in_(class_ids), Application.status == "admitted")):
            found[a.class_id][("app", a.id)] = a
            found[a.class_id][("cadre", a.cadre_id)] = a
    return found


@dataclass
class _Fold:
    """What recomputing one learner's mark did."""

    mark: AttendanceMark | None
    old: tuple[str, str] | None
    before: tuple[AttendanceOp | None, AttendanceOp | None]  # the winners before
    ops: list[AttendanceOp]
    by_op_id: dict


def _refold(user, keys: set[tuple[int, int]], sessions: dict, reason, applied: Applied,
            source: str | None = None):
    """Recompute the marks of these (session, application) pairs from their counted
    operations; write what changed, with the audit entries. Returns the folds by pair."""
    if not keys:
        return {}
    session_ids = {k[0] for k in keys}
    app_ids = {k[1] for k in keys}
    marks = {(m.session_id, m.application_id): m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id.in_(session_ids),
                                     AttendanceMark.application_id.in_(app_ids))
        .execution_options(populate_existing=True)).unique()}
    counted: dict[tuple[int, int], list[AttendanceOp]] = defaultdict(list)
    for o in db.session.scalars(select(AttendanceOp).where(
            AttendanceOp.session_id.in_(session_ids), AttendanceOp.application_id.in_(app_ids),
            AttendanceOp.counted.is_(True))).unique():
        counted[(o.session_id, o.application_id)].append(o)
    folds = {}
    for key in sorted(keys):
        ops = counted[key]
        by_op_id = {o.op_id: o for o in ops}
        mark = marks.get(key)
        old = (mark.status, mark.note or "") if mark else None
        before = (mark.status_op, mark.note_op) if mark else (None, None)
        status_op, note_op = _winners(ops)
        status = status_op.status if status_op else (mark.status if mark else None)
        note = note_op.note if note_op else (mark.note if mark else None)
        folds[key] = _Fold(mark, old, before, ops, by_op_id)
        if status is None:
            continue  # a note without any status yet: kept until a status arrives
        latest = max((o for o in (status_op, note_op) if o is not None), key=lambda o: o.key)
        session = sessions.get(key[0]) or db.session.get(ClassSession, key[0])
        saved = applied.sessions.setdefault(key[0], marking.Saved(session))
        if mark is None:
            mark = AttendanceMark(session_id=key[0], application_id=key[1])
            db.session.add(mark)
            folds[key].mark = mark
            saved.created += 1
        new = (status, note or "")
        mark.status_op, mark.note_op = status_op, note_op
        if old != new:  # "last changed at, by": only when the mark changes
            mark.status, mark.note = status, note or None
            mark.marked_at, mark.marked_by_id = latest.effective_at, latest.user_id
        if old is not None and old != new:
            saved.changed += 1
            marking._record_change(user, session.training_class, session, _application(key[1]),
                                   old, new, reason, op=latest)
    db.session.flush()
    _count_and_record_first(user, applied, reason, source)
    return folds


def _application(application_id: int) -> Application:
    return db.session.get(Application, application_id)


def _count_and_record_first(user, applied: Applied, reason, source=None) -> None:
    for session_id, saved in applied.sessions.items():
        klass = saved.session.training_class
        admitted = select(Application.id).where(Application.class_id == klass.id,
                                                Application.status == "admitted")
        saved.counts = Counter(dict(db.session.execute(
            select(AttendanceMark.status, func.count())
            .where(AttendanceMark.session_id == session_id,
                   AttendanceMark.application_id.in_(admitted))
            .group_by(AttendanceMark.status)).all()))
        if saved.created:
            marking._record_first(user, klass, saved, reason, source)


def _result_of(row: AttendanceOp, folds: dict) -> OpResult:
    """The answer for an operation just stored."""
    fold = folds.get((row.session_id, row.application_id))
    cadre_id = _application(row.application_id).cadre_id
    if not row.counted:
        mark = fold.mark if fold else db.session.scalar(select(AttendanceMark).where(
            AttendanceMark.session_id == row.session_id,
            AttendanceMark.application_id == row.application_id))
        return OpResult(row.op_id, "pending", _("Chờ cán bộ điều phối duyệt: %(why)s.",
                                                why=row.hold_reason),
                        mark=_mark_dict(mark, cadre_id))
    mark = fold.mark
    won = mark is not None and row.id in (mark.status_op_id, mark.note_op_id)
    conflict = None
    if won:
        for previous in fold.before:
            if _is_conflict(row, previous, fold.by_op_id):
                conflict = _describe(previous)
    else:
        for winner in (mark.status_op, mark.note_op) if mark else ():
            if _is_conflict(winner, row, fold.by_op_id):
                conflict = _describe(winner)
    outcome = "applied" if won or mark is None else "superseded"
    reason = "" if outcome == "applied" else _(
        "Đã có điểm danh mới hơn cho học viên này; điểm danh này được lưu lại nhưng không "
        "thay đổi kết quả.")
    return OpResult(row.op_id, outcome, reason, conflict, _mark_dict(mark, cadre_id))


def _audit_arrivals(user, new, rejected, sessions, reason) -> None:
    """The audit entries of what did not change a mark: operations that arrived beaten, those
    held for a coordinator, those refused (nothing dropped silently)."""
    by_session: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for _index, row in new:
        if row.outcome in ("superseded", "pending"):
            by_session[row.session_id][row.outcome].append(row)
    for session_id, kinds in by_session.items():
        session = sessions[session_id]
        klass = session.training_class
        for kind, rows in kinds.items():
            names = ", ".join(f"{_application(r.application_id).cadre.full_name} "
                              f"({STATUS_LABELS.get(r.status, '—')})" for r in rows)
            words = "đến sau điểm danh mới hơn, được lưu lại" if kind == "superseded" \
                else "chờ cán bộ điều phối duyệt"
            record(user, f"attendance.{kind}", "class_session", session_id,
                   f"Điểm danh lớp {klass.code}, {marking.session_text(session)}: {len(rows)} "
                   f"thao tác {words}: {names}", reason=reason,
                   data={"class": klass.id, "ops": [r.op_id for r in rows],
                         "source": rows[0].source})
    grouped: dict[int | None, list] = defaultdict(list)
    for op, why, session in rejected:
        grouped[session.id if session else None].append((op, why))
    for session_id, items in grouped.items():
        session = sessions.get(session_id) if session_id else None
        where = f"lớp {session.training_class.code}, {marking.session_text(session)}" \
            if session else "buổi học không tồn tại"
        record(user, "attendance.rejected", "class_session", session_id,
               f"Từ chối {len(items)} thao tác điểm danh ({where}): {items[0][1]}",
               data={"ops": [{"op_id": op.op_id, "cadre": op.cadre_id, "status": op.status,
                              "reason": why} for op, why in items][:100]})


# --------------------------------------------------------------------------- coordinators


def decide(user, op: AttendanceOp, approve: bool, now: datetime) -> OpResult:
    """A coordinator approves (it counts from now on, in its place in time) or declines a
    pending operation. Raises AttendanceError when it is not pending or not theirs to decide."""
    session = lock_row(ClassSession, op.session_id)
    db.session.refresh(op)
    if op.outcome != "pending" or op.decision is not None:
        raise marking.AttendanceError(_("Điểm danh này đã được quyết định rồi."), 409)
    if not (user.is_coordinator and access.may_see(user, session.training_class)):
        raise marking.AttendanceError(_("Chỉ cán bộ điều phối của lớp duyệt điểm danh."), 403)
    op.decision, op.decided_at, op.decided_by_id = ("approved" if approve else "declined",
                                                    now, user.id)
    op.counted = approve
    application = _application(op.application_id)
    record(user, "attendance.approve" if approve else "attendance.decline", "class_session",
           session.id, f"{'Duyệt' if approve else 'Không duyệt'} điểm danh lớp "
           f"{session.training_class.code}, {marking.session_text(session)}, "
           f"{application.cadre.full_name}: {STATUS_LABELS.get(op.status, '—')}",
           data={"op": op.op_id, "class": session.class_id})
    db.session.flush()
    if not approve:
        return OpResult(op.op_id, "rejected", _("Cán bộ điều phối không duyệt."))
    folds = _refold(user, {(op.session_id, op.application_id)}, {session.id: session},
                    None, Applied([]))
    return _result_of(op, folds)  # its first outcome stays "pending"


def settle(user, chosen: AttendanceOp, now: datetime) -> OpResult:
    """Two people marked differently: a coordinator keeps `chosen`'s mark (the one standing or
    the one beaten). Their keeping is a new operation, taken now having seen both, so the
    conflict is settled and the log says who chose what."""
    session = lock_row(ClassSession, chosen.session_id)
    if not (user.is_coordinator and access.may_see(user, session.training_class)):
        raise marking.AttendanceError(_("Chỉ cán bộ điều phối của lớp chốt điểm danh."), 403)
    mark = db.session.scalar(select(AttendanceMark).where(
        AttendanceMark.session_id == chosen.session_id,
        AttendanceMark.application_id == chosen.application_id)
        .execution_options(populate_existing=True))
    latest = max((o for o in (mark.status_op, mark.note_op) if o is not None),
                 key=lambda o: o.key, default=None) if mark else None
    op = OpIn(op_id=form_op_id(None, 0, 0, None, None), session_id=chosen.session_id,
              application_id=chosen.application_id, status=chosen.status or mark.status,
              note=chosen.note if chosen.note is not None else (mark.note or "") if mark
              else None, taken_at=now, base_op_id=latest.op_id if latest else chosen.op_id)
    applied = apply_ops(user, [op], now, source="form",
                        reason="Chốt khi hai người điểm danh khác nhau")
    result = applied.results[0]
    if result.result == "rejected":
        raise marking.AttendanceError(result.reason, 409)
    return result


@dataclass
class Conflict:
    """Two people marked one learner differently: the mark that stands and the one beaten,
    taken without seeing it."""

    session: ClassSession
    application: Application
    winner: AttendanceOp
    loser: AttendanceOp


def conflicts(session_ids: list[int]) -> list[Conflict]:
    """The real conflicts of these sessions (two queries)."""
    if not session_ids:
        return []
    ops: dict[tuple[int, int], list[AttendanceOp]] = defaultdict(list)
    for o in db.session.scalars(select(AttendanceOp).where(
            AttendanceOp.session_id.in_(session_ids), AttendanceOp.counted.is_(True))
            .order_by(AttendanceOp.effective_at, AttendanceOp.op_id)).unique():
        ops[(o.session_id, o.application_id)].append(o)
    marks = {(m.session_id, m.application_id): m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id.in_(session_ids))).unique()}
    sessions = {s.id: s for s in db.session.scalars(select(ClassSession).where(
        ClassSession.id.in_(session_ids)))}
    found = []
    for key, rows in ops.items():
        mark = marks.get(key)
        if mark is None:
            continue
        by_op_id = {o.op_id: o for o in rows}
        winners = {o for o in (mark.status_op, mark.note_op) if o is not None}
        latest = {}  # each person's own latest: a trainer who changed their mind is one mark
        for o in rows:
            latest[o.user_id] = o
        for loser in latest.values():
            for winner in winners:
                if loser not in winners and _is_conflict(winner, loser, by_op_id):
                    found.append(Conflict(sessions[key[0]], _application(key[1]), winner,
                                          loser))
                    break
    return found


def pending(session_ids: list[int]) -> list[AttendanceOp]:
    """The operations of these sessions waiting for a coordinator, the oldest first."""
    if not session_ids:
        return []
    return list(db.session.scalars(select(AttendanceOp).where(
        AttendanceOp.session_id.in_(session_ids), AttendanceOp.outcome == "pending",
        AttendanceOp.decision.is_(None))
        .options(joinedload(AttendanceOp.application), joinedload(AttendanceOp.session))
        .order_by(AttendanceOp.effective_at, AttendanceOp.op_id)).unique())
