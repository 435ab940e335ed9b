"""The demo classes: every state, an oversubscribed open class, the learner's applications."""

from sqlalchemy import func, select

from app.classes.models import Application, TrainingClass
from app.demo import load_all


def test_demo_classes_are_complete_and_idempotent(db):
    load_all()
    db.session.commit()
    classes = {c.status: c for c in db.session.scalars(select(TrainingClass))}
    assert set(classes) == {"planned", "open", "allocated", "running", "finished", "cancelled"}
    count = db.session.scalar(select(func.count()).select_from(Application))
    open_class = classes["open"]
    applicants = db.session.scalar(select(func.count()).select_from(Application).where(
        Application.class_id == open_class.id))
    assert applicants >= 2.5 * open_class.capacity
    from app.auth.models import User

    learner = db.session.scalar(select(User).where(User.username == "learner")).cadre
    mine = {a.training_class.status: a.status for a in db.session.scalars(
        select(Application).where(Application.cadre_id == learner.id))}
    assert mine["finished"] == "admitted" and mine["open"] == "applied"
    for klass in classes.values():
        assert klass.admitted_count <= klass.capacity
    load_all()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Application)) == count
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 6
