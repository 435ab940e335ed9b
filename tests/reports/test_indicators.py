"""The training indicators against a hand-built data set: every figure counted by hand."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.attendance.models import AttendanceMark, TravelAmount, TravelRate
from app.certificates.models import Certificate
from app.classes.models import Application, ClassSession, TrainingClass
from app.courses.models import Course, CourseEnrollment
from app.people.models import Position
from app.programs.models import ActivityType
from app.programs.reference import ensure_reference
from app.reports import indicators
from app.reports.indicators import Figure, Scope

YEAR = Scope(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture()
def data(db, son_ha, make_cadre):
    """Three classes of 2026 and one of 2025:

    A (finished, March 2026, 4 sessions on 4 days, min 75%, 100.000 đ a day; a lớp tập huấn):
      Hoa (woman, Hrê, trưởng thôn, Sơn Kỳ) attends 4; Bốc (man, Hrê, trưởng thôn, Sơn Kỳ) 2;
      Lan (woman, Kinh, commune official on the payroll, Sơn Hà) 3; Nam (man, no people
      recorded, commune official, Sơn Hà) waitlisted. Travel support: 50.000 đ for Sơn Kỳ,
      20.000 đ typed for Bốc.
    B (running, October 2026, 2 sessions, min 80%, no mark yet): Hoa and Bốc admitted.
    C (planned, November 2026): Lan admitted (not held: not counted).
    D (finished, 2025): Hoa admitted (another period).
    """
    hoa = make_cadre("Đinh Thị Hoa", "F", 1985)
    boc = make_cadre("Đinh Văn Bốc", "M", 1979)
    lan = make_cadre("Nguyễn Thị Lan", "F", 1990, commune=son_ha["new:son-ha"],
                     position="cong-chuc-vhxh", ethnicity_code="01", level="commune",
                     on_payroll=True)
    nam = make_cadre("Trần Văn Nam", "M", 1988, commune=son_ha["new:son-ha"],
                     position="cong-chuc-vhxh", ethnicity_code=None, level="commune")
    ensure_reference()
    course = db.session.scalar(select(ActivityType).where(
        ActivityType.code == "tap-huan-boi-duong"))

    def klass(code, status, start, sessions, min_pct=80):
        c = TrainingClass(code=code, title=f"Lớp {code}", place="Sơn Hà", start_date=start,
                          end_date=start, capacity=30, status=status, min_attendance_pct=min_pct,
                          activity_type_id=course.id if code != "B" else None,
                          daily_rate=100_000 if code == "A" else 0)
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
        if cadre is boc:
            db.session.add(TravelAmount(application_id=app_.id, amount=20_000))
    db.session.add(TravelRate(commune_id=son_ha["new:son-ky"].id, amount=50_000))
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
    assert indicators.activities(YEAR) == [("Lớp tập huấn, bồi dưỡng", 1), ("", 1)]
    summary = indicators.summary(YEAR)
    assert list(summary) == [i.name for i in indicators.REGISTRY]
    assert summary["so_hoat_dong"] == Figure(2)
    assert summary["so_lop_tap_huan"] == Figure(1, 2)  # A; B has no type recorded
    assert summary["so_hoat_dong_khac"] == Figure(1, 2)
    assert summary["so_doan_hoc_tap"] == Figure(0, 2) == summary["so_hoi_thao"]


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


def test_grassroots_leaders_and_position_groups(data):
    figures = indicators.summary(YEAR)
    assert figures["nguoi_lanh_dao_co_so"] == Figure(2, 3)  # Hoa and Bốc
    assert figures["luot_nhom_lanh_dao_thon"] == Figure(4, 5)
    assert figures["luot_nhom_thon_khac"] == Figure(0, 5)
    assert figures["luot_nhom_xa"] == Figure(1, 5)  # Lan
    assert figures["luot_nhom_huyen_tinh"] == Figure(0, 5)


def test_allowances_paid_by_the_allowance_rules(data):
    """Class A, 100.000 đ a day: Hoa 4 days + 50.000 đ travel (Sơn Kỳ's amount); Bốc 2 days
    + 20.000 đ typed; Lan is on the payroll (no meals, no travel). Class B has no mark."""
    figures = indicators.allowances(YEAR)
    assert figures["tien_an"] == Figure(600_000, 670_000)
    assert figures["tien_di_lai"] == Figure(70_000, 670_000)
    assert figures["tien_ho_tro"] == Figure(670_000)
    son_ha_only = Scope(YEAR.start, YEAR.end, commune_ids=frozenset({data["son_ha"].id}))
    assert indicators.allowances(son_ha_only)["tien_ho_tro"] == Figure(0)
    # the paid marks are a setting: were absences paid, Bốc's 2 absent days would be
    assert indicators.allowances(YEAR, paid=frozenset({"absent"}))["tien_an"].value == \
        (0 + 2) * 100_000  # Bốc's 2 absences; Lan's 1 absence is on the payroll


def _certificate(db, klass, application, cadre, seq, issued_on, revoked_at=None):
    db.session.add(Certificate(
        code=f"CODE{seq:06d}", class_id=klass.id, application_id=application.id,
        cadre_id=cadre.id, issuer_key="ubnd", year=issued_on.year, seq=seq,
        number=f"{seq:03d}/GCN-UBND", holder_name=cadre.full_name, holder_gender=cadre.gender,
        holder_birth=str(cadre.birth_year), holder_unit="xã Sơn Kỳ", class_code=klass.code,
        class_title=klass.title, class_place=klass.place, start_date=klass.start_date,
        end_date=klass.end_date, issuer_lines=[["ỦY BAN NHÂN DÂN", True]],
        issuer_name="Ủy ban nhân dân xã Sơn Hà", place_name="Sơn Hà", issued_on=issued_on,
        signer_title="Chủ tịch", signer_name="Đinh Văn Minh", revoked_at=revoked_at,
        revoke_reason="Cấp nhầm" if revoked_at else None))


def test_certificates_issued_and_revoked_in_the_period(db, data):
    klass = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "A"))
    apps = {a.cadre_id: a for a in db.session.scalars(select(Application).where(
        Application.class_id == klass.id))}
    hoa, lan = data["hoa"], data["lan"]
    # Hoa's certificate of 20/03/2026 revoked on 02/01/2027 (local day; 01/01 17:30 UTC)
    _certificate(db, klass, apps[hoa.id], hoa, 1, date(2026, 3, 20),
                 revoked_at=datetime(2027, 1, 1, 17, 30))
    _certificate(db, klass, apps[lan.id], lan, 2, date(2026, 3, 20))
    db.session.commit()
    assert indicators.certificates(YEAR) == {"gcn_cap": Figure(2), "gcn_thu_hoi": Figure(0)}
    next_year = Scope(date(2027, 1, 1), date(2027, 12, 31))
    assert indicators.certificates(next_year) == {"gcn_cap": Figure(0),
                                                  "gcn_thu_hoi": Figure(1)}
    son_ky = Scope(YEAR.start, YEAR.end, commune_ids=frozenset({data["son_ky"].id}))
    assert indicators.certificates(son_ky)["gcn_cap"] == Figure(1)


def test_elearning_enrolments_and_completions(db, data, make_user):
    course = Course(slug="giam-ngheo", code="GN01", title="Giảm nghèo bền vững",
                    status="published")
    db.session.add(course)
    hoa_user, other = make_user("hoa"), make_user("khach")
    data["hoa"].user_id = hoa_user.id
    db.session.flush()
    db.session.add_all([
        # 31/12/2025 23:30 local is 16:30 UTC: last year; completed 01/01/2026 00:30 local
        CourseEnrollment(course_id=course.id, user_id=hoa_user.id,
                         started_at=datetime(2025, 12, 31, 16, 30),
                         completed_at=datetime(2025, 12, 31, 17, 30)),
        CourseEnrollment(course_id=course.id, user_id=other.id,
                         started_at=datetime(2026, 6, 1, 3, 0))])
    db.session.commit()
    figures = indicators.elearning(YEAR)
    assert figures == {"hoc_truc_tuyen": Figure(1), "hoan_thanh_truc_tuyen": Figure(1)}
    son_ky = Scope(YEAR.start, YEAR.end, commune_ids=frozenset({data["son_ky"].id}))
    assert indicators.elearning(son_ky) == {"hoc_truc_tuyen": Figure(0),
                                            "hoan_thanh_truc_tuyen": Figure(1)}
