"""Fixtures for the costs tests: two funding sources, and the attendance tests' running class
with marks (An 2 paid days, Ba 1 day on the payroll, Hoa excused, Út absent; 100.000 đ a day;
travel 50.000 đ for xã Sơn Kỳ), so the allowance list pays 200.000 đ meals and 50.000 đ travel.
Sessions 1 to 3 (of 6) have marks: 3 sessions held."""

from datetime import date

import pytest

from app.attendance.models import AttendanceMark
from app.costs.models import ClassCost
from app.programs.models import FundingSource, Program
from tests.attendance.conftest import (  # noqa: F401 - the attendance fixtures, used here
    admit,
    apply_for,
    by_name,
    learner_cadre,
    make_class,
    running,
)
from tests.certificates.conftest import confirmed, finished  # noqa: F401 - used here


@pytest.fixture()
def sources(db):
    central = FundingSource(code="tw", name="Ngân sách trung ương", sort_order=1)
    local = FundingSource(code="dp", name="Ngân sách địa phương đối ứng", sort_order=2)
    db.session.add_all([central, local])
    db.session.commit()
    return {"central": central, "local": local}


@pytest.fixture()
def programs(db):
    one = Program(code="p1", name="Chương trình mục tiêu quốc gia giảm nghèo bền vững",
                  short_name="CTMTQG GNBV 2021-2025")
    two = Program(code="p2", name="Chương trình tích hợp 2026-2035", short_name="CT 2026-2035")
    db.session.add_all([one, two])
    db.session.commit()
    return {"one": one, "two": two}


@pytest.fixture()
def marked(running, db, users, son_ha, sources):  # noqa: F811 - the fixture above
    from app.attendance import settings

    klass, applications = running(daily_rate=100_000, funding_source_id=sources["central"].id)
    named = by_name(applications)
    for index, row in {
            0: {"Hồ Thị An": "present", "Phạm Văn Ba": "late", "Đinh Thị Hoa": "excused",
                "Đinh Văn Út": "absent"},
            1: {"Hồ Thị An": "present", "Phạm Văn Ba": "present"},
            2: {"Hồ Thị An": "late"}}.items():
        for name, status in row.items():
            db.session.add(AttendanceMark(session_id=klass.sessions[index].id,
                                          application_id=named[name].id, status=status))
    named["Phạm Văn Ba"].cadre.on_payroll = True
    settings.save_travel_rates(users["coordinator"], {son_ha["new:son-ky"].id: 50_000})
    db.session.commit()
    return klass, applications


@pytest.fixture()
def classes(db, make_class, make_village, son_ha, sources, programs):  # noqa: F811
    """Classes of 2026 with costs (A: xã Sơn Kỳ, program one; B: two communes, program two;
    C: a village of xã Sơn Hà), a cancelled one and one of 2025 (left out of 2026)."""
    central, local = sources["central"].id, sources["local"].id
    one, two = programs["one"].id, programs["two"].id

    def klass(start, communes, program, status="finished", lines=()):
        made = make_class(status=status, start=start, communes=communes, program_id=program)
        for line, source, budget, spent in lines:
            db.session.add(ClassCost(class_id=made.id, line=line, funding_source_id=source,
                                     budget=budget, spent=spent))
        db.session.commit()
        return made

    a = klass(date(2026, 3, 10), ("new:son-ky",), one,
              lines=[("trainer", central, 3_000_000, 1_500_000),
                     ("materials", local, 2_000_000, 1_800_000)])
    b = klass(date(2026, 5, 5), ("new:son-ha", "new:son-ky"), two,
              lines=[("hall", central, 1_000_000, 1_000_000)])
    c = klass(date(2026, 6, 1), ("new:son-ha",), one, status="running",
              lines=[("meal", None, 500_000, 0)])
    c.invited_units = [make_village(son_ha["new:son-ha"], "Làng Rê")]
    klass(date(2026, 4, 1), ("new:son-ky",), one, status="cancelled",
          lines=[("other", central, 9_999_999, 9_999_999)])
    klass(date(2025, 12, 1), ("new:son-ky",), one,
          lines=[("other", central, 7_777_777, 7_777_777)])
    db.session.commit()
    return a, b, c


@pytest.fixture(autouse=True)
def _daytime(daytime):
    """Every test here runs at 15:00 in Vietnam today (tests/conftest.py `daytime`): their
    classes' sessions of today have begun whatever the hour of the run."""
    return daytime
