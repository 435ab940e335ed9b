"""Demo courses: the starter packages in courses/, published, with the demo `trainer` as their
trainer and the demo `learner` part-way through the first one (idempotent)."""

from pathlib import Path

from flask import current_app

from app.courses import package, progress, uploads
from app.extensions import db

DEMO_COURSE = "chuong-trinh-giam-ngheo-2021-2025"
DEMO_DONE = 2  # lessons the demo learner has finished


def courses_dir() -> Path:
    return Path(current_app.root_path).parent / "courses"


def load(ctx: dict) -> str:
    users = ctx.get("users") or {}
    trainer, learner = users.get("trainer"), users.get("learner")
    packages, problems = package.read_packages(
        courses_dir(), current_app.config["MAX_CONTENT_LENGTH"],
        int(current_app.config.get("COURSE_IMAGE_MAX_WIDTH", uploads.DEFAULT_MAX_WIDTH)))
    if problems:
        raise RuntimeError("Gói khóa học mẫu có lỗi:\n" + "\n".join(map(str, problems)))
    upload_dir = current_app.config["UPLOAD_DIR"]
    result = package.import_packages(None, packages, upload_dir, publish=True,
                                     trainers=[trainer] if trainer else [])
    courses = {pkg.slug: package.service.by_slug(pkg.slug) for pkg in packages}
    ctx["courses"] = courses
    course = courses.get(DEMO_COURSE)
    if learner is not None and course is not None:
        enrollment, _created = progress.enroll(learner, course)
        lessons = course.active_lessons
        for lesson in lessons[:DEMO_DONE]:
            progress.mark_done(enrollment, lesson)
        if enrollment.last_lesson_id is None and len(lessons) > DEMO_DONE:
            enrollment.last_lesson_id = lessons[DEMO_DONE].id
    db.session.flush()
    return (f"Khóa học: {len(courses)} khóa từ courses/ ({result.text()}); học viên mẫu đang "
            f"học dở khóa {DEMO_COURSE}.")
