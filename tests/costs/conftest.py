"""Fixtures for the costs tests: two funding sources, and the attendance tests' running class
with marks (An 2 paid days, Ba 1 day on the payroll, Hoa excused, Út absent; 100.000 đ a day;
travel 50.000 đ for xã Sơn Kỳ), so the allowance list pays 200.000 đ meals and 50.000 đ travel.
Sessions 1 to 3 (of 6) have marks: 3 sessions held."""

import pytest

from app.attendance.models import AttendanceMark
from app.programs.models import FundingSource, Program
from tests.attendance.conftest import (  # noqa: F401 - the attendance fixtures, used here
    admit,
    apply_for,
    by_name,
    learner_cadre,
    make_class,
    running,
)


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
