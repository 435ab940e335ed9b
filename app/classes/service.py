"""Class workflows: create, edit, copy, sessions, status changes (no request objects here).

Functions take the acting user and plain values, flush, write audit entries where something
must not be lost (in Vietnamese), and raise `ClassInputError` on bad input (messages by field,
in the user's language). The caller (view, CLI, demo) commits.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.models import record
from app.auth.models import User
from app.auth.service import active_trainers
from app.classes import program_fields
from app.classes import status as st
from app.classes.allocation import Policy
from app.classes.models import DEFAULT_TIMES, PARTS, ClassSession, TrainingClass
from app.core.refusal import Refusal
from app.documents.models import OrgInfo, org_info
from app.extensions import db
from app.i18n_markers import N_
from app.people.models import Position, Unit
from app.vietnamese import format_date, nfc


class ClassInputError(Refusal, ValueError):
    """Bad input: `errors` maps a form field name to its messages (in the user's language)."""

    def __init__(self, errors: dict[str, list[str]] | str, status: int = 400):
        if isinstance(errors, str):
            errors = {"": [errors]}
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs), status)


@dataclass
class ClassData:
    code: str
    title: str
    place: str
    start_date: date
    end_date: date
    capacity: int
    course_id: int | None = None
    apply_from: date | None = None
    apply_until: date | None = None
    description: str = ""
    min_attendance_pct: int = 80
    quiz_required: bool = False
    daily_rate: int = 0
    trainer_ids: list[int] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    # The priority policy (allocation.Policy, with its defaults).
    min_women_share: float = Policy.min_women_share
    max_per_unit: int | None = None
    weight_woman: float = Policy.weight_woman
    weight_village_leader: float = Policy.weight_village_leader
    weight_not_trained: float = Policy.weight_not_trained
    weight_ethnic_minority: float = Policy.weight_ethnic_minority
    required_positions: list[str] = field(default_factory=list)
    min_per_village: int = Policy.min_per_village
    max_per_village: int | None = None
    # The program it belongs to (app/programs; app/classes/program_fields.py).
    program_id: int | None = None
    component_id: int | None = None
    activity_type_id: int | None = None
    funding_source_id: int | None = None
    plan_id: int | None = None
    # The convening document (papers)
    convene_kind: str = "decision"
    convene_number: str | None = None
    convene_date: date | None = None

    def __post_init__(self):
        self.code = nfc(self.code).upper()
        self.title = nfc(self.title)
        self.place = nfc(self.place)
        self.description = (self.description or "").strip()
        self.convene_number = tidy_number(self.convene_number)

    @classmethod
    def of(cls, klass: TrainingClass) -> ClassData:
        return cls(**{name: getattr(klass, name) for name in SCALARS},
                   trainer_ids=[u.id for u in klass.trainers],
                   unit_ids=[u.id for u in klass.invited_units])


SCALARS = ("code", "title", "place", "start_date", "end_date", "capacity", "course_id",
           "apply_from", "apply_until", "description", "min_attendance_pct", "quiz_required",
           "daily_rate", "min_women_share", "max_per_unit", "weight_woman",
           "weight_village_leader", "weight_not_trained", "weight_ethnic_minority",
           "required_positions", "min_per_village", "max_per_village",
           "convene_kind", "convene_number", "convene_date")
SCALARS += program_fields.FIELDS  # the program it belongs to (app/programs)


# --------------------------------------------------------------------------- convening

# The document that convenes a class; the admitted list is printed as its annex. Quyết định
# and Giấy mời are types of administrative document of Nghị định 30/2020/NĐ-CP, abbreviated
# QĐ and GM in its Phụ lục III; Giấy triệu tập is not in that list (as far as we could read
# it), and "GTT" is the abbreviation in common use (docs/PAPERS.md).
CONVENE_KINDS = ("decision", "summons", "invitation")
CONVENE_LABELS = {"decision": N_("Quyết định"), "summons": N_("Giấy triệu tập"),
                  "invitation": N_("Giấy mời")}
CONVENE_ABBREVIATIONS = {"decision": "QĐ", "summons": "GTT", "invitation": "GM"}
# "15/QĐ-UBND": the number, "/", the type's abbreviation, "-", the issuer's code (letters and
# digits, parts joined by "-": "UBND", "SNNMT", "UBND-VHXH").
NUMBER_FORM = re.compile(r"(0*[1-9]\d{0,5})/([A-ZĐ]+)-([A-ZĐ0-9&]+(?:-[A-ZĐ0-9&]+)*)")


def tidy_number(value: str | None) -> str | None:
    """A typed document number as it is written: NFC, capitals, no spaces ("15 / qđ-ubnd" ->
    "15/QĐ-UBND"); None when blank."""
    value = "".join(nfc(value or "").split()).upper()
    return value or None


def number_problem(kind: str, number: str, org: OrgInfo) -> str | None:
    """Why `number` is not the number of a `kind` document, with the expected form (in the
    reader's language), or None."""
    abbreviation = CONVENE_ABBREVIATIONS.get(kind, "QĐ")
    example = f"15/{abbreviation}-{org.number_suffix or 'UBND'}"
    match = NUMBER_FORM.fullmatch(number)
    if match is None:
        return _("Số văn bản phải có dạng %(example)s: số thứ tự, dấu “/”, chữ viết tắt tên "
                 "loại văn bản (%(abbr)s), dấu “-”, ký hiệu cơ quan ban hành.",
                 example=example, abbr=abbreviation)
    if match.group(2) != abbreviation:
        return _("Số của %(kind)s có chữ viết tắt %(abbr)s, ví dụ %(example)s; “%(typed)s” "
                 "không phải.", kind=_(CONVENE_LABELS[kind]).lower(), abbr=abbreviation,
                 example=example, typed=match.group(2))
    return None


def governs(issuer: Unit, level: str, commune: Unit) -> bool:
    """Whether a commune lies in the unit the issuer governs: the commune itself, a commune
    of the district, a commune of the province (through its district before 2025)."""
    if level == "commune":
        return commune.id == issuer.id
    unit, seen = commune.parent, set()
    while unit is not None and unit.id not in seen:
        if unit.id == issuer.id:
            return True
        seen.add(unit.id)
        unit = unit.parent
    return False


def _issuer_unit(org: OrgInfo) -> Unit | None:
    return db.session.get(Unit, org.unit_id) if org.unit_id else None


def invitable_units(org: OrgInfo | None = None, keep: list[Unit] = ()) -> list[Unit]:
    """The communes the class form offers: those the issuer governs (`governs`) as they are on
    the issuer's last day (today for a current one: xã Sơn Hà offers xã Sơn Hà; the former
    district, its communes before 01/07/2025), plus `keep` (those a class already invites).
    Until the settings name the issuer's unit, every current commune (a cadre of a merged
    commune belongs to its successor)."""
    from app.people.queries import communes
    from app.timeutil import local_today

    org = org or org_info()
    issuer = _issuer_unit(org)
    if issuer is None:
        units = communes(current_only=True)
    else:
        day = local_today()
        if issuer.valid_to is not None and issuer.valid_to < day:
            day = issuer.valid_to
        units = [u for u in communes() if u.is_valid_on(day) and governs(issuer, org.level, u)]
    ids = {u.id for u in units}
    return units + [u for u in keep if u.id not in ids]


def _period(start: date, end: date) -> str:
    if start == end:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"


def scope_problems(org: OrgInfo, units: list[Unit], start: date, end: date) -> list[str]:
    """Why the issuer may not convene these communes for a class on these dates (in the
    reader's language), following the units valid on those dates: a commune convenes itself,
    a district (until 30/06/2025) its communes, a province the communes of the province.
    Empty when the settings do not name the issuer's unit yet."""
    issuer = _issuer_unit(org)
    if issuer is None or start is None or end is None or end < start:
        return []
    problems = []
    period = _period(start, end)
    if not (issuer.is_valid_on(start) and issuer.is_valid_on(end)):
        problems.append(_("%(issuer)s không có trong thời gian lớp học (%(period)s): "
                          "%(unit)s có %(validity)s. Lớp này do cơ quan có thẩm quyền lúc đó "
                          "triệu tập.", issuer=org.body_name, period=period,
                          unit=issuer.title_cap, validity=issuer.validity_text))
        return problems
    for unit in units:
        if not (unit.is_valid_on(start) and unit.is_valid_on(end)):
            successor = unit.current()
            if successor is not unit:
                problems.append(_("%(unit)s chỉ có %(validity)s (đã sáp nhập vào "
                                  "%(successor)s): lớp học %(period)s mời %(successor)s.",
                                  unit=unit.title_cap, validity=unit.validity_text,
                                  successor=successor.title, period=period))
            else:
                problems.append(_("%(unit)s chỉ có %(validity)s, không có trong thời gian "
                                  "lớp học (%(period)s).", unit=unit.title_cap,
                                  validity=unit.validity_text, period=period))
    outside = [u for u in units if not governs(issuer, org.level, u)]
    if outside:
        names = ", ".join(u.title for u in outside)
        if org.level == "commune":
            problems.append(_("%(issuer)s chỉ triệu tập, mời được cán bộ của %(unit)s; lớp "
                              "cho nhiều xã do tỉnh tổ chức (sở hoặc Ủy ban nhân dân tỉnh). "
                              "Không mời được: %(names)s.", issuer=org.body_name,
                              unit=issuer.title, names=names))
        elif org.level == "district":
            problems.append(_("%(issuer)s chỉ mời được các xã, thị trấn của %(unit)s. Không "
                              "mời được: %(names)s.", issuer=org.body_name,
                              unit=issuer.title, names=names))
        else:
            problems.append(_("%(issuer)s chỉ mời được các xã của %(unit)s. Không mời được: "
                              "%(names)s.", issuer=org.body_name, unit=issuer.title,
                              names=names))
    return problems


def _validate(data: ClassData, klass: TrainingClass | None,
              shift: timedelta | None = None, sessions: list[ClassSession] = (),
              check_scope: bool = True) -> None:
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.code:
        err("code", _("Vui lòng nhập mã lớp."))
    else:
        query = select(TrainingClass.id).where(func.upper(TrainingClass.code) == data.code)
        if klass is not None and klass.id is not None:
            query = query.where(TrainingClass.id != klass.id)
        if db.session.scalar(query) is not None:
            err("code", _("Mã lớp %(code)s đã được dùng cho lớp khác.", code=data.code))
    if not data.title:
        err("title", _("Vui lòng nhập tên lớp."))
    if not data.place:
        err("place", _("Vui lòng nhập địa điểm."))
    if data.capacity is None or data.capacity < 1:
        err("capacity", _("Số chỗ phải là số nguyên lớn hơn 0."))
    elif klass is not None and klass.id is not None and data.capacity < klass.admitted_count:
        err("capacity", _("Đã có %(n)s người được triệu tập; số chỗ không thể nhỏ hơn số đó.",
                          n=klass.admitted_count))
    if data.start_date and data.end_date and data.end_date < data.start_date:
        err("end_date", _("Ngày kết thúc phải trùng hoặc sau ngày bắt đầu."))
    if data.apply_from and data.apply_until and data.apply_until < data.apply_from:
        err("apply_until", _("Hạn cuối đăng ký phải trùng hoặc sau ngày mở đăng ký."))
    if data.apply_until and data.start_date and data.apply_until > data.start_date:
        err("apply_until", _("Hạn cuối đăng ký không được sau ngày bắt đầu lớp."))
    if data.apply_from and data.start_date and data.apply_from > data.start_date:
        err("apply_from", _("Ngày mở đăng ký không được sau ngày bắt đầu lớp."))
    if not 0 <= (data.min_attendance_pct or 0) <= 100:
        err("min_attendance_pct", _("Tỷ lệ tham dự tối thiểu phải từ 0 đến 100%."))
    if data.daily_rate is None or data.daily_rate < 0:
        err("daily_rate", _("Mức hỗ trợ mỗi ngày không được âm."))
    if not data.unit_ids:
        err("unit_ids", _("Vui lòng chọn ít nhất một xã được mời."))
    else:
        found = set(db.session.scalars(select(Unit.id).where(
            Unit.id.in_(data.unit_ids), Unit.kind == "commune")))
        if found != set(data.unit_ids):
            err("unit_ids", _("Có xã không hợp lệ trong danh sách được mời."))
        elif check_scope:
            units = list(db.session.scalars(select(Unit).where(Unit.id.in_(data.unit_ids))))
            for problem in scope_problems(org_info(), units, data.start_date, data.end_date):
                err("unit_ids", problem)
    if data.convene_kind not in CONVENE_KINDS:
        err("convene_kind", _("Vui lòng chọn loại văn bản triệu tập lớp."))
    elif data.convene_number:
        problem = number_problem(data.convene_kind, data.convene_number, org_info())
        if problem:
            err("convene_number", problem)
    if data.convene_date and data.start_date and data.convene_date > data.start_date:
        err("convene_date", _("Văn bản triệu tập phải ban hành trước khi lớp học bắt đầu "
                              "(%(start)s).", start=format_date(data.start_date)))
    if data.trainer_ids:
        valid = {u.id for u in active_trainers()}
        if not set(data.trainer_ids) <= valid:
            err("trainer_ids", _("Chỉ chọn được tài khoản có vai trò giảng viên."))
    try:
        Policy.from_dict(asdict(data))
    except ValueError as exc:
        err("min_women_share", str(exc))
    # The program it belongs to: entries valid on the class's dates (app/programs).
    for name, message in program_fields.problems(data, klass).items():
        err(name, message)
    unknown = set(data.required_positions) - set(db.session.scalars(
        select(Position.code).where(Position.code.in_(data.required_positions))))
    if unknown:
        err("required_positions", _("Không có chức vụ “%(codes)s” trong danh mục chức vụ.",
                                    codes=", ".join(sorted(unknown))))
    if data.start_date and data.end_date and data.end_date >= data.start_date:
        outside = sorted({(s.date + (shift or timedelta())) for s in sessions
                          if not data.start_date <= s.date + (shift or timedelta())
                          <= data.end_date})
        if outside:
            days = ", ".join(format_date(d) for d in outside[:5])
            err("end_date", _("Có buổi học ngoài thời gian lớp (%(days)s); hãy sửa hoặc xóa các "
                              "buổi đó trước, hoặc chọn lại ngày.", days=days))
    if errors:
        raise ClassInputError(errors)


def _apply(klass: TrainingClass, data: ClassData) -> None:
    for name in SCALARS:
        setattr(klass, name, getattr(data, name))
    klass.trainers = list(db.session.scalars(select(User).where(User.id.in_(data.trainer_ids))))
    klass.invited_units = list(db.session.scalars(select(Unit).where(Unit.id.in_(data.unit_ids))))


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return sorted(value)
    return value


def default_sessions(start: date, end: date) -> list[tuple[date, str]]:
    days = (end - start).days + 1
    return [(start + timedelta(days=i), part) for i in range(min(days, 60)) for part in PARTS]


def create_class(actor, data: ClassData, *, with_sessions: bool = True) -> TrainingClass:
    """A new class in status "planned"; with morning and afternoon sessions for each day."""
    _validate(data, None)
    klass = TrainingClass(status="planned", admitted_count=0,
                          created_by_id=getattr(actor, "id", None))
    _apply(klass, data)
    db.session.add(klass)
    if with_sessions:
        for day, part in default_sessions(data.start_date, data.end_date):
            starts, ends = DEFAULT_TIMES[part]
            klass.sessions.append(ClassSession(date=day, part=part, starts_at=starts,
                                               ends_at=ends))
    db.session.flush()
    record(actor, "class.create", "class", klass.id, f"Tạo lớp {klass.code}: {klass.title}")
    return klass


def update_class(actor, klass: TrainingClass, data: ClassData) -> bool:
    """Edit a class (the caller holds the class row lock: `enrolment.update_class`, which
    also fills new seats of an allocated class from the waitlist)."""
    if klass.is_closed:
        raise ClassInputError(_("Lớp “%(s)s” không sửa được nữa.", s=_(klass.status_label)),
                              status=409)
    scope_changed = (set(data.unit_ids) != {u.id for u in klass.invited_units}
                     or (data.start_date, data.end_date) != (klass.start_date, klass.end_date))
    _validate(data, klass, sessions=list(klass.sessions), check_scope=scope_changed)
    before = {k: _plain(v) for k, v in asdict(ClassData.of(klass)).items()}
    _apply(klass, data)
    after = {k: _plain(v) for k, v in asdict(data).items()}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        db.session.flush()
        record(actor, "class.update", "class", klass.id, f"Sửa lớp {klass.code}",
               data={"changes": changes})
    if "capacity" in changes:  # a seat change: listed in the class's seat history
        was, now = changes["capacity"]
        record(actor, "class.capacity", "class", klass.id,
               f"Đổi số chỗ của lớp {klass.code} từ {was} thành {now}",
               data={"from": was, "to": now})
    return bool(changes)


def copy_class(actor, source: TrainingClass, data: ClassData) -> TrainingClass:
    """A new planned class from `data`; the source's sessions are copied, shifted by the
    difference between the start dates (their times and places kept)."""
    shift = data.start_date - source.start_date if data.start_date else timedelta()
    _validate(data, None, shift=shift, sessions=list(source.sessions))
    klass = create_class(actor, data, with_sessions=False)
    for s in source.sessions:
        klass.sessions.append(ClassSession(date=s.date + shift, part=s.part,
                                           starts_at=s.starts_at, ends_at=s.ends_at,
                                           place=s.place))
    db.session.flush()
    record(actor, "class.copy", "class", klass.id,
           f"Sao chép lớp {source.code} thành {klass.code}", data={"from": source.id})
    return klass


def suggest_copy_code(code: str) -> str:
    """The next free code: "TH-2025-01" -> "TH-2025-02" (trailing number + 1), else "-2"."""
    existing = set(db.session.scalars(select(TrainingClass.code)))
    match = re.fullmatch(r"(.*?)(\d+)", code)
    prefix, number, width = (match.group(1), int(match.group(2)), len(match.group(2))) \
        if match else (f"{code}-", 1, 1)
    while True:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"[:30]
        if candidate not in existing:
            return candidate


def add_session(actor, klass: TrainingClass, day: date | None, part: str,
                starts_at: time | None = None, ends_at: time | None = None,
                place: str | None = None) -> ClassSession:
    errors: dict[str, list[str]] = {}
    if klass.is_closed:
        raise ClassInputError(_("Lớp “%(s)s” không thêm buổi học được.",
                                s=_(klass.status_label)), 409)
    if day is None:
        errors["date"] = [_("Vui lòng nhập ngày học.")]
    elif not klass.start_date <= day <= klass.end_date:
        errors["date"] = [_("Ngày học phải trong thời gian lớp, từ %(start)s đến %(end)s.",
                            start=format_date(klass.start_date),
                            end=format_date(klass.end_date))]
    if part not in PARTS:
        errors["part"] = [_("Vui lòng chọn buổi sáng hoặc chiều.")]
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = [_("Giờ kết thúc phải sau giờ bắt đầu.")]
    if not errors and any(s.date == day and s.part == part for s in klass.sessions):
        errors["part"] = [
            _("Lớp đã có buổi sáng ngày %(day)s.", day=format_date(day)) if part == "morning"
            else _("Lớp đã có buổi chiều ngày %(day)s.", day=format_date(day))]
    if errors:
        raise ClassInputError(errors)
    default = DEFAULT_TIMES[part]
    session = ClassSession(date=day, part=part, starts_at=starts_at or default[0],
                           ends_at=ends_at or (default[1] if not starts_at else None),
                           place=nfc(place) or None)
    klass.sessions.append(session)
    db.session.flush()
    record(actor, "class.session_add", "class", klass.id,
           f"Thêm buổi {session.part_label.lower()} {format_date(day)} cho lớp {klass.code}")
    return session


def delete_session(actor, klass: TrainingClass, session: ClassSession) -> None:
    if klass.is_closed:
        raise ClassInputError(_("Lớp “%(s)s” không xóa buổi học được.",
                                s=_(klass.status_label)), 409)
    text = f"Xóa buổi {session.part_label.lower()} {format_date(session.date)} của lớp {klass.code}"
    klass.sessions.remove(session)
    db.session.flush()
    record(actor, "class.session_delete", "class", klass.id, text)


def change_status(actor, klass: TrainingClass, target: str, reason: str | None = None) -> None:
    """Move the class along its life cycle (status.TRANSITIONS); the caller holds the class
    row lock (enrolment.lock_class). Cancelling needs a reason."""
    st.check_transition(klass.status, target)
    reason = (reason or "").strip() or None
    if target == "cancelled" and not reason:
        raise ClassInputError({"reason": [_("Vui lòng ghi lý do hủy lớp.")]})
    if target == "open" and not klass.invited_units:
        raise ClassInputError(_("Lớp chưa có xã nào được mời; hãy sửa lớp trước khi mở đăng "
                                "ký."))
    before = klass.status
    klass.status = target
    if target == "cancelled":
        klass.cancel_reason = reason
    db.session.flush()
    record(actor, "class.status", "class", klass.id,
           f"Chuyển lớp {klass.code} từ “{st.label(before)}” sang “{st.label(target)}”",
           reason=reason, data={"from": before, "to": target})
