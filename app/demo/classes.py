"""Demo classes in every state (idempotent by class code).

- finished: the demo `learner` is admitted (later issues issue their certificate);
- running; allocated (with a waitlist, which the learner joins by applying after the
  allocation: the waitlist position shows on their pages); open with about three applicants
  per seat (the learner has applied), planned, cancelled.
Applications are spread over the office hours of the application window, each at its own
minute.
Allocation goes through the real workflow (preview, confirm), so the audit log and the
reasons are those a coordinator would see.

The demo organisation is the People's Committee of xã Sơn Hà as it is since 01/07/2025
(saved as the organisation settings unless an admin saved others): its classes invite the
communes it may convene (`service.invitable_units`: xã Sơn Hà alone), so the demo learner is
a village cadre of xã Sơn Hà. Classes that have been allocated carry the number and date of
the decision convening them (illustrative numbers); open and planned ones do not yet.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.classes import enrolment, service
from app.classes import status as st
from app.classes.models import Application, TrainingClass
from app.courses.models import Course
from app.demo.programs import for_class
from app.documents.models import DEFAULTS, FIELDS, OrgSetting, save_settings
from app.extensions import db
from app.people.models import Cadre, Position, Unit
from app.timeutil import local_today, utcnow

# code, title, course slug, status, start (days from today, or SURVEY_SEASON), days, capacity,
# applicants. The survey class (rà soát) comes before the periodic review of 1/9-14/12 (Quyết
# định 24/2021/QĐ-TTg, Điều 3), never after it: it is the finished class of the last August.
SURVEY_SEASON = "survey season"
CLASSES = [
    ("TH-01", "Rà soát hộ nghèo, hộ cận nghèo định kỳ theo chuẩn nghèo đa chiều",
     "chuan-ngheo-da-chieu-va-ra-soat", "finished", SURVEY_SEASON, 2, 30, 26),
    ("TH-02", "Bình đẳng giới trong giảm nghèo", "binh-dang-gioi-trong-giam-ngheo",
     "running", 0, 2, 25, 34),
    ("TH-03", "Triển khai Chương trình MTQG giai đoạn 2026 - 2035 ở thôn, bản",
     "chuong-trinh-giam-ngheo-2021-2025", "allocated", 10, 2, 30, 42),
    ("TH-04", "Giám sát, đánh giá thực hiện Chương trình ở cấp xã",
     "giam-sat-danh-gia-chuong-trinh", "open", 30, 2, 20, 60),
    ("TH-05", "Chương trình MTQG giai đoạn 2026 - 2035 (lớp 2)",
     "chuong-trinh-giam-ngheo-2021-2025", "planned", 60, 1, 40, 0),
    ("TH-06", "Bình đẳng giới trong giảm nghèo (lớp liên thôn)",
     "binh-dang-gioi-trong-giam-ngheo", "cancelled", 20, 1, 30, 6),
]
# The priority policy of a class beyond the defaults. The class that brings the program to the
# villages requires the village heads (trưởng thôn, bản and tổ trưởng tổ dân phố; a code
# missing from the positions is left out) and takes at most three people per village. No
# village minimum: it would seat a non-leader whose village sent nobody else ahead of a leader.
POLICIES = {
    "TH-03": {"required_positions": ("truong-thon", "to-truong-to-dan-pho"),
              "max_per_village": 3},
}


def survey_start(today: date) -> date:
    """18 August of this year once the review period has begun (1 September), else of last
    year: the survey class is held, and finished, before the review it prepares."""
    year = today.year if today >= date(today.year, 9, 1) else today.year - 1
    return date(year, 8, 18)


PLACES = ["Hội trường UBND xã Sơn Hà", "Nhà văn hóa xã Sơn Hà"]
# The demo classes the learner applies to before the allocation (the finished one admits her,
# the open one waits for its allocation); she joins the allocated one's waitlist late.
LEARNER_APPLIES = frozenset({"finished", "open"})
# The decision convening each allocated class: its number (illustrative).
DECISIONS = {"TH-01": 41, "TH-02": 57, "TH-03": 63}


def _course_id(slug: str) -> int | None:
    return db.session.scalar(select(Course.id).where(Course.slug == slug))


def _applicants(rng: random.Random, cadres: list[Cadre], count: int, learner: Cadre | None,
                include_learner: bool) -> list[Cadre]:
    pool = [c for c in cadres if learner is None or c.id != learner.id]
    chosen = rng.sample(pool, min(count, len(pool)))
    if include_learner and learner is not None:
        chosen = [learner, *chosen[:-1]]
    return chosen


# Office hours, Vietnam time, Monday to Friday: when cadres apply and coordinators nominate.
OFFICE_HOURS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
VIETNAM = timedelta(hours=7)


def _office_minutes(first_day, last_day, now: datetime) -> list[tuple[datetime, int]]:
    """The office-hour stretches of the window, as (start in naive UTC, minutes), none at or
    after `now`."""
    stretches, day = [], first_day
    while day <= last_day:
        if day.weekday() < 5:
            for opens, closes in OFFICE_HOURS:
                begin = datetime.combine(day, opens) - VIETNAM
                finish = min(datetime.combine(day, closes) - VIETNAM, now)
                minutes = int((finish - begin).total_seconds() // 60)
                if minutes > 0:
                    stretches.append((begin, minutes))
        day += timedelta(days=1)
    return stretches


def _moments(rng: random.Random, first_day, last_day, now: datetime,
             count: int) -> list[datetime]:
    """`count` distinct, increasing moments (naive UTC, whole minutes) spread over the office
    hours of the application window (OFFICE_HOURS on working days, Vietnam time), before
    `now`."""
    now = now.replace(second=0, microsecond=0)
    stretches = _office_minutes(first_day, last_day, now)
    total = sum(minutes for _begin, minutes in stretches)
    if total < count:
        raise ValueError(f"{count} applications do not fit in {total} office minutes")
    step = total // count
    offsets = [step * i + rng.randrange(step) for i in range(count)]  # distinct, increasing
    moments, stretch, passed = [], iter(stretches), 0
    begin, minutes = next(stretch)
    for offset in offsets:
        while offset >= passed + minutes:
            passed += minutes
            begin, minutes = next(stretch)
        moments.append(begin + timedelta(minutes=offset - passed))
    return moments


def _organisation(ctx: dict) -> None:
    """The demo organisation: the People's Committee of xã Sơn Hà, unless an admin saved the
    settings already."""
    if db.session.get(OrgSetting, 1) is None:
        values = {name: getattr(DEFAULTS, name) for name in FIELDS}
        save_settings(ctx["users"]["admin"], {**values, "drafting_office": "VHXH",
                                              "unit_id": ctx["communes"]["new:son-ha"].id})


def _learner_cadre(learner_user, communes: list[Unit]) -> Cadre | None:
    """The demo learner's cadre, moved (once, before any application) to a woman village cadre
    of an invited commune, so that the learner may apply."""
    cadre = getattr(learner_user, "cadre", None)
    roots = {u.current().id for u in communes}
    if cadre is None or cadre.commune.current().id in roots or db.session.scalar(
            select(Application.id).where(Application.cadre_id == cadre.id).limit(1)):
        return cadre
    other = next((c for c in db.session.scalars(
        select(Cadre).where(Cadre.gender == "F", Cadre.level == "village",
                            Cadre.user_id.is_(None)).order_by(Cadre.id)).unique()
        if c.commune.current().id in roots), None)
    if other is None:
        return cadre
    cadre.user = None
    db.session.flush()
    other.user = learner_user
    learner_user.full_name = other.full_name
    db.session.flush()
    return other


def _make(coordinator, trainer, code, title, slug, status, offset, days, capacity,
          count, cadres, learner, communes, rng) -> TrainingClass:
    today = local_today()
    start = survey_start(today) if offset == SURVEY_SEASON else today + timedelta(days=offset)
    end = start + timedelta(days=days - 1)
    place = PLACES[int(code.rsplit("-", 1)[1]) % len(PLACES)]  # TH-01, TH-02...: spread out
    apply_until = start - timedelta(days=3)
    number = DECISIONS.get(code) if status in st.HAS_SEATS else None
    data = service.ClassData(**for_class(start, end),  # the program in force on its dates
        code=code, title=title, place=place, start_date=start, end_date=end,
        capacity=capacity, course_id=_course_id(slug),
        apply_from=start - timedelta(days=35), apply_until=apply_until,
        description="Lớp tập huấn cán bộ làm công tác giảm nghèo (dữ liệu mẫu).",
        min_attendance_pct=80, daily_rate=100_000, trainer_ids=[trainer.id],
        unit_ids=[c.id for c in communes],
        max_per_unit=max(capacity // 4, 1) if len(communes) > 1 else None,
        convene_number=f"{number}/QĐ-UBND" if number else None,
        convene_date=apply_until + timedelta(days=1) if number else None,
        **POLICIES.get(code, {}))
    known = set(db.session.scalars(select(Position.code)))
    data.required_positions = [c for c in data.required_positions if c in known]
    klass = service.create_class(coordinator, data)
    if status == "planned":
        return klass
    klass = enrolment.lock_class(klass.id)
    service.change_status(coordinator, klass, "open")
    include_learner = status in LEARNER_APPLIES
    people = _applicants(rng, cadres, count, learner, include_learner)
    now = utcnow()
    for cadre, moment in zip(people, _moments(rng, data.apply_from, data.apply_until, now,
                                              len(people)), strict=True):
        if cadre is learner:
            enrolment.apply(cadre.user, klass.id, cadre, moment, data.apply_from)
        else:
            enrolment.nominate(coordinator, klass.id, [cadre.id], moment, data.apply_from)
    if status == "open":
        return klass
    if status == "cancelled":
        service.change_status(coordinator, klass, "cancelled",
                              "Trùng lịch với đợt rà soát hộ nghèo của các xã (dữ liệu mẫu).")
        return klass
    preview = enrolment.preview(klass, klass.policy)
    decided = datetime.combine(data.apply_until + timedelta(days=1), time(9, 0)) - timedelta(
        hours=7)
    enrolment.confirm_allocation(coordinator, klass.id, preview.policy, preview.fingerprint,
                                 min(decided, now))
    if status == "allocated" and learner is not None:  # late: the end of the waitlist
        enrolment.apply(learner.user, klass.id, learner, now, today)
    if status in st.STARTED:
        service.change_status(coordinator, klass, "running")
    if status == "finished":
        service.change_status(coordinator, klass, "finished")
    return klass


def load(ctx: dict) -> str:
    users = ctx["users"]
    coordinator, trainer = users["coordinator"], users["trainer"]
    _organisation(ctx)
    communes = service.invitable_units()
    learner = _learner_cadre(users.get("learner"), communes)
    roots = {u.current().id for u in communes}
    cadres = [c for c in db.session.scalars(select(Cadre).where(Cadre.active.is_(True))
                                            .order_by(Cadre.id)).unique()
              if c.commune.current().id in roots]
    made = []
    for code, title, slug, status, offset, days, capacity, count in CLASSES:
        if db.session.scalar(select(TrainingClass.id).where(TrainingClass.code == code)):
            continue
        klass = _make(coordinator, trainer, code, title, slug, status, offset, days, capacity,
                      count, cadres, learner, communes, random.Random(code))  # noqa: S311
        made.append(klass)
    db.session.flush()
    ctx["classes"] = {c.code: c for c in db.session.scalars(select(TrainingClass))}
    applications = db.session.scalar(select(db.func.count()).select_from(Application))
    return (f"Lớp tập huấn: thêm {len(made)} lớp (đủ các trạng thái); {applications} đơn "
            "đăng ký.")
