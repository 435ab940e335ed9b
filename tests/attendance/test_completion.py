"""Completion, computed in one place (`app/attendance/completion.py`): what counts as attended,
the percentage, "thiếu N buổi", one class in a constant number of queries, and "trained
before" in the seat allocation."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from app.attendance import completion, marking
from app.attendance.completion import ATTENDED, Completion
from app.attendance.marking import Entry
from app.classes import enrolment
from tests.attendance.conftest import by_name


def test_three_of_four_sessions_at_80_percent_is_one_session_short():
    c = Completion(attended=3, sessions=4, min_pct=80)
    assert (c.met, c.percent, c.needed, c.shortfall, c.label) == (False, 75, 4, 1,
                                                                  "thiếu 1 buổi")
    assert Completion(4, 4, 80).met and Completion(4, 4, 80).label == "Đạt"
    assert Completion(8, 10, 80).met  # exactly the minimum
    assert Completion(0, 4, 0).met  # a class that asks for no attendance
    assert not Completion(0, 0, 80).met  # no sessions yet: nobody has completed


def test_the_percentage_is_rounded_down():
    assert Completion(2, 3, 67).percent == 66  # 66.7 shows as 66, and is short of 67
    assert not Completion(2, 3, 67).met


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 100))
def test_completion_agrees_with_exact_fractions(attended, sessions, min_pct):
    attended = min(attended, sessions)
    c = Completion(attended, sessions, min_pct)
    share = Fraction(attended, sessions) if sessions else None
    assert c.met == (share is not None and share * 100 >= min_pct)
    # the fewest sessions that meet the minimum, found by counting
    needed = next(n for n in range(sessions + 1) if n * 100 >= min_pct * sessions)
    assert c.needed == needed
    assert c.shortfall == (0 if c.met or not sessions else needed - attended)
    assert c.percent <= (share * 100 if share is not None else 0) < c.percent + 1


def test_present_and_late_count_as_attended():
    assert {"present", "late"} == ATTENDED


def _mark(db, actor, klass, session, statuses: dict, now):
    marking.save(actor, klass, {session.id: statuses}, now)
    db.session.commit()


def test_class_completion_counts_each_admitted_learner(db, users, running, now):
    klass, applications = running()  # six sessions, minimum 80%: five needed
    people = by_name(applications)
    statuses = [{"Hồ Thị An": "present", "Phạm Văn Ba": "late", "Đinh Thị Hoa": "excused",
                 "Đinh Văn Út": "absent"},
                {"Hồ Thị An": "present", "Phạm Văn Ba": "present", "Đinh Thị Hoa": "present",
                 "Đinh Văn Út": "absent"}]
    for session, marks in zip(klass.sessions[:2], statuses, strict=True):
        _mark(db, users["trainer"], klass, session,
              {people[name].id: Entry(status, "") for name, status in marks.items()}, now)
    rows = {row.cadre.full_name: row.completion for row in completion.class_completion(klass)}
    assert list(rows) == ["Hồ Thị An", "Phạm Văn Ba", "Đinh Thị Hoa", "Đinh Văn Út"]
    assert {n: (c.attended, c.sessions, c.percent) for n, c in rows.items()} == {
        "Hồ Thị An": (2, 6, 33), "Phạm Văn Ba": (2, 6, 33), "Đinh Thị Hoa": (1, 6, 16),
        "Đinh Văn Út": (0, 6, 0)}
    assert rows["Đinh Văn Út"].label == "thiếu 5 buổi"
    assert completion.completion_of(klass, people["Hồ Thị An"]) == rows["Hồ Thị An"]


def test_one_class_in_a_constant_number_of_queries(db, users, running, now, count_queries):
    def measure(names):
        klass, applications = running(names=names)
        for session in klass.sessions[:2]:
            _mark(db, users["trainer"], klass, session,
                  {a.id: Entry("present", "") for a in applications}, now)
        db.session.expire_all()
        with count_queries() as n:
            rows = completion.class_completion(klass)
        assert len(rows) == len(names)
        return n()

    few = measure([("Hồ Văn Một", "M"), ("Hồ Văn Hai", "M")])
    many = measure([(f"Hồ Văn Người {chr(65 + i)}", "M") for i in range(12)])
    # the class (with its trainers and communes), the applications, the counts, the sessions
    assert few == many <= 6


def _course(db, slug, topic):
    from app.courses.models import Course

    course = Course(slug=slug, code=slug.upper(), title=slug, topics=[topic],
                    status="published")
    db.session.add(course)
    db.session.commit()
    return course


def test_trained_before_means_attended_a_class_of_the_same_topic(db, users, running,
                                                                 make_class, now):
    course = _course(db, "gn", "chuong-trinh")
    past, applications = running(course_id=course.id)
    people = by_name(applications)
    _mark(db, users["trainer"], past, past.sessions[0], {
        people["Hồ Thị An"].id: Entry("present", ""), people["Phạm Văn Ba"].id: Entry("late", ""),
        people["Đinh Thị Hoa"].id: Entry("excused", ""),
        people["Đinh Văn Út"].id: Entry("absent", "")}, now)
    upcoming = make_class(course_id=course.id)
    trained = enrolment.trained_before(upcoming)
    assert trained == {people["Hồ Thị An"].cadre_id, people["Phạm Văn Ba"].cadre_id}


def test_admitted_still_counts_in_a_class_where_no_attendance_was_taken(db, running,
                                                                        make_class):
    course = _course(db, "gn", "chuong-trinh")
    past, applications = running(course_id=course.id, status="finished")
    upcoming = make_class(course_id=course.id)
    assert enrolment.trained_before(upcoming) == {a.cadre_id for a in applications}
