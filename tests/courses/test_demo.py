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
