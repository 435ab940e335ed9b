"""Demo programs: the reference lists as `flask setup` loads them, and two plans: the district
plan the seed plan cites (Kế hoạch số 48/KH-UBND ngày 12/3/2024 of UBND huyện Sơn Hà, for
2024) and a demo plan of xã Sơn Hà for the current year. Each demo class gets the program, plan
and component in force on its dates (`for_class`), so the demo follows the calendar: classes
in 2026 belong to the 2026–2035 program, none to the one that ended in 2025.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.programs.models import ActivityType, Component, FundingSource, Plan, Program
from app.programs.queries import in_force, the_one_in_force
from app.programs.reference import ensure_reference
from app.timeutil import local_today

# The demo classes are training courses paid from the central budget (codes of reference.py).
ACTIVITY_TYPE = "tap-huan-boi-duong"
FUNDING_SOURCE = "ngan-sach-trung-uong"


def _plans(today: date) -> list[dict]:
    year = today.year
    return [
        {"number": "48/KH-UBND", "issued_on": date(2024, 3, 12), "issuer": "UBND huyện Sơn Hà",
         "title": "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn "
                  "huyện Sơn Hà năm 2024",
         "valid_from": date(2024, 1, 1), "valid_to": date(2024, 12, 31)},
        {"number": "12/KH-UBND", "issued_on": date(year, 1, 15), "issuer": "UBND xã Sơn Hà",
         "title": f"Tập huấn nâng cao năng lực cán bộ làm công tác giảm nghèo năm {year} "
                  "(dữ liệu mẫu)",
         "valid_from": date(year, 1, 1), "valid_to": date(year, 12, 31)},
    ]


def load(ctx: dict) -> str:
    loaded = ensure_reference()
    added = 0
    for spec in _plans(local_today()):
        exists = db.session.scalar(select(Plan.id).where(
            Plan.number == spec["number"], Plan.issued_on == spec["issued_on"],
            Plan.issuer == spec["issuer"]))
        if exists is None:
            program = the_one_in_force(Program, spec["issued_on"], spec["issued_on"])
            db.session.add(Plan(**spec, program_id=getattr(program, "id", None)))
            added += 1
    db.session.flush()
    return f"{loaded.summary()} Kế hoạch: thêm {added}."


def for_class(start: date, end: date) -> dict[str, int | None]:
    """What a demo class held from `start` to `end` records: the program in force on its
    dates, its one component then in force (if it has exactly one), the plan of that program
    then in force, a training course paid from the central budget."""
    program = the_one_in_force(Program, start, end)
    components = [c for c in in_force(Component, start, end)
                  if program is not None and c.program_id == program.id]
    plans = [p for p in in_force(Plan, start, end)
             if program is not None and p.program_id in (None, program.id)]
    return {
        "program_id": getattr(program, "id", None),
        "component_id": components[0].id if len(components) == 1 else None,
        "plan_id": plans[0].id if len(plans) == 1 else None,
        "activity_type_id": db.session.scalar(select(ActivityType.id).where(
            ActivityType.code == ACTIVITY_TYPE, ActivityType.active.is_(True))),
        "funding_source_id": db.session.scalar(select(FundingSource.id).where(
            FundingSource.code == FUNDING_SOURCE, FundingSource.active.is_(True))),
    }
