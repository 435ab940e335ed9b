"""Fixtures for the certificates tests: a finished class of five sessions (so 80% is exactly
four) with admitted learners and their marks."""

from datetime import timedelta

import pytest

from app.attendance.models import AttendanceMark
from app.timeutil import local_today
from tests.attendance.conftest import admit  # noqa: F401 - the attendance fixtures, used here
from tests.classes.conftest import apply_for, make_class  # noqa: F401

NAMES = [("Đinh Thị Hoa", "F"), ("Phạm Văn Ba", "M"), ("Hồ Thị An", "F"), ("Đinh Văn Út", "M")]


@pytest.fixture()
def finished(db, make_class, make_cadre, apply_for, admit):  # noqa: F811
    """make(marks={name: [status per session]}, sessions=5, **class fields) -> (class,
    {name: application}); a learner not in `marks` attended every session."""
    from app.classes.models import ClassSession

    def make(marks=None, names=NAMES, sessions=5, status="finished", learner=None, **fields):
        start = local_today() - timedelta(days=10)
        klass = make_class(status="running", start=start, days=3, capacity=len(names) + 1,
                           **fields)
        for extra in list(klass.sessions)[sessions:]:
            db.session.delete(extra)
        db.session.commit()
        db.session.refresh(klass)
        assert len(klass.sessions) == sessions
        cadres = [make_cadre(n, gender=g, birth_year=1980 + i) for i, (n, g) in enumerate(names)]
        if learner is not None:
            cadres.append(learner)
        applications = admit(klass, apply_for(klass, cadres))
        by_name = {a.cadre.full_name: a for a in applications}
        marks = marks or {}
        for name, application in by_name.items():
            statuses = marks.get(name, ["present"] * sessions)
            for session, mark in zip(klass.sessions, statuses, strict=False):
                if mark:
                    db.session.add(AttendanceMark(session_id=session.id,
                                                  application_id=application.id, status=mark))
        klass.status = status
        db.session.commit()
        assert all(isinstance(s, ClassSession) for s in klass.sessions)
        return klass, by_name

    return make


@pytest.fixture()
def confirmed(db, users):
    """Confirm a class's results as its trainer."""
    from app.certificates import issuing
    from app.timeutil import utcnow

    def do(klass):
        issuing.confirm(users["trainer"], klass, utcnow())
        db.session.commit()

    return do
