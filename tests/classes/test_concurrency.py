"""No overbooking when coordinators act at the same moment (PostgreSQL row locks).

Runs only when TEST_DATABASE_URL is PostgreSQL (the CI pass); the in-memory SQLite test
database has a single shared connection, so there is nothing to race on there.
"""

import os
import threading

import pytest
from sqlalchemy import func, select

from app.classes import enrolment, service
from app.classes.models import Application, TrainingClass
from app.timeutil import utcnow

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="TEST_DATABASE_URL is not PostgreSQL")


def _race(app, jobs):
    """Run the jobs in threads released together; returns (successes, refusals)."""
    barrier = threading.Barrier(len(jobs))
    outcome = {"ok": 0, "refused": 0, "errors": []}
    lock = threading.Lock()

    def run(job):
        from app.extensions import db

        with app.app_context():
            try:
                barrier.wait(timeout=10)
                job()
                db.session.commit()
                key = "ok"
            except enrolment.EnrolmentError:
                db.session.rollback()
                key = "refused"
            except Exception as exc:  # noqa: BLE001 - reported below
                db.session.rollback()
                with lock:
                    outcome["errors"].append(repr(exc))
                return
            finally:
                db.session.remove()
            with lock:
                outcome[key] += 1

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcome["errors"] == []
    return outcome["ok"], outcome["refused"]


def _admitted(db, class_id):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Application).where(
        Application.class_id == class_id, Application.status == "admitted"))


@pytest.fixture()
def allocated(app, db, make_class, make_cadre, apply_for, users):
    klass = make_class(capacity=5, min_women_share=0.0)
    apply_for(klass, [make_cadre(f"Đinh Thị Người{i}", birth_year=1960 + i) for i in range(12)])
    preview = enrolment.preview(klass, service.policy_of(klass))
    enrolment.confirm_allocation(users["coordinator"], klass.id, preview.policy,
                                 preview.fingerprint, utcnow())
    db.session.commit()
    return klass.id


def test_simultaneous_overrides_never_exceed_capacity(app, db, allocated, users):
    coordinator_id = users["coordinator"].id
    one = db.session.scalar(select(Application).where(Application.class_id == allocated,
                                                      Application.status == "admitted"))
    enrolment.override(users["coordinator"], one.id, "waitlist", "Tạo một chỗ trống", utcnow())
    db.session.commit()
    waiting = db.session.scalars(select(Application.id).where(
        Application.class_id == allocated, Application.status == "waitlisted")).all()
    assert _admitted(db, allocated) == 4 and len(waiting) == 8

    def admit(application_id):
        def job():
            from app.auth.models import User
            from app.extensions import db as session_db

            actor = session_db.session.get(User, coordinator_id)
            enrolment.override(actor, application_id, "admit", "Cùng lúc", utcnow())
        return job

    ok, refused = _race(app, [admit(i) for i in waiting])
    assert (ok, refused) == (1, 7)
    assert _admitted(db, allocated) == 5
    assert db.session.get(TrainingClass, allocated).admitted_count == 5


def test_simultaneous_withdrawals_promote_without_overbooking(app, db, allocated, users):
    admitted = db.session.scalars(select(Application.id).where(
        Application.class_id == allocated, Application.status == "admitted")).all()
    coordinator_id = users["coordinator"].id

    def leave(application_id):
        def job():
            from app.auth.models import User
            from app.extensions import db as session_db

            actor = session_db.session.get(User, coordinator_id)
            enrolment.withdraw(actor, application_id, "Rút cùng lúc", utcnow(),
                               by_coordinator=True)
        return job

    ok, _refused = _race(app, [leave(i) for i in admitted[:4]])
    assert ok == 4
    assert _admitted(db, allocated) == 5
    ranks = db.session.scalars(select(Application.waitlist_rank).where(
        Application.class_id == allocated, Application.status == "waitlisted")
        .order_by(Application.waitlist_rank)).all()
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) == 3


def test_simultaneous_confirmations_allocate_once(app, db, make_class, make_cadre, apply_for,
                                                  users):
    klass = make_class(capacity=3)
    apply_for(klass, [make_cadre(f"Hồ Thị Chọn{i}", birth_year=1970 + i) for i in range(6)])
    preview = enrolment.preview(klass, service.policy_of(klass))
    coordinator_id, class_id = users["coordinator"].id, klass.id

    def confirm():
        from app.auth.models import User
        from app.extensions import db as session_db

        actor = session_db.session.get(User, coordinator_id)
        enrolment.confirm_allocation(actor, class_id, preview.policy, preview.fingerprint,
                                     utcnow())

    ok, refused = _race(app, [confirm, confirm, confirm])
    assert (ok, refused) == (1, 2)
    assert _admitted(db, class_id) == 3
