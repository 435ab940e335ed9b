"""The demo certificates: the finished class's qualifying learners hold certificates, one is
revoked, the demo learner's is valid and on their home page; idempotent."""

from sqlalchemy import func, select

from app.attendance import completion
from app.auth.models import User
from app.certificates.models import Certificate
from app.classes.models import TrainingClass
from app.demo import load_all


def test_demo_certificates(db, client, login):
    load_all()
    db.session.commit()
    finished = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "TH-01"))
    met = sum(r.completion.met for r in completion.class_completion(finished))
    certificates = db.session.scalars(select(Certificate).where(
        Certificate.class_id == finished.id)).all()
    assert len(certificates) == met
    assert sum(not c.in_force for c in certificates) == 1
    assert sorted(c.seq for c in certificates) == list(range(1, met + 1))
    learner = db.session.scalar(select(User).where(User.username == "learner"))
    (own,) = [c for c in certificates if c.cadre_id == learner.cadre.id]
    assert own.in_force and own.holder_name == learner.cadre.full_name
    load_all()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == met
    login("learner", "demo12345")
    home = client.get("/").get_data(as_text=True)
    assert f"/certificates/{own.code}.pdf" in home
    assert client.get(f"/certificates/{own.code}.pdf").status_code == 200
