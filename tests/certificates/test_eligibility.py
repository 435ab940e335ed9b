"""Who qualifies for a certificate: the attendance rule (computed by attendance/completion.py),
the quiz when the class uses its course's quiz, the class finished, results confirmed."""

import pytest

from app.certificates import eligibility, issuing
from app.certificates.issuing import CertificateError
from app.timeutil import utcnow


def _missing(klass):
    return {r.cadre.full_name: r.missing for r in eligibility.standings(klass)}


def test_exactly_80_percent_qualifies_and_one_less_is_one_session_short(finished):
    klass, _ = finished({"Đinh Thị Hoa": ["present", "present", "late", "present", "absent"],
                         "Phạm Văn Ba": ["present", "present", "absent", "absent", "present"]})
    missing = _missing(klass)
    assert missing["Đinh Thị Hoa"] == []  # 4/5 = exactly 80%, a late arrival counts
    assert missing["Phạm Văn Ba"] == ["thiếu 1 buổi"]


def test_an_excused_absence_does_not_count_as_attended(finished):
    klass, _ = finished({"Hồ Thị An": ["present", "excused", "excused", "present", "present"]})
    assert _missing(klass)["Hồ Thị An"] == ["thiếu 1 buổi"]


def test_the_class_minimum_is_the_class_s_own(finished):
    klass, _ = finished({"Hồ Thị An": ["present", "absent", "absent", "present", "present"]},
                        min_attendance_pct=60)
    assert _missing(klass)["Hồ Thị An"] == []


def test_a_withdrawn_learner_is_not_on_the_list(db, finished):
    klass, apps = finished()
    apps["Đinh Văn Út"].status = "withdrawn"
    klass.admitted_count -= 1
    db.session.commit()
    assert "Đinh Văn Út" not in _missing(klass)


def _quiz_course(db, users):
    from app.courses.models import Course, CourseQuiz, QuizChoice, QuizQuestion

    course = Course(slug="giam-ngheo-kt", title="Giảm nghèo bền vững", code="GN-KT")
    course.quiz = CourseQuiz(pass_mark=50, questions=[QuizQuestion(
        position=1, text="Chuẩn nghèo đa chiều?", choices=[
            QuizChoice(position=1, text="Có", correct=True),
            QuizChoice(position=2, text="Không")])])
    db.session.add(course)
    db.session.commit()
    return course


def _attempt(db, user, course, passed):
    from sqlalchemy import select

    from app.courses.models import CourseEnrollment, QuizAttempt

    enrollment = db.session.scalar(select(CourseEnrollment).where(
        CourseEnrollment.user_id == user.id, CourseEnrollment.course_id == course.id))
    if enrollment is None:
        enrollment = CourseEnrollment(user_id=user.id, course_id=course.id)
        db.session.add(enrollment)
        db.session.flush()
    import secrets
    db.session.add(QuizAttempt(enrollment_id=enrollment.id, quiz_id=course.quiz.id,
                               token=secrets.token_hex(8), submitted_at=utcnow(),
                               question_count=1, correct_count=int(passed),
                               score=100 * int(passed), passed=passed))
    db.session.commit()


def test_a_quiz_failed_then_retaken_and_passed_qualifies(db, users, finished, make_cadre):
    course = _quiz_course(db, users)
    learner = make_cadre("Đinh Thị Lanh", user_id=users["learner"].id)
    klass, _ = finished(learner=learner, course_id=course.id, quiz_required=True)
    missing = _missing(klass)
    assert missing["Đinh Thị Lanh"] == ["chưa đạt bài kiểm tra"]
    assert missing["Đinh Thị Hoa"] == ["chưa đạt bài kiểm tra"]  # no account, no attempt
    _attempt(db, users["learner"], course, passed=False)
    assert _missing(klass)["Đinh Thị Lanh"] == ["chưa đạt bài kiểm tra"]
    _attempt(db, users["learner"], course, passed=True)
    assert _missing(klass)["Đinh Thị Lanh"] == []


def test_both_missing_are_named(db, users, finished, make_cadre):
    course = _quiz_course(db, users)
    learner = make_cadre("Đinh Thị Lanh", user_id=users["learner"].id)
    klass, _ = finished({"Đinh Thị Lanh": ["present", "absent", "absent", "present", "present"]},
                        learner=learner, course_id=course.id, quiz_required=True)
    assert _missing(klass)["Đinh Thị Lanh"] == ["thiếu 1 buổi", "chưa đạt bài kiểm tra"]


def test_a_course_quiz_not_required_by_the_class_is_not_asked(db, users, finished):
    course = _quiz_course(db, users)
    klass, _ = finished(course_id=course.id, quiz_required=False)
    assert all(m == [] for m in _missing(klass).values())


def test_a_class_not_finished_cannot_be_confirmed(users, finished):
    klass, _ = finished(status="running")
    with pytest.raises(CertificateError, match="Lớp chưa kết thúc"):
        issuing.confirm(users["trainer"], klass, utcnow())


def test_a_confirmation_no_longer_holds_when_attendance_changes(db, finished, confirmed):
    from sqlalchemy import select

    from app.attendance.models import AttendanceMark

    klass, apps = finished()
    confirmed(klass)
    rows = eligibility.standings(klass)
    assert eligibility.confirmation_holds(eligibility.confirmation(klass), rows)
    for mark in db.session.scalars(select(AttendanceMark).where(
            AttendanceMark.application_id == apps["Hồ Thị An"].id)).all()[:2]:
        mark.status = "absent"
    db.session.commit()
    rows = eligibility.standings(klass)
    assert not eligibility.confirmation_holds(eligibility.confirmation(klass), rows)
