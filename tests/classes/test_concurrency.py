"""No overbooking when coordinators act at the same moment.

- PostgreSQL (row locks, SELECT ... FOR UPDATE): the tests marked `postgresql` run only when
  TEST_DATABASE_URL is PostgreSQL (the CI pass).
- SQLite (BEGIN IMMEDIATE): the in-memory test database has a single shared connection, so
  the SQLite race runs on its own temporary database file, one connection per thread.
"""

import os

import pytest
from sqlalchemy import func, select

from app.classes import enrolment, service
from app.classes.models import Application, TrainingClass
from app.timeutil import utcnow
from tests.race import race

postgresql = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="TEST_DATABASE_URL is not PostgreSQL")


def _race(app, jobs):
    """Run the jobs in threads released together; returns (successes, refusals).

    A refusal must come from the checks made under the class lock: the counter's check
    constraint (the backstop) is never reached when the lock works."""
    outcome = race(app, jobs, enrolment.EnrolmentError)
    assert outcome.errors == []
    assert not [m for m in outcome.messages if "vượt quá số chỗ" in m]
    return outcome.ok, outcome.refused


def _admitted(db, class_id):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Application).where(
        Application.class_id == class_id, Application.status == "admitted"))


def _check_seats(db, class_id, capacity):
    """Never above the capacity, the counter equals the admitted rows, ranks are 1..n."""
    admitted = _admitted(db, class_id)
    klass = db.session.get(TrainingClass, class_id)
    assert admitted <= capacity
    assert klass.admitted_count == admitted
    ranks = db.session.scalars(select(Application.waitlist_rank).where(
        Application.class_id == class_id, Application.status == "waitlisted")
        .order_by(Application.waitlist_rank)).all()
    assert ranks == list(range(1, len(ranks) + 1))
    return admitted


def _as(coordinator_id, action):
    """A job: `action(actor)` with the coordinator loaded in the thread's own session."""
    def job():
        from app.auth.models import User
        from app.extensions import db as session_db

        action(session_db.session.get(User, coordinator_id))
    return job


def _mixed_jobs(db, class_id, coordinator_id):
    """Three seats freed beforehand; then withdrawals, override-admits and fills at once."""
    from app.auth.models import User

    actor = db.session.get(User, coordinator_id)
    admitted = db.session.scalars(select(Application.id).where(
        Application.class_id == class_id, Application.status == "admitted")
        .order_by(Application.id)).all()
    for application_id in admitted[:3]:
        enrolment.override(actor, application_id, "waitlist", "Tạo chỗ trống", utcnow())
    db.session.commit()
    still_in = admitted[3:]
    waiting = db.session.scalars(select(Application.id).where(
        Application.class_id == class_id, Application.status == "waitlisted")
        .order_by(Application.waitlist_rank)).all()
    jobs = [_as(coordinator_id, lambda a, i=i: enrolment.override(
        a, i, "admit", "Nhận cùng lúc", utcnow())) for i in waiting[:5]]
    jobs += [_as(coordinator_id, lambda a: enrolment.fill(a, class_id, utcnow()))] * 2
    jobs += [_as(coordinator_id, lambda a, i=i: enrolment.withdraw(
        a, i, "Rút cùng lúc", utcnow(), by_coordinator=True)) for i in still_in]
    return jobs


@pytest.fixture()
def allocated(app, db, make_class, make_cadre, apply_for, users):
    klass = make_class(capacity=5, min_women_share=0.0)
    apply_for(klass, [make_cadre(f"Đinh Thị Người{i}", birth_year=1960 + i) for i in range(12)])
    preview = enrolment.preview(klass, klass.policy)
    enrolment.confirm_allocation(users["coordinator"], klass.id, preview.policy,
                                 preview.fingerprint, utcnow())
    db.session.commit()
    return klass.id


@postgresql
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


@postgresql
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


@postgresql
def test_simultaneous_confirmations_allocate_once(app, db, make_class, make_cadre, apply_for,
                                                  users):
    klass = make_class(capacity=3)
    apply_for(klass, [make_cadre(f"Hồ Thị Chọn{i}", birth_year=1970 + i) for i in range(6)])
    preview = enrolment.preview(klass, klass.policy)
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


@postgresql
def test_mixed_withdrawals_admits_and_fills_keep_the_counter_true(app, db, allocated, users):
    jobs = _mixed_jobs(db, allocated, users["coordinator"].id)
    ok, refused = _race(app, jobs)
    assert ok + refused == len(jobs) and ok >= 4  # fills and withdrawals always succeed
    assert _check_seats(db, allocated, 5) == 5  # every freed seat was filled again


# --------------------------------------------------------------------------- SQLite


@pytest.fixture()
def file_app(tmp_path):
    """The app on its own SQLite file (WAL, busy timeout): one connection per thread."""
    from app import create_app
    from app.extensions import db
    from config import TestingConfig

    class FileConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'race.db'}"

    app = create_app(FileConfig)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _seed(capacity, people):
    """An allocated class in the current app: (class id, coordinator id)."""
    from app.auth.models import User
    from app.classes.models import Application
    from app.extensions import db
    from app.people.models import Cadre, Position
    from app.people.reference import ensure_positions, ensure_son_ha_units
    from app.timeutil import local_today

    ensure_positions()
    communes = ensure_son_ha_units()
    coordinator = User(username="coordinator", full_name="Điều Phối")
    coordinator.set_password("secret-pass-1")
    coordinator.set_roles(("coordinator",))
    db.session.add(coordinator)
    position = db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))
    cadres = []
    for i in range(people):
        cadre = Cadre(gender="F" if i % 2 else "M", birth_year=1960 + i, position_id=position,
                      commune_id=communes["new:son-ky"].id, ethnicity_code="18")
        cadre.set_name(f"Đinh Thị Đua{i}")
        cadre.refresh_identity()
        db.session.add(cadre)
        cadres.append(cadre)
    db.session.flush()
    start = local_today()
    klass = service.create_class(coordinator, service.ClassData(
        code="DUA", title="Lớp chạy đua", place="Sơn Kỳ", start_date=start, end_date=start,
        capacity=capacity, unit_ids=[communes["new:son-ky"].id], min_women_share=0.0),
        with_sessions=False)
    klass.status = "open"
    db.session.add_all(Application(class_id=klass.id, cadre_id=c.id, source="nominated",
                                   applied_at=utcnow()) for c in cadres)
    db.session.commit()
    preview = enrolment.preview(klass, klass.policy)
    enrolment.confirm_allocation(coordinator, klass.id, preview.policy, preview.fingerprint,
                                 utcnow())
    db.session.commit()
    return klass.id, coordinator.id


def test_sqlite_file_race_never_overbooks(file_app):
    from app.extensions import db

    with file_app.app_context():
        class_id, coordinator_id = _seed(capacity=5, people=14)
        assert _check_seats(db, class_id, 5) == 5
        jobs = _mixed_jobs(db, class_id, coordinator_id)
        db.session.remove()
    ok, refused = _race(file_app, jobs)
    with file_app.app_context():
        assert ok + refused == len(jobs) and ok >= 4
        assert _check_seats(db, class_id, 5) == 5
