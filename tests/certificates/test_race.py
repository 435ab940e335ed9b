"""Two coordinators issuing at the same moment get unique numbers without gaps, and one
learner never gets two certificates (PostgreSQL row locks: the tests run only when
TEST_DATABASE_URL is PostgreSQL)."""

import os

import pytest
from sqlalchemy import select

from app.certificates import issuing
from app.certificates.issuing import CertificateError
from app.certificates.models import Certificate
from tests.race import race

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="TEST_DATABASE_URL is not PostgreSQL")


def _issue(user_id, class_id, application_id=None):
    def job():
        from app.auth.models import User
        from app.classes.models import TrainingClass
        from app.documents.models import org_info
        from app.extensions import db
        from app.timeutil import local_today, utcnow

        issuing.issue(db.session.get(User, user_id), db.session.get(TrainingClass, class_id),
                      org_info(), local_today(), utcnow(), application_id)
    return job


def _numbers(db):
    db.session.expire_all()
    return sorted(c.seq for c in db.session.scalars(select(Certificate)))


def test_two_classes_issued_at_once_share_one_gapless_sequence(app, db, users, finished,
                                                               confirmed):
    first, _ = finished(code="L-A")
    second, _ = finished(names=[(f"Nguyễn Thị Mai {i}", "F") for i in range(6)], code="L-B")
    confirmed(first)
    confirmed(second)
    outcome = race(app, [_issue(users["coordinator"].id, first.id),
                         _issue(users["admin"].id, second.id)], CertificateError)
    assert (outcome.ok, outcome.refused, outcome.errors) == (2, 0, [])
    assert _numbers(db) == list(range(1, 11))


def test_one_learner_issued_twice_at_once_gets_one_certificate(app, db, users, finished,
                                                               confirmed):
    klass, apps = finished()
    confirmed(klass)
    hoa = apps["Đinh Thị Hoa"].id
    outcome = race(app, [_issue(users["coordinator"].id, klass.id, hoa),
                         _issue(users["admin"].id, klass.id, hoa),
                         _issue(users["coordinator"].id, klass.id)], CertificateError)
    assert outcome.errors == []
    db.session.expire_all()
    held = [c.application_id for c in db.session.scalars(select(Certificate))]
    assert sorted(held) == sorted(a.id for a in apps.values())  # each learner once
    assert _numbers(db) == list(range(1, len(held) + 1))
    assert outcome.refused >= 1
