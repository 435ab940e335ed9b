"""Demo courses: the starter packages, published, the demo trainer as trainer, the demo
learner part-way through one course; loading twice changes nothing."""

from sqlalchemy import func, select

from app.courses import progress
from app.courses.models import Course, CourseEnrollment, LessonProgress
from app.demo import courses as courses_demo


def test_demo_courses(db, users, upload_dir):
    ctx = {"users": users}
    line = courses_demo.load(ctx)
    db.session.commit()
    assert "4 khóa" in line
    courses = ctx["courses"]
    assert len(courses) == 4
    for course in courses.values():
        assert course.status == "published"
        assert [t.username for t in course.trainers] == ["trainer"]
    course = courses[courses_demo.DEMO_COURSE]
    enrollment = progress.enrollment_of(users["learner"], course)
    state = progress.progress_of(course, enrollment)
    assert 0 < state.done < state.total and not state.completed
    assert state.resume_n == state.done + 1

    courses_demo.load({"users": users})
    db.session.commit()
    assert db.session.scalar(select(func.count(Course.id))) == 4
    assert db.session.scalar(select(func.count(CourseEnrollment.id))) == 1
    assert db.session.scalar(select(func.count(LessonProgress.id))) == state.done


def test_demo_never_changes_existing_courses(db, users, upload_dir):
    from app.courses import service

    ctx = {"users": users}
    courses_demo.load(ctx)
    db.session.commit()
    first, second = list(ctx["courses"].values())[:2]
    service.set_status(None, first, "archived")
    service.set_status(None, second, "draft")
    lesson = second.lessons[0]
    service.update_lesson(None, second, lesson, lesson.title, "Giảng viên đã sửa bài này.")
    db.session.commit()
    before = {c.slug: (c.status, c.version, service.content_hash(c))
              for c in ctx["courses"].values()}

    courses_demo.load({"users": users})
    db.session.commit()
    db.session.expire_all()
    after = {c.slug: (c.status, c.version, service.content_hash(c))
             for c in db.session.scalars(select(Course))}
    assert after == before
    assert first.status == "archived" and second.status == "draft"
    assert lesson.body_md == "Giảng viên đã sửa bài này."


def test_demo_adds_a_missing_course(db, users, upload_dir):
    from app.courses import service

    courses_demo.load({"users": users})
    db.session.commit()
    gone = service.by_slug("giam-sat-danh-gia-chuong-trinh")
    db.session.delete(gone)
    db.session.commit()
    line = courses_demo.load({"users": users})
    db.session.commit()
    assert "thêm mới 1" in line and service.by_slug("giam-sat-danh-gia-chuong-trinh")
