"""Objects for the route walk of the attendance papers (walked after tests/routewalk/classes.py,
whose class RW-01 they use): a mark for RW-01's admitted learner, so that its allowance list has
a line to print (an empty one is refused, not printed), and a meal rate for the settings'
delete route."""

from datetime import date


def params(ctx) -> dict:
    from sqlalchemy import select

    from app.attendance.models import AttendanceMark, MealRate
    from app.classes.models import Application, TrainingClass

    db = ctx.db
    klass = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "RW-01"))
    admitted = db.session.scalar(select(Application).where(
        Application.class_id == klass.id, Application.status == "admitted"))
    db.session.add(AttendanceMark(session_id=klass.sessions[0].id,
                                  application_id=admitted.id, status="present"))
    rate = MealRate(level="commune", valid_from=date(2026, 1, 1), amount=80_000,
                    basis="Nghị quyết thử")
    db.session.add(rate)
    db.session.commit()
    return {"rate_id": rate.id}
