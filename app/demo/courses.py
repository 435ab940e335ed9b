"""Demo courses: the starter packages in courses/, published, with the demo `trainer` as their
trainer and the demo `learner` part-way through the first one.

Idempotent and harmless to a running site: only courses that do not exist yet are created;
an existing course is never changed (not re-imported, not republished: a trainer may have
edited, unpublished or archived it). The demo learner is enrolled only if not enrolled yet."""

from flask import current_app

from app.courses import package, progress, service, uploads
from app.extensions import db

DEMO_COURSE = "chuong-trinh-giam-ngheo-2021-2025"
DEMO_DONE = 2  # lessons the demo learner has finished


def load(ctx: dict) -> str:
    users = ctx.get("users") or {}
    trainer, learner = users.get("trainer"), users.get("learner")
    # force: existing courses are skipped below, so there is nothing to overwrite
    packages, problems = package.read_packages(package.starter_dir(current_app.root_path),
                                               force=True, **uploads.limits(current_app.config))
    if problems:
        raise RuntimeError("Gói khóa học mẫu có lỗi:\n" + "\n".join(map(str, problems)))
    missing = [pkg for pkg in packages if service.by_slug(pkg.slug) is None]
    upload_dir = current_app.config["UPLOAD_DIR"]
    result = package.import_packages(None, missing, upload_dir, publish=True,
                                     trainers=[trainer] if trainer else [])
    courses = {pkg.slug: service.by_slug(pkg.slug) for pkg in packages}
    ctx["courses"] = courses
    course = courses.get(DEMO_COURSE)
    if learner is not None and course is not None and course.status == "published" \
            and progress.enrollment_of(learner, course) is None:
        enrollment, _created = progress.enroll(learner, course)
        lessons = course.active_lessons
        for lesson in lessons[:DEMO_DONE]:
            progress.mark_done(enrollment, lesson)
        if len(lessons) > DEMO_DONE:
            enrollment.last_lesson_id = lessons[DEMO_DONE].id
    db.session.flush()
    return (f"Khóa học: {len(courses)} khóa từ courses/ (thêm mới {len(result.created)}, "
            f"giữ nguyên {len(packages) - len(missing)} khóa đã có); học viên mẫu đang học dở "
            f"khóa {DEMO_COURSE}.")
