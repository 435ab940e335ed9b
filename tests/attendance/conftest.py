"""Fixtures for the attendance tests: a class with admitted learners whose first sessions
have started (yesterday's two) and whose last ones have not (tomorrow's)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.timeutil import local_today
from tests.classes.conftest import (  # noqa: F401 - the classes' fixtures, used here too
    apply_for,
    learner_cadre,
    make_class,
)

NAMES = [("Đinh Thị Hoa", "F"), ("Phạm Văn Ba", "M"), ("Hồ Thị An", "F"), ("Đinh Văn Út", "M")]


@pytest.fixture()
def admit(db):
    """Admit applications directly (status and the seat counter)."""
    def do(klass, applications):
        for application in applications:
            application.status = "admitted"
        klass.admitted_count += len(applications)
        db.session.commit()
        return applications

    return do


@pytest.fixture()
def running(make_class, make_cadre, apply_for, admit):  # noqa: F811 - the fixtures above
    """A running class (yesterday, today, tomorrow; six sessions) taught by the `trainer`
    account, with four admitted learners; `.applications` in Vietnamese name order."""
    def make(names=NAMES, status="running", **fields):
        klass = make_class(status=status, start=local_today() - timedelta(days=1), days=3,
                           capacity=max(len(names), 1), **fields)
        cadres = [make_cadre(name, gender=gender, birth_year=1970 + i)
                  for i, (name, gender) in enumerate(names)]
        applications = admit(klass, apply_for(klass, cadres))
        return klass, applications

    return make


@pytest.fixture()
def now():
    """A moment after yesterday's sessions and before tomorrow's (naive UTC, as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def first(klass):
    """Yesterday morning's session (started)."""
    return klass.sessions[0]


def last(klass):
    """Tomorrow afternoon's session (not started)."""
    return klass.sessions[-1]


def by_name(applications):
    return {a.cadre.full_name: a for a in applications}


def upcoming_now(klass):
    """A moment just before yesterday morning's session began (00:29 UTC is 07:29 in Vietnam)."""
    session = first(klass)
    return datetime.combine(session.date, datetime.min.time()) + timedelta(minutes=29)


@pytest.fixture(autouse=True)
def _daytime(daytime):
    """Every test here runs at 15:00 in Vietnam today (tests/conftest.py `daytime`): their
    classes' sessions of today have begun whatever the hour of the run."""
    return daytime
