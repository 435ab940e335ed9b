"""Applications, eligibility, allocation in the app, promotions and overrides.

Plain domain code: explicit arguments (the class, the acting user, the moment), flush only,
the caller commits once. Every function that changes who holds a seat first takes the class
row lock (`lock_class`: SELECT ... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), then
re-reads the applications, so two coordinators acting at the same moment are serialised and
the seats never exceed the capacity. The counter `classes.admitted_count` is only ever moved
relatively (`admitted_count + delta` in SQL), so the check `admitted_count <= capacity` stays a
real backstop: a path that would overbook fails there (409, nothing written) instead of
overwriting the counter with a count taken from a stale snapshot.

Confirmations, promotions, overrides and withdrawals are written to the audit log.

Messages for the user are in the user's language (gettext); what is written to the database
(the reasons and notes of applications, the audit log) and the preview's fingerprint stay in
Vietnamese whatever the language of the page.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fractions import Fraction
from functools import cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.audit.models import record
from app.classes import allocation, allocation_memo, application_facts, overlap, service
from app.classes.allocation import Allocation, Applicant, Policy
from app.classes.application_facts import ApplicationFacts
from app.classes.models import ACTIVE_APPLICATIONS, Application, TrainingClass
from app.classes.status import shown_label
from app.core import written
from app.core.locking import lock_row
from app.core.refusal import Refusal
from app.courses.models import Course
from app.extensions import db
from app.i18n_markers import N_
from app.people.models import Cadre, Position, Unit, cadre_facts
from app.vietnamese import format_date


class EnrolmentError(Refusal):
    """Refused: a message for the user (in their language) and the HTTP status that fits."""


class NominationProblems(EnrolmentError):
    """Several cadres could not be nominated: (name, message) each; nothing was written."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        text = "; ".join(f"{name}: {msg}" for name, msg in problems[:5])
        super().__init__(_("Chưa đề cử ai: %(problems)s", problems=text), status=422)


# --------------------------------------------------------------------------- locking


def lock_class(class_id: int) -> TrainingClass:
    """Take the class row lock for the rest of the transaction and return the fresh class."""
    klass = lock_row(TrainingClass, class_id)
    if klass is None:
        raise EnrolmentError(_("Không tìm thấy lớp."), status=404)
    return klass


def _applications(klass: TrainingClass, statuses=ACTIVE_APPLICATIONS) -> list[Application]:
    return list(db.session.scalars(
        select(Application).where(Application.class_id == klass.id,
                                  Application.status.in_(statuses))
        .options(*cadre_facts(joinedload(Application.cadre)))
        .order_by(Application.id).execution_options(populate_existing=True)).unique())


def _bump(klass: TrainingClass, delta: int) -> None:
    """Move the seat counter by `delta` in the database (relative, never a snapshot); the check
    constraint refuses a count above the capacity: EnrolmentError 409, the caller rolls back."""
    db.session.flush()  # the applications' own changes first, so their errors stay theirs
    if not delta:
        return
    table = TrainingClass.__table__
    try:
        count = db.session.execute(
            update(table).where(table.c.id == klass.id)
            .values(admitted_count=table.c.admitted_count + delta)
            .returning(table.c.admitted_count)).scalar_one()
    except IntegrityError as exc:
        raise EnrolmentError(_(
            "Lớp chỉ có %(n)s chỗ; thao tác này sẽ vượt quá số chỗ nên chưa lưu gì. Vui lòng tải "
            "lại trang rồi thử lại.", n=klass.capacity)) from exc
    set_committed_value(klass, "admitted_count", count)


def _seat_free(klass: TrainingClass) -> bool:
    """Whether the (locked, fresh) class has a free seat."""
    return klass.admitted_count < klass.capacity


# --------------------------------------------------------------------------- eligibility


# Every commune with the unit it merged into (`unit_roots`): built once, of the table itself
# (SQLAlchemy Core keeps its cache key with it; built per request, with the ORM's set-up for
# a statement of entities: about 0.3 ms of the learner's class list).
_COMMUNE_SUCCESSORS = select(Unit.__table__.c.id, Unit.__table__.c.successor_id).where(
    Unit.__table__.c.kind == "commune")


def unit_roots() -> dict[int, int]:
    """Every commune's current unit (following mergers), in one query."""
    db.session.flush()  # as the session's execute of an ORM statement does: units added are read
    successor = dict(db.session.execute(_COMMUNE_SUCCESSORS).all())

    def root(unit_id: int) -> int:
        seen = set()
        while successor.get(unit_id) is not None and unit_id not in seen:
            seen.add(unit_id)
            unit_id = successor[unit_id]
        return unit_id

    return {unit_id: root(unit_id) for unit_id in successor}


def invited_roots(klass: TrainingClass, roots: dict[int, int]) -> set[int]:
    return {roots.get(u.id, u.id) for u in klass.invited_units}


def eligibility_problem(klass: TrainingClass, cadre: Cadre, roots: dict[int, int] | None = None,
                        invited: set[int] | None = None) -> str | None:
    """Why this cadre cannot be in this class, or None. The commune counts after mergers: a
    cadre is invited when their commune's current unit is invited, or an invited unit has
    merged into it. In the user's language (`force_locale("vi")` for the text to store)."""
    roots = roots if roots is not None else unit_roots()
    invited = invited if invited is not None else invited_roots(klass, roots)
    if not cadre.active:
        return _("Cán bộ đã ngừng theo dõi (không còn hoạt động).")
    if roots.get(cadre.commune_id, cadre.commune_id) not in invited:
        names = ", ".join(u.title for u in klass.invited_units) or _("chưa có xã nào")
        return _("%(commune)s không thuộc các xã được mời dự lớp này (%(names)s).",
                 commune=cadre.commune.title_cap, names=names)
    return None


# --------------------------------------------------------------------------- applying


def self_apply_problem(klass: TrainingClass, today: date) -> str | None:
    """Why a learner cannot apply for themself today, or None. Learners apply while the class
    is open, and after the allocation while the application window is still open (they then
    join the end of the waitlist)."""
    if klass.status == "cancelled":
        return _("Lớp đã bị hủy, không nhận đăng ký.")
    if klass.has_started:
        return _("Lớp %(s)s, không nhận đăng ký.", s=_status(klass.status))
    if klass.status == "planned":
        return _("Lớp chưa mở đăng ký.")
    if klass.in_apply_window(today):
        return None
    if klass.apply_from and today < klass.apply_from:
        return _("Chưa đến thời gian đăng ký (từ ngày %(d)s).", d=format_date(klass.apply_from))
    return _("Đã hết hạn đăng ký (hạn cuối ngày %(d)s).", d=format_date(klass.apply_until))


def _status(status: str) -> str:
    """A class status in lower case, in the user's language, inside a sentence."""
    return shown_label(status).lower()


def _shown(application: Application) -> str:
    """An application's status in lower case, in the user's language, inside a sentence."""
    return _(application.status_label).lower()


# Lines the enrolment adds to an application's reasons (stored in Vietnamese; pages in
# another language translate them by template: app/classes/reasons.py). A moment reads
# "14:16 ngày 12/11/2026" (`_moment`).
R_LATE = N_("Đăng ký sau khi lớp đã xét chọn nên xếp cuối danh sách chờ")
R_WITHDRAWN = N_("Rút tên lúc %(moment)s")
R_WITHDRAWN_WHY = N_("Rút tên lúc %(moment)s. Lý do: %(reason)s")
R_NOT_ELIGIBLE = N_("Không đủ điều kiện: %(problem)s")
R_PROMOTED = N_("Được gọi bổ sung lúc %(moment)s (thứ %(rank)s trong danh sách chờ)")
R_PROMOTED_WITHDRAWAL = N_("Được gọi bổ sung lúc %(moment)s (thứ %(rank)s trong danh sách chờ) "
                           "vào chỗ của %(name)s đã rút tên")
R_PROMOTED_CAPACITY = N_("Được gọi bổ sung lúc %(moment)s (thứ %(rank)s trong danh sách chờ) "
                         "khi số chỗ của lớp tăng từ %(old)s lên %(new)s")
R_PROMOTED_BY_COORDINATOR = N_("Được gọi bổ sung lúc %(moment)s (thứ %(rank)s trong danh sách "
                               "chờ) theo yêu cầu của cán bộ điều phối")
R_PROMOTED_FIRST = N_("Là người đứng đầu danh sách chờ")
R_PROMOTED_RULES = N_("Là người đầu tiên trong danh sách chờ đáp ứng được nhiều nhất các quy "
                      "định xét chọn của lớp (đối tượng bắt buộc, số tối đa của mỗi xã và mỗi "
                      "thôn, số tối thiểu của mỗi thôn, tỷ lệ nữ)")
R_OVERRIDE_ADMIT = N_("Cán bộ điều phối nhận vào lớp lúc %(moment)s. Lý do: %(reason)s")
R_OVERRIDE_WAITLIST = N_("Cán bộ điều phối chuyển sang danh sách chờ lúc %(moment)s. Lý do: "
                         "%(reason)s")
REASON_TEMPLATES = (R_LATE, R_WITHDRAWN, R_WITHDRAWN_WHY, R_NOT_ELIGIBLE, R_PROMOTED,
                    R_PROMOTED_WITHDRAWAL, R_PROMOTED_CAPACITY, R_PROMOTED_BY_COORDINATOR,
                    R_PROMOTED_FIRST, R_PROMOTED_RULES, R_OVERRIDE_ADMIT, R_OVERRIDE_WAITLIST)
# Why seats were filled from the waitlist: the promotion line, and the audit's words.
PROMOTION_CAUSES = {
    "late": (R_PROMOTED, ""),
    "withdrawal": (R_PROMOTED_WITHDRAWAL, " sau khi %(name)s rút tên"),
    "capacity": (R_PROMOTED_CAPACITY, " sau khi số chỗ của lớp tăng từ %(old)s lên %(new)s"),
    "coordinator": (R_PROMOTED_BY_COORDINATOR, " sau khi cán bộ điều phối gọi bổ sung"),
}


def _moment(moment: datetime) -> str:
    """A stored moment (naive UTC) as reasons write it: "14:16 ngày 12/11/2026"."""
    return allocation.moment_text(moment.replace(tzinfo=UTC), seconds=False)


def nomination_problem(klass: TrainingClass) -> str | None:
    """Why coordinators may not nominate to this class now (None: they may)."""
    if klass.takes_nominations:
        return None
    if klass.status == "cancelled":
        return _("Lớp đã bị hủy, không nhận đề cử.")
    return _("Lớp %(s)s, không nhận đề cử.", s=_status(klass.status))


def _check_open_for(klass: TrainingClass, today: date, self_applied: bool) -> None:
    if self_applied:
        problem = self_apply_problem(klass, today)
        if problem:
            raise EnrolmentError(problem)
        return
    problem = nomination_problem(klass)
    if problem:
        raise EnrolmentError(problem)
    # planned, open: an application; allocated: the end of the waitlist (whether or not a seat
    # is free: free seats are then filled from the waitlist in its order).


def _existing(klass: TrainingClass, cadre_ids: list[int]) -> dict[int, Application]:
    if not cadre_ids:
        return {}
    return {a.cadre_id: a for a in db.session.scalars(
        select(Application).where(Application.class_id == klass.id,
                                  Application.cadre_id.in_(cadre_ids))
        .execution_options(populate_existing=True)).unique()}


def _add(actor, klass: TrainingClass, cadre: Cadre, source: str, now: datetime,
         previous: Application | None) -> Application:
    """Create (or revive a withdrawn) application; after allocation it joins the waitlist."""
    late = klass.fills_from_waitlist
    rank = _last_rank(klass) + 1 if late else None  # before any change (autoflush)
    if previous is None:
        application = Application(class_id=klass.id, cadre_id=cadre.id, cadre=cadre, source=source,
                          created_by_id=getattr(actor, "id", None))
        db.session.add(application)
    else:
        application = previous
        application.source = source
        application.note = None
    application.applied_at = now
    application.decided_at = None
    application.score = None
    if late:
        application.status = "waitlisted"
        application.waitlist_rank = rank
        application.reasons = [R_LATE]
    else:
        application.status = "applied"
        application.waitlist_rank = None
        application.reasons = None
    db.session.flush()
    return application


def _last_rank(klass: TrainingClass) -> int:
    return db.session.scalar(select(func.max(Application.waitlist_rank)).where(
        Application.class_id == klass.id, Application.status == "waitlisted")) or 0


def apply(actor, class_id: int, cadre: Cadre | None, now: datetime,
          today: date, *, warn_overlap: bool = False) -> Application:
    """A learner applies for themself (`cadre` is their linked cadre). With `warn_overlap`,
    a class on the days of another of theirs is refused with `overlap.Overlaps`, so the page
    can warn and let them go on."""
    if cadre is None:
        raise EnrolmentError(_("Tài khoản chưa gắn với hồ sơ cán bộ; liên hệ cán bộ điều "
                               "phối."), status=422)
    klass = lock_class(class_id)
    _check_open_for(klass, today, self_applied=True)
    problem = eligibility_problem(klass, cadre)
    if problem:
        raise EnrolmentError(_("Không đăng ký được: %(problem)s", problem=problem), status=422)
    previous = _existing(klass, [cadre.id]).get(cadre.id)
    if previous is not None and previous.status != "withdrawn":
        raise EnrolmentError(_("Bạn đã đăng ký lớp này (%(s)s).", s=_shown(previous)))
    if warn_overlap and (found := overlap.clashes(klass, [cadre.id])):
        raise overlap.Overlaps(found, _(
            "Lớp này trùng ngày với lớp bạn đã đăng ký: %(classes)s. Nếu vẫn muốn đăng ký, "
            "hãy bấm “Vẫn đăng ký”.",
            classes="; ".join(overlap.describe(c) for c in found[cadre.id])))
    application = _add(actor, klass, cadre, "self", now, previous)
    late = klass.fills_from_waitlist
    record(actor, "application.create", "class", klass.id,
           f"{cadre.full_name} đăng ký lớp {klass.code}"
           + (f" sau khi đã xét chọn: thứ {application.waitlist_rank} trong danh sách chờ"
              if late else ""),
           data={"application": application.id, "waitlist_rank": application.waitlist_rank})
    if late:
        fill_free_seats(actor, klass, now, "late")
    return application


def nominate(actor, class_id: int, cadre_ids: list[int], now: datetime, today: date,
             source: str = "nominated", *, warn_overlap: bool = False) -> list[Application]:
    """A coordinator nominates cadres: all of them or none (NominationProblems lists every
    cadre that cannot be nominated, with the reason). With `warn_overlap`, people holding
    another class on these days stop it with `overlap.Overlaps`; the coordinator may go on."""
    klass = lock_class(class_id)
    _check_open_for(klass, today, self_applied=False)
    cadre_ids = list(dict.fromkeys(cadre_ids))
    if not cadre_ids:
        raise EnrolmentError(_("Vui lòng chọn ít nhất một cán bộ để đề cử."), status=400)
    cadres = {c.id: c for c in db.session.scalars(
        select(Cadre).where(Cadre.id.in_(cadre_ids))).unique()}
    existing = _existing(klass, cadre_ids)
    roots = unit_roots()
    invited = invited_roots(klass, roots)
    problems = []
    for cadre_id in cadre_ids:
        cadre = cadres.get(cadre_id)
        if cadre is None:
            problems.append((_("Mã %(id)s", id=cadre_id), _("Không tìm thấy cán bộ.")))
            continue
        problem = eligibility_problem(klass, cadre, roots, invited)
        previous = existing.get(cadre_id)
        if problem is None and previous is not None and previous.status != "withdrawn":
            problem = _("Đã có đơn đăng ký lớp này (%(s)s).", s=_shown(previous))
        if problem:
            problems.append((cadre.full_name, problem))
    if problems:
        raise NominationProblems(problems)
    if warn_overlap and (found := overlap.clashes(klass, cadre_ids)):
        raise overlap.Overlaps(found, _(
            "%(n)s người đã có lớp khác trùng ngày với lớp này. Xem danh sách bên dưới; nếu vẫn "
            "đề cử, hãy bấm “Vẫn đề cử”.", n=len(found)))
    created = [_add(actor, klass, cadres[i], source, now, existing.get(i)) for i in cadre_ids]
    late = klass.fills_from_waitlist
    record(actor, "application.nominate", "class", klass.id,
           f"Đề cử {len(created)} cán bộ vào lớp {klass.code}"
           + (" sau khi đã xét chọn: vào cuối danh sách chờ" if late else ""),
           data={"applications": [a.id for a in created], "source": source})
    if late:
        fill_free_seats(actor, klass, now, "late")
    return created


def nominate_from_file(actor, class_id: int, filename: str, data: bytes, now: datetime,
                       today: date, scope=None) -> tuple[list[Application], int]:
    """Nominate the people of a cadre list (.xlsx/.csv in the cadre template), found as the
    cadre import finds them (`cadre_file.import_file`, create only: people not yet listed are
    added, listed ones are not rewritten). All rows or none. Returns (applications, cadres
    added).

    With the coordinator's `scope` (people/scope.py), a row of a commune outside it is a
    problem at its row, as in the cadre import.

    Raises `cadre_file.ImportProblem` for a file problem, NominationProblems for a person who
    cannot be nominated."""
    from app.people import cadre_file

    outcome = cadre_file.import_file(actor, filename, data, source="nomination",
                                     create_only=True, scope=scope)
    if not outcome.ok:
        raise outcome.refusal()
    added = outcome.summary.created
    created = nominate(actor, class_id, outcome.summary.cadre_ids, now, today,
                       source="imported")
    record(actor, "application.import", "class", class_id,
           f"Đề cử từ tệp {filename}: {len(created)} người ({added} người mới vào danh sách "
           "cán bộ)", data={"file": filename, "added_cadres": added})
    return created, added


def withdrawal_problem(reason: str | None, by_coordinator: bool) -> EnrolmentError | None:
    """A coordinator withdraws someone only with a reason (a learner may give none)."""
    if by_coordinator and not (reason or "").strip():
        return EnrolmentError(_("Vui lòng ghi lý do rút tên."), status=400, field="reason")
    return None


def withdraw(actor, application_id: int, reason: str | None, now: datetime,
             by_coordinator: bool) -> tuple[Application, list[Application]]:
    """Withdraw an application; a freed seat goes to the first on the waitlist who keeps the
    quotas (allocation.promote). Returns (the application, the promoted ones)."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise EnrolmentError(_("Không tìm thấy đơn đăng ký."), status=404)
    klass = lock_class(application.class_id)
    db.session.refresh(application)
    reason = (reason or "").strip() or None
    if problem := withdrawal_problem(reason, by_coordinator):
        raise problem
    if not application.is_active:
        raise EnrolmentError(_("Đơn đăng ký đã ở trạng thái “%(s)s”.",
                               s=_(application.status_label)))
    if not klass.takes_withdrawals:
        raise EnrolmentError(_("Lớp %(s)s, không rút tên được nữa; liên hệ cán bộ điều phối.",
                               s=_status(klass.status)))
    was = application.status
    application.status = "withdrawn"
    application.waitlist_rank = None
    application.decided_at = now
    application.note = reason
    application.reasons = (application.reasons or []) + [
        (R_WITHDRAWN_WHY if reason else R_WITHDRAWN) % {"moment": _moment(now),
                                                        "reason": reason}]
    db.session.flush()
    _renumber(klass)
    _bump(klass, -1 if was == "admitted" else 0)
    who = "cán bộ điều phối" if by_coordinator else "học viên"
    record(actor, "application.withdraw", "class", klass.id,
           f"{application.cadre.full_name} rút tên khỏi lớp {klass.code} (do {who}; trước đó: "
           f"{_label(was)})", reason=reason, data={"application": application.id, "was": was})
    promoted = []
    if was == "admitted" and klass.fills_from_waitlist:
        promoted = fill_free_seats(actor, klass, now, "withdrawal",
                                   name=application.cadre.full_name)
    return application, promoted


def _label(status: str) -> str:
    from app.classes.models import APPLICATION_LABELS

    return APPLICATION_LABELS.get(status, status).lower()


# --------------------------------------------------------------------------- allocation


# Who counts as trained on a topic is decided by attendance, a floor above this one: the
# attendance feature registers its rule at start-up (`register_trained_rule`; the rule is
# `attendance.completion.trained_on`). Without it, being admitted counts (`admitted_to`).
TRAINED_RULE = "classes.trained_rule"


DAILY_RATE_RULE = "classes.daily_rate_rule"


def register_daily_rate_rule(app, rule) -> None:
    """`rule(day)` -> the meal support per day in force on `day` for who organises classes
    (the attendance feature's settings); a new class's form starts with it."""
    app.extensions[DAILY_RATE_RULE] = rule


def default_daily_rate(day) -> int:
    rule = current_app.extensions.get(DAILY_RATE_RULE)
    return rule(day) if rule is not None else 0


def register_trained_rule(app, rule) -> None:
    """`rule(course_ids, exclude_class_id)` -> a select of the cadre ids trained in a started
    class of those courses, other than the one being allocated."""
    app.extensions[TRAINED_RULE] = rule


def admitted_to(course_ids: list[int], exclude_class_id: int):
    """Admitted to a running or finished class of these courses (the rule without attendance)."""
    return (select(Application.cadre_id).join(TrainingClass)
            .where(TrainingClass.course_id.in_(course_ids),
                   TrainingClass.id != exclude_class_id, TrainingClass.has_started,
                   Application.status == "admitted"))


def trained_before(klass: TrainingClass, cadre_ids: list[int] | None = None) -> set[int]:
    """Cadres trained in a running or finished class whose course has the same main topic, by
    the registered rule (attended it: `app/attendance/completion.py`)."""
    topic = klass.topic
    if not topic:
        return set()
    course_ids = [cid for cid, topics in db.session.execute(select(Course.id, Course.topics))
                  if topics and topics[0] == topic]
    if not course_ids:
        return set()
    rule = current_app.extensions.get(TRAINED_RULE, admitted_to)
    return set(db.session.scalars(rule(course_ids, klass.id)))


KINH = "01"  # ethnicity code of the Kinh (Quyết định 1019/QĐ-TCTK); any other: a minority


def _village_of(cadre: Cadre, roots: dict[int, int]) -> int | None:
    """The cadre's village when it lies in their commune (after mergers), else None."""
    village = cadre.village
    if village is None or village.parent_id is None:
        return None
    commune = roots.get(cadre.commune_id, cadre.commune_id)
    return village.id if roots.get(village.parent_id, village.parent_id) == commune else None


def _applicant(a: Application, roots: dict[int, int], trained: set[int]) -> allocation_memo.Input:
    """An application as the allocation reads it (`allocation.Applicant`'s fields, as a plain
    tuple: `allocation_memo.Input`)."""
    cadre = a.cadre
    position = cadre.position
    return allocation_memo.Input(
        a.id, cadre.gender, cadre.is_village_leader, roots.get(cadre.commune_id, cadre.commune_id),
        a.cadre_id in trained,
        a.applied_at.replace(tzinfo=UTC),  # stored naive UTC; reasons: Vietnam time
        _village_of(cadre, roots), position.code if position else None,
        cadre.ethnicity_code not in (None, "", KINH))


def _to_applicants(klass: TrainingClass, apps: list[Application],
                   roots: dict[int, int]) -> dict[int, Applicant]:
    trained = trained_before(klass)
    return {a.id: Applicant(*_applicant(a, roots, trained)) for a in apps}


def _units(ids) -> dict[int, Unit]:
    """These units: those this request has read already (the applicants' communes and
    villages) from the session, the others (a commune they merged into) in one statement."""
    found, missing = {}, []
    for unit_id in ids:
        unit = db.session.identity_map.get(identity_key(Unit, unit_id))
        if unit is None:
            missing.append(unit_id)
        else:
            found[unit_id] = unit
    if missing:
        found.update((u.id, u) for u in db.session.scalars(select(Unit).where(
            Unit.id.in_(missing))))
    return found


def _places(applicants, units: dict[int, Unit]) -> dict[int, str]:
    """How reasons name the communes and villages of these applicants: "xã Sơn Hà",
    "thôn Gò Da, xã Sơn Hà"."""
    places = {u: units[u].title for u in {a.unit_id for a in applicants}}
    for a in applicants:
        if a.village_id is not None:
            places[a.village_id] = f"{units[a.village_id].title}, {places[a.unit_id]}"
    return places


@dataclass
class PreviewRow:
    application: Application
    admitted: bool
    position: int  # 1-based within its list
    score: Fraction  # exact priority points
    reasons: list[str]
    trained_before: bool


class PreviewRows(Sequence[PreviewRow]):
    """A preview's admitted or waitlist, each row made when read: a page shows one page of
    each list (a waitlist of 570 made 570 rows for none shown)."""

    def __init__(self, ids: list[int], admitted: bool,
                 make: Callable[[int, bool, int], PreviewRow]) -> None:
        self._ids, self._admitted, self._make = ids, admitted, make

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._make(self._ids[i], self._admitted, i + 1)
                    for i in range(len(self._ids))[index]]
        i = range(len(self._ids))[index]  # IndexError beyond the end, as a list
        return self._make(self._ids[i], self._admitted, i + 1)


@dataclass
class UnitFigure:
    unit: Unit
    applicants: int
    women: int
    admitted: int
    admitted_women: int


@dataclass
class Preview:
    klass: TrainingClass
    policy: Policy
    result: Allocation
    admitted: PreviewRows
    waitlist: PreviewRows
    rejected: list[tuple[Application, str]]  # the reason in the user's language (shown)
    units: list[UnitFigure]
    fingerprint: str
    women_applied: int = 0
    leaders_admitted: int = 0
    notes: list[str] = field(default_factory=list)
    # The same reasons in Vietnamese: fingerprinted and written to the applications, so that
    # the language of the page changes neither the record nor the confirmation.
    rejected_vi: list[tuple[Application, str]] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return len(self.admitted)


def fingerprint(klass: TrainingClass, policy: Policy, result: Allocation,
                rejected: list[tuple[Application, str]]) -> str:
    """The result a preview shows, as it would be written: who is admitted, waitlisted (in
    order, with their exact points and reasons) and rejected (with the reason), under which
    policy and capacity. Confirming recomputes it under the lock and refuses any difference,
    whatever caused it (an application, a cadre's gender, commune, position or activity, an
    invited commune, a class trained in the meantime...). The digest of the decisions is
    remembered with the (remembered) result: it depends on nothing else."""
    payload = {
        "class": klass.id, "capacity": klass.capacity,
        "policy": policy.as_dict(),
        "decisions": allocation_memo.derived(result, "decisions", _decisions),
        "rejected": sorted([a.id, problem] for a, problem in rejected),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _decisions(result: Allocation) -> str:
    """The digest of who is admitted and waitlisted, in order, with their exact points and
    reasons."""
    def decided(ids: list[int]) -> list:
        return [[i, str(result.score[i]), result.reasons[i]] for i in ids]

    text = json.dumps({"admitted": decided(result.admitted),
                       "waitlist": decided(result.waitlist)}, sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def preview(klass: TrainingClass, policy: Policy,
            loaded: list[Application] | None = None) -> Preview:
    """Run the allocation on the class's pending applications without writing anything.
    `loaded`: the class's applications with their cadres' facts, read in this request (the
    applications page's `class_applications`), so they are not read a second time."""
    if loaded is None:
        apps = _applications(klass, ("applied",))
    else:
        apps = sorted((a for a in loaded if a.status == "applied"), key=lambda a: a.id)
    roots = unit_roots()
    invited = invited_roots(klass, roots)
    rejected, rejected_vi, considered = [], [], []
    for a in apps:
        problem = eligibility_problem(klass, a.cadre, roots, invited)
        if problem:
            rejected.append((a, problem))
            with force_locale("vi"):
                rejected_vi.append((a, eligibility_problem(klass, a.cadre, roots, invited)))
        else:
            considered.append(a)
    trained = trained_before(klass)
    applicants = [_applicant(a, roots, trained) for a in considered]
    units = _units({a.unit_id for a in applicants}
                   | {a.village_id for a in applicants if a.village_id is not None})
    # the names of the positions the applicants hold (the reasons name no other)
    positions = {p.code: p.name for p in {a.cadre.position for a in considered} if p}
    result = allocation_memo.allocate(klass.capacity, applicants, policy,
                                      places=_places(applicants, units), positions=positions)
    by_id = {a.id: a for a in considered}
    facts = {a.id: a for a in applicants}

    def row(i: int, admitted: bool, n: int) -> PreviewRow:
        return PreviewRow(by_id[i], admitted, n, result.score[i], result.reasons[i],
                          facts[i].trained_before)

    admitted_set = set(result.admitted)
    figures: dict[int, UnitFigure] = {}
    women = leaders = 0
    for a in applicants:
        fig = figures.get(a.unit_id)
        if fig is None:
            fig = figures[a.unit_id] = UnitFigure(units[a.unit_id], 0, 0, 0, 0)
        woman = a.gender == "F"
        fig.applicants += 1
        fig.women += woman
        women += woman
        if a.id in admitted_set:
            fig.admitted += 1
            fig.admitted_women += woman
            leaders += a.village_leader
    from app.vietnamese import text_sort_key

    return Preview(
        klass=klass, policy=policy, result=result,
        admitted=PreviewRows(result.admitted, True, row),
        waitlist=PreviewRows(result.waitlist, False, row),
        rejected=rejected, rejected_vi=rejected_vi,
        units=sorted(figures.values(), key=lambda f: text_sort_key(f.unit.name)),
        fingerprint=fingerprint(klass, policy, result, rejected_vi),
        women_applied=women, leaders_admitted=leaders,
        notes=_notes(klass, policy, facts, result, roots, invited),
    )


def _notes(klass: TrainingClass, policy: Policy, applicants: dict[int, allocation_memo.Input],
           result: Allocation, roots: dict[int, int], invited: set[int]) -> list[str]:
    """What the coordinator should know before confirming, in their language: required roles
    nobody holds in a village (or commune), villages below their minimum. The seats are
    allocated all the same: none is left empty for a role or a village that has nobody."""
    if not policy.required_positions and not policy.min_per_village:
        return []
    notes = []
    communes = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(invited)))}
    villages = sorted(
        (v for v in db.session.scalars(select(Unit).where(
            Unit.kind == "village",
            Unit.parent_id.in_([c for c, r in roots.items() if r in invited])))
         if v.is_valid_on(klass.start_date)),
        key=lambda v: (communes[roots[v.parent_id]].name, v.name))

    def village_name(v: Unit) -> str:
        return f"{v.title}, {communes[roots[v.parent_id]].title}"

    def listed(names: list[str]) -> str:
        if len(names) <= 12:
            return "; ".join(names)
        return _("%(names)s và %(n)s nơi khác", names="; ".join(names[:10]), n=len(names) - 10)

    seats = min(klass.capacity, len(applicants))
    if len(result.required) > seats:
        notes.append(_("%(n)s người thuộc đối tượng bắt buộc đăng ký, nhiều hơn %(c)s chỗ của "
                       "lớp: chỉ xét chọn giữa những người này.", n=len(result.required),
                       c=seats))
    held = {(a.position, a.village_id) for a in applicants.values()}
    held |= {(a.position, ("commune", a.unit_id)) for a in applicants.values()}
    for position in db.session.scalars(select(Position).where(
            Position.code.in_(policy.required_positions)).order_by(Position.sort_order)):
        if position.level == "village":
            missing = [village_name(v) for v in villages if (position.code, v.id) not in held]
            if missing:
                notes.append(_("Chưa có ai là “%(position)s” (đối tượng bắt buộc) đăng ký ở "
                               "%(n)s thôn: %(names)s. Các chỗ vẫn được xét chọn cho người "
                               "khác, không để trống.", position=position.name, n=len(missing),
                               names=listed(missing)))
        elif position.level == "commune":
            missing = [c.title for c in sorted(communes.values(), key=lambda c: c.name)
                       if (position.code, ("commune", c.id)) not in held]
            if missing:
                notes.append(_("Chưa có ai là “%(position)s” (đối tượng bắt buộc) đăng ký ở "
                               "%(n)s xã: %(names)s. Các chỗ vẫn được xét chọn cho người khác, "
                               "không để trống.", position=position.name, n=len(missing),
                               names=listed(missing)))
        elif not any(code == position.code for code, _where in held):
            notes.append(_("Chưa có ai là “%(position)s” (đối tượng bắt buộc) đăng ký. Các chỗ "
                           "vẫn được xét chọn cho người khác, không để trống.",
                           position=position.name))
    if policy.min_per_village:
        least = policy.min_per_village
        applied = Counter(a.village_id for a in applicants.values() if a.village_id is not None)
        few = [f"{village_name(v)} ({applied[v.id]})" for v in villages
               if applied[v.id] < least]
        if few:
            notes.append(_("Có %(n)s thôn đăng ký chưa đủ %(m)s người (số tối thiểu mỗi thôn; "
                           "trong ngoặc là số người đăng ký): %(names)s.", n=len(few), m=least,
                           names=listed(few)))
        by_id = {v.id: v for v in villages}
        short = [f"{village_name(by_id[v])} ({result.per_village[v]})"
                 for v in result.village_shortfall if v in by_id]
        if short:
            notes.append(_("Số chỗ của lớp hoặc số chỗ tối đa của xã không đủ để mỗi thôn có ít "
                           "nhất %(m)s người; %(n)s thôn được chọn ít hơn (trong ngoặc là số "
                           "người được chọn): %(names)s.", m=least, n=len(short),
                           names=listed(short)))
    return notes


def confirm_allocation(actor, class_id: int, policy: Policy, expected: str,
                       now: datetime) -> Preview:
    """Confirm the allocation seen in the preview: under the class lock, refuse if the class
    or its applications changed since (`expected` fingerprint), then write every decision
    with its reasons, store the policy, set the class "allocated" and audit it."""
    from app.classes.status import check_transition

    klass = lock_class(class_id)
    if klass.status != "open":
        if klass.status == "allocated":
            raise EnrolmentError(_("Lớp đã được xét chọn (có thể bởi người khác vừa xác "
                                   "nhận); hãy tải lại trang."))
        raise EnrolmentError(_("Chỉ xét chọn được khi lớp đang mở đăng ký (hiện tại: “%(s)s”).",
                               s=_(klass.status_label)))
    check_transition(klass.status, "allocated", workflow=True)
    result = preview(klass, policy)
    if result.fingerprint != expected:
        raise EnrolmentError(_("Kết quả xét chọn đã thay đổi kể từ khi xem trước (đơn đăng "
                               "ký, hồ sơ cán bộ, xã được mời hoặc chính sách đã đổi); chưa lưu "
                               "gì. Hãy xem lại kết quả rồi xác nhận."))
    if not result.admitted and not result.waitlist:
        raise EnrolmentError(_("Lớp chưa có đơn đăng ký hợp lệ nào để xét chọn."), status=422)
    for row in result.admitted:
        _decide(row.application, "admitted", None, row.score, row.reasons, now)
    for row in result.waitlist:
        _decide(row.application, "waitlisted", row.position, row.score, row.reasons, now)
    for application, problem in result.rejected_vi:
        _decide(application, "rejected", None, None, [R_NOT_ELIGIBLE % {"problem": problem}], now)
        application.note = problem
    klass.policy = policy
    klass.status = "allocated"
    klass.allocated_at = now
    klass.allocated_by_id = getattr(actor, "id", None)
    _bump(klass, len(result.admitted))
    r = result.result
    record(actor, "class.allocate", "class", klass.id,
           f"Xác nhận xét chọn lớp {klass.code}: {len(r.admitted)} người được triệu tập "
           f"({r.women_admitted} nữ), {len(r.waitlist)} người trong danh sách chờ, "
           f"{len(result.rejected)} đơn không đủ điều kiện",
           data={"admitted": r.admitted, "waitlist": r.waitlist,
                 "rejected": [a.id for a, _p in result.rejected],
                 "women_admitted": r.women_admitted, "women_required": r.women_required,
                 "unit_limit": r.unit_limit, "per_unit": {str(k): v for k, v in
                                                          r.per_unit.items()},
                 "policy": policy.as_dict()})
    return result


def _decide(application: Application, status: str, rank: int | None, score: Fraction | None,
            reasons: list[str], now: datetime) -> None:
    application.status = status
    application.waitlist_rank = rank
    application.score = float(score) if score is not None else None
    application.reasons = list(reasons)
    application.decided_at = now


def _renumber(klass: TrainingClass) -> None:
    waiting = db.session.scalars(
        select(Application).where(Application.class_id == klass.id,
                                  Application.status == "waitlisted")
        .order_by(Application.waitlist_rank, Application.id)).unique().all()
    for n, application in enumerate(waiting, 1):
        application.waitlist_rank = n
    db.session.flush()


def fill_free_seats(actor, klass: TrainingClass, now: datetime, cause: str = "late",
                    **detail) -> list[Application]:
    """Promote from the waitlist while seats are free (the caller holds the class lock).
    `cause` is a key of PROMOTION_CAUSES, `detail` the values its texts name."""
    line, after = PROMOTION_CAUSES[cause]
    after = after % detail
    if not klass.fills_from_waitlist:
        return []
    apps = _applications(klass, ("admitted", "waitlisted"))
    roots = unit_roots()
    applicants = _to_applicants(klass, apps, roots)
    admitted = [a for a in apps if a.status == "admitted"]
    waiting = sorted((a for a in apps if a.status == "waitlisted"),
                     key=lambda a: (a.waitlist_rank, a.id))
    policy = klass.policy
    promoted = []
    while True:
        chosen = allocation.promote(klass.capacity, [applicants[a.id] for a in admitted],
                                    [applicants[a.id] for a in waiting], policy)
        if chosen is None:
            break
        application = next(a for a in waiting if a.id == chosen)
        first = waiting[0]
        waiting.remove(application)
        admitted.append(application)
        rank = application.waitlist_rank
        application.status = "admitted"
        application.waitlist_rank = None
        application.decided_at = now
        application.reasons = (application.reasons or []) + [
            line % {"moment": _moment(now), "rank": rank, **detail},
            R_PROMOTED_FIRST if application is first else R_PROMOTED_RULES]
        db.session.flush()
        record(actor, "application.promote", "class", klass.id,
               f"{application.cadre.full_name} được gọi bổ sung từ danh sách chờ (thứ {rank}) "
               f"vào lớp {klass.code}{after}",
               data={"application": application.id, "waitlist_rank": rank})
        promoted.append(application)
    _renumber(klass)
    _bump(klass, len(promoted))
    return promoted


OVERRIDE_ACTIONS = {"admit": "Nhận vào lớp", "waitlist": "Chuyển sang danh sách chờ"}


def override(actor, application_id: int, action: str, reason: str | None,
             now: datetime) -> Application:
    """A coordinator's decision against the allocation, with a written reason (required).

    "admit": a waitlisted applicant takes a free seat (refused when the class is full);
    "waitlist": an admitted learner goes to the end of the waitlist (the seat stays free
    until someone is admitted or the coordinator fills it from the waitlist)."""
    reason = (reason or "").strip()
    if action not in OVERRIDE_ACTIONS:
        raise EnrolmentError(_("Thao tác không hợp lệ."), status=400)
    if len(reason) < 5:
        raise EnrolmentError(_("Vui lòng ghi rõ lý do (ít nhất 5 ký tự) cho quyết định này."),
                             status=400, field="reason")
    application = db.session.get(Application, application_id)
    if application is None:
        raise EnrolmentError(_("Không tìm thấy đơn đăng ký."), status=404)
    klass = lock_class(application.class_id)
    db.session.refresh(application)
    if not klass.takes_overrides:
        raise EnrolmentError(_("Chỉ điều chỉnh được sau khi đã xác nhận xét chọn và trước khi "
                               "lớp kết thúc."))
    was = application.status
    if action == "admit":
        if application.status != "waitlisted":
            raise EnrolmentError(_("Chỉ nhận được người trong danh sách chờ (hiện tại: "
                                   "%(s)s).", s=_shown(application)))
        if not _seat_free(klass):
            raise EnrolmentError(_(
                "Lớp đã đủ %(n)s chỗ; hãy chuyển một người sang danh sách chờ trước khi nhận "
                "thêm.", n=klass.capacity))
        application.status = "admitted"
        application.waitlist_rank = None
    else:
        if application.status != "admitted":
            raise EnrolmentError(_("Chỉ chuyển được người đang được triệu tập (hiện tại: "
                                   "%(s)s).", s=_shown(application)))
        rank = _last_rank(klass) + 1  # queried before the change (autoflush)
        application.status = "waitlisted"
        application.waitlist_rank = rank
    application.decided_at = now
    template = R_OVERRIDE_ADMIT if action == "admit" else R_OVERRIDE_WAITLIST
    application.reasons = (application.reasons or []) + [
        template % {"moment": _moment(now), "reason": reason}]
    db.session.flush()
    _renumber(klass)
    _bump(klass, 1 if action == "admit" else -1)
    record(actor, "application.override", "class", klass.id,
           f"{OVERRIDE_ACTIONS[action]}: {application.cadre.full_name} (lớp {klass.code}; "
           f"trước đó: {_label(was)})", reason=reason,
           data={"application": application.id, "action": action, "was": was})
    return application


def fill(actor, class_id: int, now: datetime) -> list[Application]:
    """The coordinator's "fill the free seats from the waitlist" button."""
    klass = lock_class(class_id)
    if not klass.fills_from_waitlist:
        raise EnrolmentError(_("Chỉ gọi bổ sung được khi lớp đã xét chọn và chưa bắt đầu."))
    return fill_free_seats(actor, klass, now, "coordinator")


def update_class(actor, class_id: int, data: service.ClassData,
                 now: datetime) -> tuple[bool, list[Application]]:
    """Edit a class under its row lock (the capacity against the seats given out); when the
    capacity of an allocated class grows, the new seats are filled from the waitlist at once
    (each promotion audited). Returns (whether anything changed, the promoted ones)."""
    klass = lock_class(class_id)
    before = klass.capacity
    changed = service.update_class(actor, klass, data)
    promoted = []
    if klass.fills_from_waitlist and klass.capacity > before:
        promoted = fill_free_seats(actor, klass, now, "capacity", old=before,
                                   new=klass.capacity)
    return changed, promoted


# --------------------------------------------------------------------------- reading


def person_key(cadre: Cadre) -> tuple[str, int, int]:
    """The one order of people on the class pages and papers: Vietnamese name order, then
    birth year, then the cadre's id (people with the same name always in the same order). The
    name's key is stored with the cadre (`Cadre.sort_key`, filled by `set_name`)."""
    return cadre.sort_key, cadre.birth_year, cadre.id


PERSON_ORDER = (Cadre.sort_key, Cadre.birth_year, Cadre.id)  # person_key, in SQL


def admitted_cadres(klass: TrainingClass) -> list[Cadre]:
    """The admitted learners in Vietnamese name order (for the lists and papers)."""
    return list(db.session.scalars(_admitted_select(), {"class_id": klass.id}).unique())


@cache
def _admitted_select():
    """`admitted_cadres`' statement, built once per process (the class a parameter): SQLAlchemy
    keeps a statement's cache key with it, so a request neither builds it nor works its key
    out again (the class page's list of nobody: 0.68 ms, 0.12 so)."""
    return (select(Cadre).join(Application, Application.cadre_id == Cadre.id)
            .where(Application.class_id == bindparam("class_id"),
                   Application.status == written.word("admitted"))
            .options(*cadre_facts()).order_by(*PERSON_ORDER))


def class_applications(klass: TrainingClass, *, ordered: bool = True) -> list[ApplicationFacts]:
    """All applications of a class with their cadres' facts (one query, plain values:
    app/classes/application_facts.py), ranked for display (`display_key`); not `ordered`: in
    the order of their ids, for a page that sorts each list when it shows it (a folded list of
    600 is not). For reading: a change reads the applications it changes as ORM objects
    (`_applications`)."""
    apps = application_facts.of_class(klass.id)
    return sorted(apps, key=display_key) if ordered else apps


_STATUS_ORDER = {"admitted": 0, "waitlisted": 1, "applied": 2, "rejected": 3, "withdrawn": 4}


def display_key(a: ApplicationFacts) -> tuple:
    """The order of a class's applications on its pages: by status (admitted, waitlisted,
    applied, rejected, withdrawn); the admitted in the allocation's order (those admitted later
    after them), the waitlist in its order; then `person_key`."""
    if a.status == "admitted":
        place = allocation.admitted_place(a.reasons)
        rank = place[0] if place else 1_000_000
    else:
        rank = a.waitlist_rank or 0
    return _STATUS_ORDER[a.status], rank, *person_key(a.cadre)
