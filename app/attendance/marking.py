"""Taking attendance: saving the marks of one or more sessions of a class.

Plain domain code: explicit arguments (the acting user, the class, the marks, `now`), flush
only, the caller commits once. The rules:

- Marks are taken for the admitted learners of a class that has seats (allocated, running or
  finished; never cancelled), for sessions that have started: the session's date and start
  time (07:30 or 13:30 when none is set) in Vietnam time is at or before `now`.
- The class's trainers and the coordinators mark; once the class is finished only a
  coordinator does, and a change to a mark already saved then needs a reason (keying a sheet
  back for the first time does not).
- A save covers a whole session: after it every admitted learner has a mark for it (a learner
  without one is refused at their row). All or nothing: one bad row and nothing is written.
- Each learner whose status or note the user changed on the page becomes one operation
  (`ops.py`, source "form"), which writes the mark; the operation ids come from the page's own
  id, so the same page sent twice (a double tap, a resubmit after Back) writes nothing the
  second time, not even an audit entry. The first marks of a session are recorded in the
  audit log as one entry with the counts; every later change of a mark gets its own entry
  with who, when, the old and the new value (and the reason).
- Two people saving the same session at once lose nothing: the session row is locked
  (`core.locking.lock_row`) while a save compares and writes, and a save writes a learner only
  where its user changed what their page showed (`shown`). A learner changed by someone else
  in the meantime, and left alone on this page, keeps that newer mark; a learner both changed
  gets the latest taken (`ops.py`: marks taken offline on a phone arrive later and take their
  place by the time taken), and both are recorded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.attendance import access
from app.attendance.completion import admitted_applications
from app.attendance.models import NOTE_MAX, STATUS_LABELS, STATUSES, AttendanceMark
from app.audit.models import record
from app.classes.models import DEFAULT_TIMES, ClassSession, TrainingClass
from app.core.locking import lock_row
from app.core.refusal import Refusal
from app.extensions import db
from app.timeutil import LOCAL_TZ, format_local
from app.vietnamese import fold, format_date, nfc

# One-letter codes for keying a sheet back (and what a folded label reads as). "x" is the
# tick many sheets carry for "present".
CODES = {"c": "present", "x": "present", "m": "late", "p": "excused", "v": "absent"}
CODE_OF = {"present": "c", "late": "m", "excused": "p", "absent": "v"}
_WORDS = {"co mat": "present", "muon": "late", "di muon": "late", "co phep": "excused",
          "vang co phep": "excused", "vang": "absent", "vang khong phep": "absent"}


class AttendanceError(Refusal):
    """Refused marks: a message in the user's language, the HTTP status, the field it belongs
    to (the reason) and, per (session id, application id), the problem of that row."""

    def __init__(self, message: str, status: int | None = None, field: str | None = None,
                 problems: dict[tuple[int, int], str] | None = None):
        super().__init__(message, status, field)
        self.problems = problems or {}


@dataclass(frozen=True)
class Entry:
    """A learner's mark as a form sent it: the status (a status name, a code "c/m/p/v" or a
    label as typed) and the note ("" for none; None when the form has no note: kept)."""

    status: str
    note: str | None = None


@dataclass
class Saved:
    """What a save did to one session."""

    session: ClassSession
    created: int = 0
    changed: int = 0
    kept: int = 0  # changed by someone else since the page was opened; left as they made it
    counts: Counter = field(default_factory=Counter)  # the session's statuses after the save

    @property
    def wrote(self) -> bool:
        return bool(self.created or self.changed)


# --------------------------------------------------------------------------- reading input


def status_of(text: str | None) -> str | None:
    """The status a form value or a typed code means ("present", "c", "X", "Muộn", "vắng"),
    or None."""
    value = fold(text or "")
    if value in STATUSES:
        return value
    return CODES.get(value) or _WORDS.get(value)


def clean_note(text: str | None) -> str | None:
    """A note as stored: NFC, single spaces; None stays None (no note in the form)."""
    return None if text is None else nfc(text)


# --------------------------------------------------------------------------- sessions


def starts_at(session: ClassSession) -> datetime:
    """When a session begins, in Vietnam time (its start time, or the part's default)."""
    clock = session.starts_at or DEFAULT_TIMES[session.part][0]
    return datetime.combine(session.date, clock, tzinfo=LOCAL_TZ)


def has_begun(session: ClassSession, now: datetime) -> bool:
    """The session has started at `now` (naive UTC, as stored, or aware)."""
    moment = now.replace(tzinfo=UTC) if now.tzinfo is None else now
    return starts_at(session) <= moment


def session_text(session: ClassSession) -> str:
    """"buổi sáng 12/03/2026" (Vietnamese, for the audit log)."""
    return f"buổi {session.part_label.lower()} {format_date(session.date)}"


def not_started(session: ClassSession) -> str:
    return _("Buổi học này chưa bắt đầu (bắt đầu lúc %(at)s); chỉ điểm danh được từ khi buổi "
             "học bắt đầu.", at=format_local(starts_at(session)))


def class_problem(actor, klass: TrainingClass) -> AttendanceError | None:
    """Why `actor` may not take attendance for this class now, or None."""
    if klass.status == "cancelled":
        return AttendanceError(_("Lớp đã hủy, không điểm danh."), 409)
    if not klass.has_seats:
        return AttendanceError(_("Lớp chưa xét chọn: chưa có học viên được triệu tập để điểm "
                                 "danh."), 409)
    if not access.may_change(actor, klass):
        if klass.is_closed and access.may_see(actor, klass):
            return AttendanceError(_("Lớp đã kết thúc: chỉ cán bộ điều phối nhập hoặc sửa điểm "
                                     "danh (kèm lý do)."), 403)
        return AttendanceError(_("Chỉ giảng viên của lớp và cán bộ điều phối được điểm danh."),
                               403)
    return None


# --------------------------------------------------------------------------- saving


def _wanted(posted, was, stored):
    """The value to keep for one field: the posted one when its user changed it (it differs
    from what their page showed, or what it showed is unknown), else the stored one, which
    someone else may have changed since the page was opened."""
    if posted is None or (was is not None and posted == was):
        return stored
    return posted


def save(actor, klass: TrainingClass, entries: dict[int, dict[int, Entry]], now: datetime, *,
         shown: dict[tuple[int, int], Entry] | None = None,
         reason: str | None = None, form_id: str | None = None, partial: bool = False,
         source: str = "form") -> list[Saved]:
    """Save the marks `entries` (session id -> application id -> Entry) of the class's
    sessions. `shown` holds what the user's page showed for each (session id, application id)
    (Entry("", "") for no mark yet). Each learner the user changed becomes one operation
    (`ops.py`) whose id is derived from `form_id`, the page's own id, so the same page sent
    twice changes nothing the second time. `partial`: the learners not in `entries` may stay
    without a mark (a photographed page holds only some of the class's rows); `source` says
    where the marks come from ("form", or "photo": a photo of the signed sheet), kept with
    the operations and in the audit log. Raises AttendanceError (nothing written) on any
    problem. Returns what was done, per session, in session order."""
    from app.attendance import ops

    shown = shown or {}
    problem = class_problem(actor, klass)
    if problem:
        raise problem
    if not entries:
        raise AttendanceError(_("Chưa có điểm danh nào để lưu."), 400)
    sessions = {s.id: s for s in klass.sessions}
    for session_id in entries:
        session = sessions.get(session_id)
        if session is None:
            raise AttendanceError(_("Buổi học này không thuộc lớp %(code)s.", code=klass.code),
                                  404)
        if not has_begun(session, now):
            raise AttendanceError(not_started(session), 409)
    order = sorted(entries)  # always the same lock order: two saves never deadlock
    for session_id in order:
        lock_row(ClassSession, session_id)
    admitted = {a.id: a for a in admitted_applications(klass)}
    stored = {(m.session_id, m.application_id): m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id.in_(order))
        .options(selectinload(AttendanceMark.status_op), selectinload(AttendanceMark.note_op))
        .execution_options(populate_existing=True)).unique()}
    wanted, problems = _check(klass, order, entries, admitted, stored, partial)
    if problems:
        raise AttendanceError(_("Chưa lưu gì: %(n)s dòng cần sửa (xem ở từng học viên).",
                                n=len(problems)), 422, problems=problems)
    reason = nfc(reason) or None
    planned, changes = _plan(order, sessions, wanted, stored, shown)
    if changes and klass.is_closed and not reason:
        raise AttendanceError(_("Lớp đã kết thúc: hãy ghi lý do sửa điểm danh."), 422,
                              field="reason")
    batch = [_operation(ops, form_id, key, value, shown.get(key), stored.get(key), now)
             for key, value in _changed(order, wanted, shown)]
    applied = ops.apply_ops(actor, batch, now, source=source, reason=reason)
    refused = [r for r in applied.results if r.result == "rejected"]
    if refused:
        raise AttendanceError(refused[0].reason, 409)
    results = []
    for saved in planned:
        done = applied.sessions.get(saved.session.id)
        saved.created, saved.changed = (done.created, done.changed) if done else (0, 0)
        # the session's statuses after the save: counted by `ops` where it wrote
        saved.counts = done.counts if done else Counter(
            m.status for m in db.session.scalars(select(AttendanceMark).where(
                AttendanceMark.session_id == saved.session.id)) if m.application_id in admitted)
        results.append(saved)
    return results


def _changed(order, wanted, shown):
    """The (session id, application id) pairs the user changed on their page, with the status
    and note they changed (None where they left a field as it was shown)."""
    for session_id in order:
        for application_id, (status, note) in wanted[session_id].items():
            key = (session_id, application_id)
            was = shown.get(key)
            status = None if was is not None and status == was.status else status
            note = None if note is None or (was is not None and note == was.note) else note
            if status is not None or note is not None:
                yield key, (status, note)


def _operation(ops, form_id, key, value, was, mark, now):
    """The operation of one changed learner. The mark its user saw is the stored one when
    their page showed what is stored (else they saw an older one: no base)."""
    base = None
    if mark is not None and was is not None and (was.status, was.note) == (
            mark.status, mark.note or ""):
        latest = max((o for o in (mark.status_op, mark.note_op) if o is not None),
                     key=lambda o: o.key, default=None)
        base = latest.op_id if latest else None
    return ops.OpIn(op_id=ops.form_op_id(form_id, key[0], key[1], *value), session_id=key[0],
                    application_id=key[1], status=value[0], note=value[1], taken_at=now,
                    base_op_id=base)


def _plan(order, sessions, wanted, stored, shown):
    """What a save would do, per session: its `Saved` with the learners kept as someone else
    changed them (changed by another since the page was opened, left alone on it), and
    whether it changes any stored mark (a finished class then needs a reason)."""
    results, changes = [], 0
    for session_id in order:
        saved = Saved(sessions[session_id])
        for application_id, (status, note) in wanted[session_id].items():
            key = (session_id, application_id)
            mark = stored.get(key)
            if mark is None:
                continue
            was = shown.get(key)
            old = (mark.status, mark.note or "")
            new = (_wanted(status, was.status if was else None, old[0]),
                   _wanted(note, was.note if was else None, old[1]))
            if new != (status, old[1] if note is None else note):
                saved.kept += 1
            if new != old:
                changes += 1
        results.append(saved)
    return results, changes


def _check(klass: TrainingClass, order: list[int], entries: dict[int, dict[int, Entry]],
           admitted: dict, stored: dict, partial: bool = False):
    """The statuses and notes to save, per session, and the problems per row."""
    problems: dict[tuple[int, int], str] = {}
    wanted: dict[int, dict[int, tuple[str, str | None]]] = {}
    for session_id in order:
        wanted[session_id] = {}
        for application_id, entry in entries[session_id].items():
            key = (session_id, application_id)
            status = status_of(entry.status)
            note = clean_note(entry.note)
            if application_id not in admitted:
                problems[key] = _("Người này không có trong danh sách được triệu tập của lớp "
                                  "%(code)s; không điểm danh được.", code=klass.code)
            elif status is None:
                problems[key] = _("“%(value)s” không phải trạng thái điểm danh: chọn có mặt, "
                                  "muộn, có phép hoặc vắng (gõ tắt c, m, p, v).",
                                  value=(entry.status or "").strip()[:20])
            elif note is not None and len(note) > NOTE_MAX:
                problems[key] = _("Ghi chú dài %(n)s ký tự; tối đa %(max)s.", n=len(note),
                                  max=NOTE_MAX)
            else:
                wanted[session_id][application_id] = (status, note)
        for application_id in admitted:
            key = (session_id, application_id)
            if not partial and application_id not in entries[session_id] \
                    and key not in stored:
                problems[key] = _("Chưa điểm danh: chọn có mặt, muộn, có phép hoặc vắng.")
    return wanted, problems


SOURCES = {"photo": "từ ảnh chụp danh sách ký"}


def _from(source: str | None) -> str:
    return f" ({SOURCES[source]})" if source in SOURCES else ""


def _record_first(actor, klass: TrainingClass, saved: Saved, reason: str | None,
                  source: str | None = None) -> None:
    counts = ", ".join(f"{saved.counts[s]} {STATUS_LABELS[s].lower()}" for s in STATUSES
                       if saved.counts[s])
    record(actor, "attendance.mark", "class_session", saved.session.id,
           f"Điểm danh lớp {klass.code}, {session_text(saved.session)}: {saved.created} học "
           f"viên ({counts}){_from(source)}", reason=reason,
           data={"class": klass.id, "created": saved.created, "counts": dict(saved.counts),
                 **({"source": source} if source else {})})


def _record_change(actor, klass: TrainingClass, session: ClassSession, application,
                   old: tuple[str, str], new: tuple[str, str], reason: str | None,
                   op=None) -> None:
    source = getattr(op, "source", None)
    parts = []
    if old[0] != new[0]:
        parts.append(f"{STATUS_LABELS[old[0]]} → {STATUS_LABELS[new[0]]}")
    if old[1] != new[1]:
        parts.append(f"ghi chú “{old[1]}” → “{new[1]}”")
    record(actor, "attendance.change", "class_session", session.id,
           f"Sửa điểm danh lớp {klass.code}, {session_text(session)}, "
           f"{application.cadre.full_name}: {'; '.join(parts)}{_from(source)}", reason=reason,
           data={"class": klass.id, "application": application.id,
                 "cadre": application.cadre_id, **({"source": source} if source else {}),
                 "old": {"status": old[0], "note": old[1]},
                 "new": {"status": new[0], "note": new[1]},
                 "op": getattr(op, "op_id", None), "source": getattr(op, "source", None)})
