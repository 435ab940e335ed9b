"""The demo follows the calendar: each demo class records the program in force on its dates."""

from sqlalchemy import func, select

from app.classes.models import TrainingClass
from app.demo import load_all
from app.programs.models import Plan, Program


def test_demo_classes_record_the_program_in_force_on_their_dates(db):
    load_all()
    db.session.commit()
    plans = db.session.scalars(select(Plan).order_by(Plan.issued_on)).all()
    district = plans[0]
    assert (district.number, district.issuer) == ("48/KH-UBND", "UBND huyện Sơn Hà")
    assert district.program.code == "gnbv-2021-2025"  # the program in force in 2024
    classes = db.session.scalars(select(TrainingClass)).all()
    assert len(classes) == 6
    for klass in classes:
        in_force = [p for p in db.session.scalars(select(Program))
                    if p.covers(klass.start_date, klass.end_date)]
        assert [klass.program] == in_force, klass.code
        assert klass.activity_type.name == "Lớp tập huấn, bồi dưỡng"
        assert klass.funding_source.name == "Ngân sách trung ương"
        if klass.plan is not None:
            assert klass.plan.covers(klass.start_date, klass.end_date)
            assert klass.plan.program_id in (None, klass.program_id)
        assert "Dự án 7" not in klass.description
    assert any(k.plan is not None for k in classes)
    load_all()
    db.session.commit()
    assert db.session.scalar(select(func.count(Plan.id))) == len(plans)
