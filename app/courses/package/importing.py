"""Importing checked packages: create or update each course by its slug, then make its
lessons (matched by slug, updated in place, so learners' progress is kept), files and quiz
equal to the package's. A lesson that left the package is deleted if nobody has done it,
archived otherwise. Importing the same packages again changes nothing. Flushes, never
commits; the stored names of replaced files are returned to be deleted after the commit."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.audit.models import record
from app.courses import access, progress, service, uploads
from app.courses.models import Course
from app.courses.package.model import CoursePackage, LessonPackage, QuizPackage
from app.extensions import db


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived_lessons: int = 0
    stale_files: list[str] = field(default_factory=list)  # stored names to delete after commit
    new_files: list[str] = field(default_factory=list)  # stored names to delete if it fails

    def text(self) -> str:
        parts = [f"thêm mới {len(self.created)}", f"cập nhật {len(self.updated)}",
                 f"không đổi {len(self.unchanged)} khóa học"]
        if self.archived_lessons:
            parts.append(f"ẩn {self.archived_lessons} bài đã có người học")
        return ", ".join(parts)


def _sync_lessons(course: Course, lessons: list[LessonPackage], result: ImportResult) -> bool:
    changed = False
    existing = {x.slug: x for x in course.lessons}
    wanted = {lp.slug for lp in lessons}
    for index, lp in enumerate(lessons, start=1):
        lesson = existing.get(lp.slug)
        if lesson is None:
            service.add_lesson(None, course, lp.title, lp.body, slug=lp.slug, position=index)
            changed = True
            continue
        if lesson.archived_at is not None:
            lesson.archived_at = None
            changed = True
        if lesson.position != index:
            lesson.position = index
            changed = True
        changed |= service.update_lesson(None, course, lesson, lp.title, lp.body)
    for lesson in list(course.lessons):
        if lesson.slug in wanted or lesson.archived_at is not None:
            continue
        outcome = service.remove_lesson(None, course, lesson)
        result.archived_lessons += outcome == "archived"
        changed = True
    service.renumber(course)
    for lesson in course.lessons:
        service.refresh_lesson_html(course, lesson)
    return changed


def _sync_files(course: Course, files: list[uploads.CheckedFile], upload_dir: str,
                result: ImportResult) -> bool:
    changed = False
    current = {a.filename: a for a in course.attachments}
    for checked in files:
        attachment = current.get(checked.filename)
        if attachment is not None and attachment.sha256 == checked.sha256 \
                and attachment.original_name == checked.original_name \
                and uploads.path_of(upload_dir, attachment.stored_name).exists():
            continue
        stored = uploads.store(upload_dir, checked)  # StorageFull: the caller removes new_files
        result.new_files.append(stored)
        _attachment, old = service.attach(None, course, checked, stored)
        if old:
            result.stale_files.append(old)
        changed = True
    names = {f.filename for f in files}
    for attachment in list(course.attachments):
        if attachment.filename not in names:
            result.stale_files.append(service.detach(None, course, attachment))
            changed = True
    return changed


def _sync_audio(course: Course, lessons: list[LessonPackage]) -> bool:
    """Each lesson's audio: the course file its front matter names (after the files)."""
    files = {a.filename: a for a in course.attachments}
    by_slug = {x.slug: x for x in course.lessons}
    changed = False
    for lp in lessons:
        changed |= service.set_lesson_audio(None, course, by_slug[lp.slug],
                                            files.get(lp.audio) if lp.audio else None)
    return changed


def _sync_quiz(course: Course, quiz: QuizPackage | None) -> bool:
    if quiz is None:
        return service.remove_quiz(course)
    changed = course.quiz is None
    changed |= service.set_quiz_settings(course, quiz.pass_mark, quiz.max_attempts,
                                         quiz.draw_count, quiz.review_mode,
                                         bank=len(quiz.questions))
    changed |= service.sync_questions(course, quiz.questions)
    return changed


def import_package(actor, pkg: CoursePackage, upload_dir: str, result: ImportResult,
                   publish: bool = False, trainers=()) -> Course:
    """Create or update one course from its package. A published course (or any, with
    `publish`) records its publish by the one rule, service.record_publish."""
    course = service.by_slug(pkg.slug)
    created = course is None
    if created:
        course = service.create_course(actor, pkg.slug, pkg.data, source="import")
        changed = True
    else:
        changed = service.apply_course_data(course, pkg.data)
    for user in trainers:
        if not access.is_trainer_of(user, course):
            course.trainers.append(user)
            changed = True
    changed |= _sync_lessons(course, pkg.lessons, result)
    changed |= _sync_files(course, pkg.files, upload_dir, result)
    changed |= _sync_audio(course, pkg.lessons)
    changed |= _sync_quiz(course, pkg.quiz)
    if publish or course.status == "published":
        changed |= service.record_publish(course, declared_version=pkg.version)
        if course.status != "published":
            course.status = "published"
            changed = True
    else:  # a draft keeps the package's version for its first publish
        changed |= service.take_declared_version(course, pkg.version)
    digest = service.content_hash(course)
    if course.import_hash != digest:
        course.import_hash = digest
    if course.import_version != pkg.version:
        course.import_version = pkg.version
        changed = True
    progress.refresh_completions(course)  # a lesson or the quiz may have gone
    if created:
        result.created.append(pkg.slug)
    elif changed:
        service.touch(course)
        result.updated.append(pkg.slug)
        record(actor, "course.import", "course", course.id,
               f"Cập nhật khóa học {course.code} từ gói {pkg.slug}",
               data={"version": course.version})
    else:
        result.unchanged.append(pkg.slug)
    return course


def import_packages(actor, packages: list[CoursePackage], upload_dir: str,
                    publish: bool = False, trainers=()) -> ImportResult:
    """Create or update the courses of already checked packages (flushes, never commits). On
    any failure (a full disk: StorageFull) the files it wrote are removed before it raises;
    should the caller's commit fail, it removes `result.new_files`."""
    result = ImportResult()
    try:
        for pkg in packages:
            import_package(actor, pkg, upload_dir, result, publish=publish, trainers=trainers)
        db.session.flush()
    except Exception:
        uploads.remove(upload_dir, result.new_files)
        raise
    return result

