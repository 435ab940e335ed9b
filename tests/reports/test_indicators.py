"""The training indicators against a hand-built data set: every figure counted by hand."""

from datetime import date

import pytest
from sqlalchemy import select

from app.attendance.models import AttendanceMark
from app.classes.models import Application, ClassSession, TrainingClass
from app.people.models import Position
from app.programs.models import ActivityType
from app.reports import indicators
from app.reports.indicators import Figure, Scope

YEAR = Scope(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture()
def data(db, son_ha, make_cadre):
    """Three classes of 2026 and one of 2025:

    A (finished, March 2026, 4 sessions, min 75%): Hoa (woman, Hrê, trưởng thôn, Sơn Kỳ)
      attends 4; Bốc (man, Hrê, trưởng thôn, Sơn Kỳ) 2; Lan (woman, Kinh, commune official,
      Sơn Hà) 3; Nam (man, no people recorded, commune official, Sơn Hà) waitlisted.
    B (running, October 2026, 2 sessions, min 80%, no mark yet): Hoa and Bốc admitted.
    C (planned, November 2026): Lan admitted (not held: not counted).
    D (finished, 2025): Hoa admitted (another period).
    """
    hoa = make_cadre("Đinh Thị Hoa", "F", 1985)
    boc = make_cadre("Đinh Văn Bốc", "M", 1979)
    lan = make_cadre("Nguyễn Thị Lan", "F", 1990, commune=son_ha["new:son-ha"],
                     position="cong-chuc-vhxh", ethnicity_code="01", level="commune")
    nam = make_cadre("Trần Văn Nam", "M", 1988, commune=son_ha["new:son-ha"],
                     position="cong-chuc-vhxh", ethnicity_code=None, level="commune")
    course = db.session.scalar(select(ActivityType).order_by(ActivityType.id))

    def klass(code, status, start, sessions, min_pct=80):
        c = TrainingClass(code=code, title=f"Lớp {code}", place="Sơn Hà", start_date=start,
                          end_date=start, capacity=30, status=status, min_attendance_pct=min_pct,
                          activity_type_id=course.id if course and code != "C" else None)
        db.session.add(c)
        db.session.flush()
        made = []
        for i in range(sessions):
            s = ClassSession(class_id=c.id, date=date(start.year, start.month, start.day + i),
                             part="morning")
            db.session.add(s)
            made.append(s)
        db.session.flush()
        return c, made

    def admit(c, cadre, status="admitted"):
        a = Application(class_id=c.id, cadre_id=cadre.id, status=status, source="nominated",
                        waitlist_rank=1 if status == "waitlisted" else None)
        db.session.add(a)
        db.session.flush()
        return a

    a, sessions = klass("A", "finished", date(2026, 3, 2), 4, min_pct=75)
    for cadre, attended in ((hoa, 4), (boc, 2), (lan, 3)):
        app_ = admit(a, cadre)
        for i, s in enumerate(sessions):
            db.session.add(AttendanceMark(session_id=s.id, application_id=app_.id,
                                          status="present" if i < attended else "absent"))
    admit(a, nam, "waitlisted")
    b, _ = klass("B", "running", date(2026, 10, 5), 2)
    admit(b, hoa)
    admit(b, boc)
    c, _ = klass("C", "planned", date(2026, 11, 2), 2)
    admit(c, lan)
    d, _ = klass("D", "finished", date(2025, 5, 4), 1)
    admit(d, hoa)
    db.session.commit()
    return {"hoa": hoa, "boc": boc, "lan": lan, "son_ky": son_ha["new:son-ky"],
            "son_ha": son_ha["new:son-ha"], "course": course}


def test_trainees_counted_as_person_times_and_people(data):
    figures = indicators.trainees(YEAR)
    assert figures["luot"] == Figure(5)  # A: Hoa, Bốc, Lan; B: Hoa, Bốc
    assert figures["nguoi"] == Figure(3)
    assert figures["luot_nu"] == Figure(3, 5)  # Hoa twice, Lan
    assert figures["nguoi_nu"] == Figure(2, 3)
    assert figures["luot_dtts"] == Figure(4, 5)  # Hoa and Bốc (Hrê) twice; Lan is Kinh
    assert figures["nguoi_dtts"] == Figure(2, 3)
    assert figures["luot_lanh_dao_co_so"] == Figure(4, 5)  # the two trưởng thôn, twice
    assert figures["luot_cap_village"] == Figure(4, 5)
    assert figures["luot_cap_commune"] == Figure(1, 5)
    assert figures["luot_cap_province"] == Figure(0, 5)


def test_attendance_and_completion_only_where_attendance_was_taken(data):
    figures = indicators.attendance(YEAR)
    assert figures["buoi_du"] == Figure(4 + 2 + 3, 3 * 4)  # class B has no mark: left out
    # min 75% of 4 sessions = 3: Hoa (4) and Lan (3) complete, Bốc (2) does not.
    assert figures["hoan_thanh"] == Figure(2, 3)
    assert figures["buoi_du"].percent == 75


def test_unit_and_period_filters(data):
    son_ky = Scope(YEAR.start, YEAR.end, commune_ids=frozenset({data["son_ky"].id}))
    assert indicators.trainees(son_ky)["luot"] == Figure(4)
    assert indicators.attendance(son_ky)["hoan_thanh"] == Figure(1, 2)
    first_half = Scope(date(2026, 1, 1), date(2026, 6, 30))
    assert indicators.trainees(first_half)["luot"] == Figure(3)
    last_year = Scope(date(2025, 1, 1), date(2025, 12, 31))
    assert indicators.trainees(last_year)["nguoi"] == Figure(1)


def test_activities_by_type_and_the_summary(data):
    named = data["course"].name if data["course"] else ""
    assert indicators.activities(YEAR) == [(named, 2)]
    summary = indicators.summary(YEAR)
    assert set(summary) == set(indicators.LABELS)
    assert summary["so_hoat_dong"] == Figure(2)


def test_a_period_without_data_gives_zeros(db, son_ha):
    empty = Scope(date(2030, 1, 1), date(2030, 3, 31))
    summary = indicators.summary(empty)
    assert all(f.value == 0 for f in summary.values())
    assert summary["luot_nu"].percent is None


def test_the_by_commune_rows(data):
    assert indicators.by_commune(YEAR) == [("Xã Sơn Kỳ", 4, 2), ("Xã Sơn Hà", 1, 1)]


def test_leaders_are_the_positions_marked_so(db, son_ha):
    leaders = set(db.session.scalars(select(Position.code).where(
        Position.village_leader.is_(True))))
    assert "truong-thon" in leaders and "cong-chuc-vhxh" not in leaders
