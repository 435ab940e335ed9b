"""The cadre's training history on the cadre page: classes applied to, admitted, attended and
completed (completion by attendance/completion.py), courses completed online, with dates; a
fixed number of queries; coordinators only, and only this cadre's rows."""

from datetime import timedelta

import pytest

from app.attendance.history import training_history
from app.attendance.models import AttendanceMark
from app.courses import progress
from app.courses import service as courses
from app.courses.service import CourseData
from app.timeutil import local_today, utcnow


@pytest.fixture()
def history_of(db, running, make_class, make_cadre, apply_for, admit, users):
    """Đinh Thị Hoa: admitted to a running class (attended 5 of its 6 sessions: completed at
    80%), admitted to a finished one (attended 1 of 4: short), waitlisted in an open one,
    withdrawn from another; with a login that completed one course and started another."""
    def build(extra_classes=0):
        klass, applications = running(min_attendance_pct=80)
        hoa = applications[0].cadre
        assert hoa.full_name == "Đinh Thị Hoa"
        hoa.user_id = users["learner"].id
        for session in klass.sessions[:5]:
            db.session.add(AttendanceMark(session_id=session.id,
                                          application_id=applications[0].id, status="present"))
        other = applications[1]  # another cadre of the same class: not Hoa's history
        for session in klass.sessions:
            db.session.add(AttendanceMark(session_id=session.id, application_id=other.id,
                                          status="present"))
        finished = make_class(status="finished", code="RS-2025", title="Rà soát hộ nghèo 2025",
                              start=local_today() - timedelta(days=60), days=2)
        short = admit(finished, apply_for(finished, [hoa]))[0]
        db.session.add(AttendanceMark(session_id=finished.sessions[0].id,
                                      application_id=short.id, status="late"))
        waiting = make_class(status="allocated", code="BDG-01", title="Bình đẳng giới")
        waitlisted = apply_for(waiting, [hoa])[0]
        waitlisted.status, waitlisted.waitlist_rank = "waitlisted", 1
        gone = make_class(status="open", code="GS-01", title="Giám sát")
        withdrawn = apply_for(gone, [hoa], source="self")[0]
        withdrawn.status, withdrawn.note = "withdrawn", "Bận việc thôn"
        for i in range(extra_classes):
            more = make_class(status="finished", code=f"CU-{i:02d}",
                              start=local_today() - timedelta(days=200 + i), days=1)
            admit(more, apply_for(more, [hoa]))
        db.session.commit()
        done = courses.create_course(None, "khoa-xong", CourseData(
            title="Khóa đã học xong", code="XONG", topics=["chuong-trinh"]), [])
        courses.add_lesson(None, done, "Bài", "Nội dung.")
        courses.publish(None, done)
        started = courses.create_course(None, "khoa-dang-hoc", CourseData(
            title="Khóa đang học", code="DANG", topics=["chuong-trinh"]), [])
        courses.add_lesson(None, started, "Bài", "Nội dung.")
        courses.publish(None, started)
        enrollment, _ = progress.enroll(users["learner"], done)
        enrollment.completed_at = utcnow()
        progress.enroll(users["learner"], started)
        db.session.commit()
        return hoa, klass

    return build


def test_history_says_what_became_of_each_class(db, history_of):
    hoa, klass = history_of()
    history = training_history(hoa)
    codes = [e.klass.code for e in history.classes]
    assert set(codes) == {klass.code, "RS-2025", "BDG-01", "GS-01"}
    by_code = {e.klass.code: e for e in history.classes}
    current = by_code[klass.code]
    assert (current.admitted, current.attended, current.completed) == (True, True, True)
    assert (current.completion.attended, current.completion.sessions) == (5, 6)
    old = by_code["RS-2025"]
    assert (old.admitted, old.attended, old.completed) == (True, True, False)
    assert old.completion.shortfall == 3  # 80% of 4 sessions: 4 needed, 1 attended
    assert by_code["BDG-01"].completion is None and not by_code["BDG-01"].admitted
    assert (history.applied, history.admitted, history.attended, history.completed) == \
        (4, 2, 2, 1)
    assert [e.course.title for e in history.courses] == ["Khóa đã học xong", "Khóa đang học"]
    assert history.courses_completed == 1


def test_cadre_page_shows_the_history(client, login, db, history_of):
    hoa, klass = history_of()
    login("coordinator")
    page = client.get(f"/cadres/{hoa.id}").get_data(as_text=True)
    assert "Quá trình tập huấn" in page
    assert ("Đăng ký 4 lớp · được nhận 2 · đã dự 2 · hoàn thành 1 · hoàn thành 1 khóa học "
            "trực tuyến") in page
    assert f"{klass.code} – {klass.title}" in page and "RS-2025 – Rà soát hộ nghèo 2025" in page
    assert "Đã dự 5/6 buổi (83%)" in page and "Đã dự 1/4 buổi (25%)" in page
    assert "thiếu 3 buổi" in page  # 80% of 4 sessions = 4, attended 1
    assert "Danh sách chờ" in page and "Đã rút" in page and "Được triệu tập" in page
    assert "Tự đăng ký" in page and "Được đề cử" in page
    start = klass.start_date.strftime("%d/%m/%Y")
    assert f"Lớp học từ {start}" in page
    assert "Khóa đã học xong" in page and "Khóa đang học" in page and "Đang học" in page
    assert "Ghi danh " in page


def test_only_this_cadres_rows(client, login, db, history_of, running):
    hoa, klass = history_of()
    other_cadre = klass.applications[1].cadre if klass.applications[1].cadre.id != hoa.id \
        else klass.applications[2].cadre
    login("coordinator")
    page = client.get(f"/cadres/{other_cadre.id}").get_data(as_text=True)
    assert "Đăng ký 1 lớp · được nhận 1" in page
    assert "RS-2025" not in page and "Khóa đã học xong" not in page
    assert "Cán bộ chưa có tài khoản nên chưa học trực tuyến." in page


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_the_history_follows_the_cadre_page_access(client, login, db, history_of, role):
    hoa, _klass = history_of()
    login(role)
    assert client.get(f"/cadres/{hoa.id}").status_code == 403
    client.post("/auth/logout")
    assert client.get(f"/cadres/{hoa.id}").status_code in (302, 401)


def test_query_count_does_not_grow_with_classes_or_courses(client, login, db, history_of,
                                                           make_class, apply_for, admit,
                                                           users, count_queries):
    hoa, _klass = history_of()
    login("coordinator")
    client.get(f"/cadres/{hoa.id}")
    with count_queries() as few:
        assert client.get(f"/cadres/{hoa.id}").status_code == 200
    for i in range(5):  # five more finished classes, attended, and five more courses
        more = make_class(status="finished", code=f"CU-{i:02d}",
                          start=local_today() - timedelta(days=200 + i), days=1)
        application = admit(more, apply_for(more, [hoa]))[0]
        db.session.add(AttendanceMark(session_id=more.sessions[0].id,
                                      application_id=application.id, status="present"))
        course = courses.create_course(None, f"khoa-them-{i}", CourseData(
            title=f"Khóa thêm {i}", code=f"THEM-{i}", topics=["chuong-trinh"]), [])
        courses.add_lesson(None, course, "Bài", "Nội dung.")
        progress.enroll(users["learner"], course)
    db.session.commit()
    client.get(f"/cadres/{hoa.id}")  # as before the first count: after the writes, warmed up
    with count_queries() as many:
        page = client.get(f"/cadres/{hoa.id}").get_data(as_text=True)
    assert "Đăng ký 9 lớp · được nhận 7" in page and "Khóa thêm 4" in page
    assert many() == few()
