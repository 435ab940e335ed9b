"""Scale data for the benchmarks, reproducible from a seed.

- `applicants(n, units, ...)`: allocation input (app.classes.allocation.Applicant), no database.
- `cadre_rows(n, ...)`: plain dicts of cadres with Vietnamese names, for database benchmarks.
- `populate(session, cadres=..., classes=..., applications_per_class=...)`: fills a database
  (units of Sơn Hà, positions, cadres, courses with their trainers, classes with their courses
  and trainers, applications, and optionally classes of many applicants) through bulk inserts,
  for benchmarks of pages and papers at district scale and beyond (100,000 cadres, 2,000
  classes). `tag` keeps the keys of a second call apart from the first's (the tests' 10 × the
  data); `trainer_ids` teach every class, `learner_cadre` applies to the first ones.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

FAMILY = ["Đinh", "Phạm", "Hồ", "Huỳnh", "Nguyễn", "Trần", "Lê", "Võ", "Bùi", "Đặng"]
MIDDLE_F = ["Thị", "Thị Kim", "Thị Mỹ", "Thị Hồng", "Thị Thu"]
MIDDLE_M = ["Văn", "Minh", "Hữu", "Công", "Đức"]
GIVEN_F = ["Lanh", "Hoa", "Mai", "Nhi", "Xuân", "Hương", "Hà", "Thương", "Lài", "Bích", "Ánh"]
GIVEN_M = ["Bốc", "Rin", "Chiến", "Nhứt", "Lực", "Tuấn", "Quang", "Thanh", "Bình", "Đức"]


def name(rng: random.Random, woman: bool) -> str:
    return " ".join((rng.choice(FAMILY), rng.choice(MIDDLE_F if woman else MIDDLE_M),
                     rng.choice(GIVEN_F if woman else GIVEN_M)))


def applicants(n: int, units: int = 14, women_share: float = 0.45, leader_share: float = 0.6,
               trained_share: float = 0.3, seed: int = 7):
    """`n` applicants spread over `units` communes, applying over 30 days."""
    from app.classes.allocation import Applicant

    rng = random.Random(seed)
    start = datetime(2025, 3, 1, 7, 0)
    return [Applicant(id=i, gender="F" if rng.random() < women_share else "M",
                      village_leader=rng.random() < leader_share,
                      unit_id=rng.randrange(units) + 1,
                      trained_before=rng.random() < trained_share,
                      applied_at=start + timedelta(minutes=rng.randrange(30 * 24 * 60)))
            for i in range(1, n + 1)]


def cadre_rows(n: int, commune_ids: list[int], position_ids: list[int], seed: int = 11,
               tag: str = "bench"):
    from app.vietnamese import fold, name_sort_key

    rng = random.Random(seed)
    now = datetime(2025, 1, 1)
    for i in range(n):
        woman = rng.random() < 0.47
        full = name(rng, woman)
        year = rng.randint(1960, 2002)
        commune = rng.choice(commune_ids)
        yield {"full_name": full, "name_search": fold(full), "sort_key": name_sort_key(full),
               "identity_key": f"{tag}|{i}", "gender": "F" if woman else "M",
               "birth_year": year, "ethnicity_code": "18", "position_id": rng.choice(position_ids),
               "level": "village", "commune_id": commune, "active": True, "created_at": now,
               "updated_at": now}


COURSE_TEXT = "Nội dung khóa học về giảm nghèo bền vững. " * 400  # about 16 KB, as real ones


def populate(session, cadres: int = 100_000, classes: int = 2_000,
             applications_per_class: int = 40, seed: int = 3, courses: int = 20,
             big_classes: tuple[int, ...] = (), accounts: int = 0, tag: str = "bench",
             trainer_ids: tuple[int, ...] = (), learner_cadre: bool = False,
             applicant_id: int | None = None) -> dict:
    """Bulk-insert a district-scale data set; returns counts and the ids benchmarks need
    (`big_class_ids`: one class per size in `big_classes`, of that many applicants;
    `learner_cadre_id`: a cadre made for a learner account, applying to every class but the
    big ones, as `applicant_id` does). `accounts`: that many more user accounts (no role, no
    password). The caller commits."""
    from sqlalchemy import func, insert, select

    from app.classes.models import Application, TrainingClass, class_trainers, class_units
    from app.courses.models import Course, course_trainers
    from app.people import after_import
    from app.people.models import Cadre, Position, Unit
    from app.people.reference import ensure_positions, ensure_son_ha_units
    from app.vietnamese import name_sort_key

    ensure_positions()
    communes = ensure_son_ha_units()
    current = [c.id for k, c in communes.items() if k.startswith("new:")]
    positions = list(session.scalars(select(Position.id)))
    rows = list(cadre_rows(cadres + (1 if learner_cadre else 0), current, positions, seed, tag))
    before = session.scalar(select(func.max(Cadre.id))) or 0
    for start in range(0, len(rows), 5000):
        session.execute(insert(Cadre), rows[start:start + 5000])
    after_import.tidy(session.connection(), len(rows))  # as an import of as many does
    cadre_ids = list(session.scalars(select(Cadre.id).where(Cadre.id > before)
                                     .order_by(Cadre.id)))
    learner_cadre_id = cadre_ids.pop() if learner_cadre else None
    now = datetime(2024, 1, 1)
    course_rows = [{"slug": f"{tag}-course-{i}", "code": f"{tag[:10]}-C{i}",
                    "title": f"Chuyên đề {i}: giảm nghèo bền vững", "topics": [],
                    "status": "published", "description_md": COURSE_TEXT,
                    "description_html": f"<p>{COURSE_TEXT}</p>", "created_at": now,
                    "updated_at": now} for i in range(courses)]
    course_ids = []
    if course_rows:
        course_ids = list(session.scalars(
            insert(Course).returning(Course.id, sort_by_parameter_order=True), course_rows))
        if trainer_ids:
            session.execute(insert(course_trainers), [{"course_id": c, "user_id": t}
                                                      for c in course_ids for t in trainer_ids])
    rng = random.Random(seed)
    day = date(2024, 1, 1)
    class_rows = [{"code": f"{tag[:6]}-{i:05d}", "title": f"Lớp đo hiệu năng {i}",
                   "place": "Hội trường",
                   "search_text": f"{tag[:6]}-{i:05d} lop do hieu nang {i} hoi truong",
                   "start_date": day + timedelta(days=i % 700),
                   "end_date": day + timedelta(days=i % 700 + 1),
                   "capacity": 30, "admitted_count": 0, "status": "open", "description": "",
                   "course_id": course_ids[i % len(course_ids)] if course_ids else None,
                   "min_attendance_pct": 80, "quiz_required": False, "daily_rate": 100_000,
                   "min_women_share": 0.5, "weight_woman": 3.0, "weight_village_leader": 2.0,
                   "weight_not_trained": 1.0, "created_at": now, "updated_at": now}
                  for i in range(classes + len(big_classes))]
    class_ids = []
    if class_rows:  # an empty executemany would insert one row of defaults
        class_ids = list(session.scalars(insert(TrainingClass).returning(
            TrainingClass.id, sort_by_parameter_order=True),
                                         class_rows))
        session.execute(insert(class_units), [{"class_id": c, "unit_id": u}
                                              for c in class_ids for u in current])
        if trainer_ids:
            session.execute(insert(class_trainers), [{"class_id": c, "user_id": t}
                                                     for c in class_ids for t in trainer_ids])
    big_ids = class_ids[classes:]
    sizes = dict(zip(big_ids, big_classes, strict=True))
    apps = []
    for class_id in class_ids:
        n = sizes.get(class_id, applications_per_class)
        for cadre_id in rng.sample(cadre_ids, min(n, len(cadre_ids))):
            apps.append({"class_id": class_id, "cadre_id": cadre_id, "status": "applied",
                         "source": "nominated",
                         "applied_at": now + timedelta(minutes=rng.randrange(100_000))})
    if (applicant := learner_cadre_id or applicant_id) is not None:
        apps += [{"class_id": c, "cadre_id": applicant, "status": "applied",
                  "source": "self", "applied_at": now} for c in class_ids[:classes]]
    for start in range(0, len(apps), 10_000):
        session.execute(insert(Application), apps[start:start + 10_000])
    if accounts:
        from app.auth.models import User, search_text_of

        users = []
        for i in range(accounts):
            full = name(rng, rng.random() < 0.5)
            users.append({"username": f"{tag[:20]}-u{i}", "full_name": full,
                          "sort_key": name_sort_key(full),
                          "search_text": search_text_of(full, f"{tag[:20]}-u{i}", None),
                          "password_hash": "!", "active": True, "created_at": now})
        session.execute(insert(User), users)
    session.flush()
    units = session.scalar(select(func.count()).select_from(Unit))
    return {"cadres": len(cadre_ids), "classes": len(class_ids), "applications": len(apps),
            "units": units, "courses": len(course_ids), "big_class_ids": big_ids,
            "learner_cadre_id": learner_cadre_id,
            "first_class_id": class_ids[0] if class_ids else None}
