"""Objects for the route walk: the reference lists as `flask setup` loads them, a component of
the first program and a plan."""

from datetime import date


def params(ctx) -> dict:
    from sqlalchemy import select

    from app.programs.models import ActivityType, Component, FundingSource, Plan, Program
    from app.programs.reference import ensure_reference

    db = ctx.db
    ensure_reference()
    program = db.session.scalar(select(Program).order_by(Program.valid_from))
    plan = Plan(number="48/KH-UBND", issued_on=date(2024, 3, 12), issuer="UBND huyện Sơn Hà",
                title="Thực hiện Chương trình năm 2024", program_id=program.id,
                valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31))
    db.session.add(plan)
    db.session.commit()
    return {"program_id": program.id,
            "component_id": db.session.scalar(select(Component.id)),
            "activity_type_id": db.session.scalar(select(ActivityType.id)),
            "funding_source_id": db.session.scalar(select(FundingSource.id)),
            "plan_id": plan.id}
