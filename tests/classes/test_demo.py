"""The demo classes: every state, an oversubscribed open class, the learner's applications."""

from datetime import timedelta

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
    assert mine["allocated"] == "waitlisted"  # applied after the allocation: end of the list
    waiting = db.session.scalar(select(Application).where(
        Application.cadre_id == learner.id, Application.status == "waitlisted"))
    last = db.session.scalar(select(func.max(Application.waitlist_rank)).where(
        Application.class_id == waiting.class_id))
    assert waiting.waitlist_rank == last > 1
    times = db.session.scalars(select(Application.applied_at).where(
        Application.class_id == open_class.id)).all()
    assert len(set(times)) == len(times)  # each application at its own moment
    assert max(times) - min(times) > timedelta(days=2)
    for klass in classes.values():
        assert klass.admitted_count <= klass.capacity
    load_all()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Application)) == count
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 6
