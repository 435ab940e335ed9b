"""The demo classes have budgets, the started ones some spending (meals and travel as their
allowance lists say), the cancelled one none; loading twice changes nothing."""

from sqlalchemy import func, select

from app.attendance import allowance
from app.classes.models import TrainingClass
from app.costs import lines
from app.costs.models import ClassCost
from app.demo import load_all


def test_demo_costs(db):
    load_all()
    db.session.commit()
    classes = db.session.scalars(select(TrainingClass)).all()
    for klass in classes:
        costs = lines.costs_of(klass)
        if klass.is_cancelled:
            assert not costs.recorded, klass.code
            continue
        assert costs.budget > 0, klass.code
        assert costs.line("meal").spent == allowance.of_class(klass).meal
        if klass.issues_certificates:
            assert 0 < costs.spent < costs.budget and not costs.stale, klass.code
    count = db.session.scalar(select(func.count()).select_from(ClassCost))
    load_all()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ClassCost)) == count
