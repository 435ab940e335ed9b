"""The demo attendance: the finished class complete (some late, excused, absent; a few below
the minimum, the demo learner not), the running class's started sessions marked, their
summary rows counted; idempotent."""

from sqlalchemy import func, select

from app.attendance import completion, marking
from app.attendance.models import AttendanceMark
from app.audit.models import AuditEntry
from app.auth.models import User
from app.classes.models import TrainingClass
from app.demo import load_all
from app.timeutil import utcnow
from tests.attendance.summarykit import assert_exact


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_attendance_is_complete_and_idempotent(db):
    load_all()
    db.session.commit()
    finished = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "TH-01"))
    running = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "TH-02"))
    admitted = completion.admitted_applications(finished)
    ids = [s.id for s in finished.sessions]
    marks = db.session.scalars(select(AttendanceMark).where(
        AttendanceMark.session_id.in_(ids))).all()
    assert len(marks) == len(admitted) * len(ids)
    assert {m.status for m in marks} == {"present", "late", "excused", "absent"}
    rows = completion.class_completion(finished)
    labels = sorted(r.completion.label for r in rows if not r.completion.met)
    assert labels == ["thiếu 1 buổi", "thiếu 1 buổi", "thiếu 2 buổi"]
    learner = db.session.scalar(select(User).where(User.username == "learner")).cadre
    (own,) = [r for r in rows if r.cadre.id == learner.id]
    assert own.completion.met

    begun = [s.id for s in running.sessions if marking.has_begun(s, utcnow())]
    marked = db.session.scalar(select(func.count(func.distinct(AttendanceMark.session_id)))
                               .where(AttendanceMark.session_id.in_(
                                   [s.id for s in running.sessions])))
    assert marked == len(begun)

    counts = (_count(db, AttendanceMark), _count(db, AuditEntry))
    summary = assert_exact()  # each learner's summary row, as a recount of the marks
    assert len(summary) == len({m.application_id for m in db.session.scalars(
        select(AttendanceMark))})
    load_all()
    db.session.commit()
    assert (_count(db, AttendanceMark), _count(db, AuditEntry)) == counts
    assert assert_exact() == summary


def test_the_finished_class_has_an_allowance_list_with_attendees_on_the_payroll(db, app):
    from app.attendance.allowance_views import compute

    load_all()
    db.session.commit()
    finished = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "TH-01"))
    with app.test_request_context():
        data = compute(finished)
    assert data.lines and data.total > 0
    payroll = [line for line in data.lines if line.cadre.on_payroll]
    assert payroll and all(line.meal == 0 for line in payroll)
    assert any(line.travel for line in data.lines)
