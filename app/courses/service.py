"""Course authoring: courses, lessons, attachments, quiz questions, publishing and versions.

Plain functions with explicit arguments (the acting user passed in); they flush, the caller
commits. Lessons are updated in place (their ids carry the learners' progress); a lesson that
someone has done is archived, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from app.audit.models import record
from app.core.refusal import Refusal
from app.courses import content, quiz_draw, review, uploads
from app.courses import quiz as quizzes
from app.courses.models import (
    Course,
    CourseAttachment,
    CourseLesson,
    CourseQuiz,
    LessonProgress,
    QuizChoice,
    QuizQuestion,
)
from app.courses.topics import TOPICS
from app.extensions import db
from app.timeutil import utcnow
from app.vietnamese import fold, nfc

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
RESERVED_SLUGS = {"new"}
FILES_URL = "/courses/{slug}/files/"
MAX_CHOICES = 10  # choices of a quiz question (editor and packages)


class CourseError(Refusal, ValueError):
    """A refused change; the message is for the user (in their language)."""


@dataclass
class CourseData:
    title: str
    code: str
    topics: list[str]
    summary: str = ""
    audience: str = ""
    hours: float | None = None
    description_md: str = ""

    def __post_init__(self):
        self.title = nfc(self.title)
        self.code = nfc(self.code)
        self.summary = nfc(self.summary)
        self.audience = nfc(self.audience)
        self.description_md = normalise_text(self.description_md)
        self.topics = list(dict.fromkeys(self.topics))
        if self.hours is not None:
            self.hours = float(self.hours)


@dataclass
class ChoiceData:
    text: str
    correct: bool = False


@dataclass
class QuestionData:
    text: str
    choices: list[ChoiceData] = field(default_factory=list)
    explanation: str = ""


def normalise_text(text: str | None) -> str:
    """Markdown source: NFC, Unix line ends, no leading or trailing blank lines (the line
    breaks inside are kept, unlike nfc())."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return unicodedata.normalize("NFC", text).strip("\n")


def slugify(text: str, max_length: int = 80) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:max_length].strip("-")


def slug_problem(slug: str) -> str | None:
    if not slug or not SLUG_RE.match(slug) or len(slug) > 80:
        return _("Mã đường dẫn chỉ gồm chữ thường không dấu, chữ số và dấu gạch nối, tối đa "
                 "80 ký tự (ví dụ: ra-soat-ho-ngheo).")
    if slug in RESERVED_SLUGS:
        return _("Không dùng được “%(slug)s” làm mã đường dẫn.", slug=slug)
    return None


def topic_problems(topics) -> list[str]:
    return [_("Chủ đề “%(t)s” không có trong danh mục chủ đề của kế hoạch.", t=t)
            for t in topics if t not in TOPICS]


def files_base(course: Course) -> str:
    return FILES_URL.format(slug=course.slug)


def by_slug(slug: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug))


def code_taken(code: str, exclude_id: int | None = None) -> bool:
    query = select(Course.id).where(func.lower(Course.code) == code.lower())
    if exclude_id:
        query = query.where(Course.id != exclude_id)
    return db.session.scalar(query) is not None


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Course.id).where(Course.slug == slug)) is not None


# --- courses -----------------------------------------------------------------------------


def _assign(obj, name: str, value) -> bool:
    if getattr(obj, name) != value:
        setattr(obj, name, value)
        return True
    return False


def apply_course_data(course: Course, data: CourseData) -> bool:
    changed = False
    for name in ("title", "code", "topics", "summary", "audience", "hours"):
        changed |= _assign(course, name, getattr(data, name))
    changed |= _assign(course, "description_md", data.description_md)
    changed |= refresh_description(course)
    return changed


def refresh_description(course: Course) -> bool:
    html, digest = content.cached(course.description_md, files_base(course),
                                  course.description_html, course.description_hash)
    if digest != course.description_hash:
        course.description_html, course.description_hash = html, digest
        return True
    return False


def create_course(actor, slug: str, data: CourseData, trainers=(), source: str = "form"
                  ) -> Course:
    course = Course(slug=slug, status="draft", version=1, topics=[], summary="", audience="",
                    description_md="", description_html="", description_hash="",
                    created_by_id=getattr(actor, "id", None))
    apply_course_data(course, data)
    course.trainers = list(trainers)
    db.session.add(course)
    db.session.flush()
    record(actor, "course.create", "course", course.id,
           f"Tạo khóa học {course.code} {course.title}", data={"source": source})
    return course


def update_course(actor, course: Course, data: CourseData, source: str = "form") -> bool:
    before = {"title": course.title, "code": course.code}
    changed = apply_course_data(course, data)
    if changed:
        touch(course)
        record(actor, "course.update", "course", course.id, f"Sửa khóa học {course.code}",
               data={"source": source, "before": before})
    return changed


def set_trainers(actor, course: Course, users) -> bool:
    wanted = {u.id: u for u in users}
    if {t.id for t in course.trainers} == set(wanted):
        return False
    course.trainers = sorted(wanted.values(), key=lambda u: u.id)
    record(actor, "course.trainers", "course", course.id, f"Giảng viên khóa {course.code}",
           data={"trainers": sorted(wanted)})
    return True


def touch(course: Course) -> None:
    course.updated_at = utcnow()


# --- lessons -----------------------------------------------------------------------------


def refresh_lesson_html(course: Course, lesson: CourseLesson) -> bool:
    """Render the lesson again if its cache is stale; True if it changed."""
    html, digest = content.cached(lesson.body_md, files_base(course), lesson.html_cache,
                                  lesson.html_hash)
    if digest != lesson.html_hash:
        lesson.html_cache, lesson.html_hash = html, digest
        return True
    return False


def renumber(course: Course) -> None:
    """Active lessons 1..n in their order, archived ones after them."""
    ordered = sorted(course.lessons, key=lambda x: (x.archived_at is not None, x.position, x.id
                                                    or 0))
    for index, lesson in enumerate(ordered, start=1):
        if lesson.position != index:
            lesson.position = index


def unique_lesson_slug(course: Course, wanted: str, exclude: CourseLesson | None = None) -> str:
    base = slugify(wanted) or "bai"
    taken = {x.slug for x in course.lessons if x is not exclude}
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[:75]}-{n}"
        n += 1
    return slug


def add_lesson(actor, course: Course, title: str, body_md: str, slug: str | None = None,
               position: int | None = None) -> CourseLesson:
    lesson = CourseLesson(title=nfc(title), body_md=normalise_text(body_md),
                          slug=slug or unique_lesson_slug(course, title),
                          position=position or len(course.active_lessons) + 1,
                          html_cache="", html_hash="")
    course.lessons.append(lesson)
    if position is None:
        _insert_before_archived(course, lesson)
    refresh_lesson_html(course, lesson)
    touch(course)
    db.session.flush()
    if actor is not None:
        record(actor, "lesson.create", "course", course.id, f"Thêm bài “{lesson.title}”",
               data={"lesson_id": lesson.id})
    return lesson


def _insert_before_archived(course: Course, lesson: CourseLesson) -> None:
    active = [x for x in course.lessons if x.archived_at is None and x is not lesson]
    lesson.position = (max((x.position for x in active), default=0)) + 1
    for other in course.lessons:
        if other.archived_at is not None and other.position >= lesson.position:
            other.position += 1
    renumber(course)


def update_lesson(actor, course: Course, lesson: CourseLesson, title: str, body_md: str) -> bool:
    changed = _assign(lesson, "title", nfc(title))
    changed |= _assign(lesson, "body_md", normalise_text(body_md))
    refresh_lesson_html(course, lesson)
    if changed:
        lesson.updated_at = utcnow()
        touch(course)
        if actor is not None:
            record(actor, "lesson.update", "course", course.id, f"Sửa bài “{lesson.title}”",
                   data={"lesson_id": lesson.id})
    return changed


def move_lesson(course: Course, lesson: CourseLesson, direction: str) -> bool:
    active = course.active_lessons
    if lesson not in active:
        return False
    index = active.index(lesson)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(active):
        return False
    a, b = active[index], active[other]
    a.position, b.position = b.position, a.position
    renumber(course)
    touch(course)
    return True


def lesson_has_progress(lesson: CourseLesson) -> bool:
    if lesson.id is None:
        return False
    return bool(db.session.scalar(select(exists().where(LessonProgress.lesson_id == lesson.id))))


def lessons_with_progress(course: Course) -> set[int]:
    """Ids of the course's lessons that at least one learner has done (one query)."""
    ids = [x.id for x in course.lessons if x.id is not None]
    if not ids:
        return set()
    return set(db.session.scalars(select(LessonProgress.lesson_id).distinct()
                                  .where(LessonProgress.lesson_id.in_(ids))))


def remove_lesson(actor, course: Course, lesson: CourseLesson) -> str:
    """Delete a lesson nobody has done; archive (hide) one that someone has. Returns
    "deleted" or "archived"."""
    title = lesson.title
    if lesson_has_progress(lesson):
        lesson.archived_at = utcnow()
        outcome = "archived"
    else:
        course.lessons.remove(lesson)
        db.session.delete(lesson)
        outcome = "deleted"
    renumber(course)
    touch(course)
    db.session.flush()
    if actor is not None:
        record(actor, f"lesson.{outcome}", "course", course.id,
               f"{'Xóa' if outcome == 'deleted' else 'Ẩn'} bài “{title}”")
    return outcome


def restore_lesson(course: Course, lesson: CourseLesson) -> None:
    lesson.archived_at = None
    _insert_before_archived(course, lesson)


# --- attachments -------------------------------------------------------------------------


def attach(actor, course: Course, checked: uploads.CheckedFile, stored_name: str
           ) -> tuple[CourseAttachment, str | None]:
    """Add a checked, stored file; a file of the same name is replaced (links keep working).
    Returns (attachment, stored name of the replaced file to delete after commit)."""
    existing = next((a for a in course.attachments if a.filename == checked.filename), None)
    old = None
    if existing is None:
        existing = CourseAttachment(filename=checked.filename)
        course.attachments.append(existing)
    else:
        old = existing.stored_name
    existing.original_name = checked.original_name
    existing.stored_name = stored_name
    existing.kind = checked.kind
    existing.mime_type = checked.mime_type
    existing.size = len(checked.data)
    existing.sha256 = checked.sha256
    existing.width, existing.height = checked.width, checked.height
    existing.uploaded_by_id = getattr(actor, "id", None)
    existing.created_at = utcnow()
    touch(course)
    db.session.flush()
    if actor is not None:
        record(actor, "course.file", "course", course.id,
               f"Tải lên tệp {checked.filename}" + (" (thay tệp cũ)" if old else ""),
               data={"attachment_id": existing.id, "size": existing.size})
    return existing, old


def set_lesson_audio(actor, course: Course, lesson: CourseLesson,
                     attachment: CourseAttachment | None) -> bool:
    """Make one of the course's audio files the lesson's audio (None: no audio); the file stays
    among the course's files. Returns whether it changed."""
    if attachment is not None and (attachment.kind not in uploads.AUDIO_KINDS
                                   or attachment.course_id not in (None, course.id)):
        raise CourseError(_("Tệp %(f)s không phải tệp âm thanh của khóa học.",
                            f=attachment.filename), 400)
    if lesson.audio is attachment:
        return False
    lesson.audio = attachment
    lesson.updated_at = utcnow()
    touch(course)
    db.session.flush()
    if actor is not None:
        summary = (f"Gắn âm thanh {attachment.filename} cho bài “{lesson.title}”"
                   if attachment is not None else f"Bỏ âm thanh của bài “{lesson.title}”")
        record(actor, "lesson.audio", "course", course.id, summary,
               data={"lesson_id": lesson.id,
                     "attachment_id": attachment.id if attachment is not None else None})
    return True


def detach(actor, course: Course, attachment: CourseAttachment) -> str:
    """Remove an attachment; returns its stored name (delete the file after commit). A lesson
    whose audio it was is left without audio."""
    for lesson in course.lessons:
        if lesson.audio_id == attachment.id or lesson.audio is attachment:
            lesson.audio = None
    stored = attachment.stored_name
    course.attachments.remove(attachment)
    db.session.delete(attachment)
    touch(course)
    db.session.flush()
    if actor is not None:
        record(actor, "course.file_delete", "course", course.id,
               f"Xóa tệp {attachment.filename}")
    return stored


def missing_files(course: Course, body_md: str) -> list[str]:
    have = {a.filename for a in course.attachments}
    return [name for name in dict.fromkeys(content.file_links(body_md)) if name not in have]


# --- quiz --------------------------------------------------------------------------------


def ensure_quiz(course: Course, pass_mark: int = 70, max_attempts: int = 3) -> CourseQuiz:
    if course.quiz is None:
        course.quiz = CourseQuiz(pass_mark=pass_mark, max_attempts=max_attempts,
                                 review_mode=review.DEFAULT)
        touch(course)
        db.session.flush()
    return course.quiz


def quiz_settings_problems(course: Course, draw_count: int | None, review_mode: str,
                           bank: int | None = None) -> dict[str, str]:
    """Problems of the quiz settings, by field: a review mode that does not exist, more
    questions drawn than the bank holds (`bank`: the number of questions, default the quiz's)."""
    problems = {}
    if review_mode not in review.MODES:
        problems["review_mode"] = _("Chế độ xem lại “%(m)s” không có; hãy chọn một chế độ "
                                    "trong danh sách.", m=review_mode)
    if bank is None:
        bank = len(course.quiz.questions) if course.quiz is not None else 0
    problem = quiz_draw.bank_problem(draw_count, bank)
    if problem:
        problems["draw_count"] = problem
    return problems


def set_quiz_settings(course: Course, pass_mark: int, max_attempts: int,
                      draw_count: int | None = None, review_mode: str = review.DEFAULT,
                      bank: int | None = None) -> bool:
    """Save the quiz settings (creating the quiz if needed); CourseError with the field when
    the review mode does not exist or the bank has fewer questions than are drawn (`bank`: the
    number of questions the quiz is about to have, default the present ones)."""
    problems = quiz_settings_problems(course, draw_count, review_mode, bank)
    if problems:
        name, message = next(iter(problems.items()))
        raise CourseError(message, 422, field=name)
    quiz = ensure_quiz(course, pass_mark, max_attempts)
    changed = _assign(quiz, "pass_mark", pass_mark)
    changed |= _assign(quiz, "max_attempts", max_attempts)
    changed |= _assign(quiz, "draw_count", draw_count)
    changed |= _assign(quiz, "review_mode", review_mode)
    if changed:
        touch(course)
    return changed


def delete_question_problem(course: Course) -> str | None:
    """Why a question may not be deleted now: the bank would hold fewer questions than an
    attempt draws."""
    quiz = course.quiz
    if quiz is None or quiz.draw_count is None or len(quiz.questions) - 1 >= quiz.draw_count:
        return None
    return _("Không xóa được: mỗi lần làm bài rút %(n)s câu, nên ngân hàng phải còn ít nhất "
             "%(n)s câu hỏi (hiện có %(b)s). Hãy giảm số câu rút ở phần cài đặt trước, hoặc "
             "thêm câu hỏi khác.", n=quiz.draw_count, b=len(quiz.questions))


def question_problems(data: QuestionData) -> list[str]:
    problems = []
    if not data.text.strip():
        problems.append(_("Câu hỏi chưa có nội dung."))
    filled = [c for c in data.choices if c.text.strip()]
    if len(filled) > MAX_CHOICES:
        problems.append(_("Mỗi câu hỏi có tối đa %(n)s lựa chọn.", n=MAX_CHOICES))
    if len(filled) < 2:
        problems.append(_("Mỗi câu hỏi cần ít nhất 2 lựa chọn."))
    if not any(c.correct for c in filled):
        problems.append(_("Cần đánh dấu ít nhất một lựa chọn đúng."))
    if any(c.correct and not c.text.strip() for c in data.choices):
        problems.append(_("Lựa chọn được đánh dấu đúng nhưng chưa có nội dung."))
    return problems


def _apply_question(question: QuizQuestion, data: QuestionData) -> bool:
    changed = _assign(question, "text", nfc(data.text))
    changed |= _assign(question, "explanation", nfc(data.explanation))
    choices = [c for c in data.choices if c.text.strip()]
    for index, choice_data in enumerate(choices, start=1):
        if index <= len(question.choices):
            choice = question.choices[index - 1]
            changed |= _assign(choice, "text", nfc(choice_data.text))
            changed |= _assign(choice, "correct", bool(choice_data.correct))
            changed |= _assign(choice, "position", index)
        else:
            question.choices.append(QuizChoice(position=index, text=nfc(choice_data.text),
                                               correct=bool(choice_data.correct)))
            changed = True
    while len(question.choices) > len(choices):
        db.session.delete(question.choices.pop())
        changed = True
    return changed


def save_question(course: Course, question: QuizQuestion | None, data: QuestionData
                  ) -> QuizQuestion:
    quiz = ensure_quiz(course)
    if question is None:
        question = QuizQuestion(position=len(quiz.questions) + 1, text="", explanation="")
        quiz.questions.append(question)
    if _apply_question(question, data):
        touch(course)
    db.session.flush()
    return question


def sync_questions(course: Course, items: list[QuestionData]) -> bool:
    """Make the quiz's questions equal to `items`, updating rows in place by position."""
    quiz = ensure_quiz(course)
    changed = False
    for index, data in enumerate(items, start=1):
        if index <= len(quiz.questions):
            question = quiz.questions[index - 1]
            changed |= _assign(question, "position", index)
        else:
            question = QuizQuestion(position=index, text="", explanation="")
            quiz.questions.append(question)
            changed = True
        changed |= _apply_question(question, data)
    while len(quiz.questions) > len(items):
        db.session.delete(quiz.questions.pop())
        changed = True
    return changed


def delete_question(course: Course, question: QuizQuestion) -> None:
    problem = delete_question_problem(course)
    if problem:
        raise CourseError(problem, 409)
    quiz = course.quiz
    quiz.questions.remove(question)
    db.session.delete(question)
    for index, q in enumerate(quiz.questions, start=1):
        q.position = index
    touch(course)
    db.session.flush()


def move_question(course: Course, question: QuizQuestion, direction: str) -> bool:
    questions = course.quiz.questions
    index = questions.index(question)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(questions):
        return False
    for position, q in enumerate(questions, start=1):
        q.position = position
    a, b = questions[index], questions[other]
    a.position, b.position = b.position, a.position
    questions.sort(key=lambda q: q.position)
    touch(course)
    return True


def remove_quiz(course: Course) -> bool:
    """Delete the quiz and its questions. Submitted attempts stay (their results can still be
    read) but no longer count; open ones are dropped."""
    if course.quiz is None:
        return False
    quizzes.detach_quiz(course.quiz)
    db.session.delete(course.quiz)
    course.quiz = None
    touch(course)
    return True


# --- versions and status -----------------------------------------------------------------


def content_snapshot(course: Course) -> dict:
    """What learners see of a course (the basis of versions and of the import check). In
    position order, as loaded from the database, even while an edit has moved rows in
    memory."""
    quiz = course.quiz
    lessons = sorted(course.active_lessons, key=lambda x: (x.position, x.id or 0))
    questions = sorted(quiz.questions, key=lambda q: (q.position, q.id or 0)) if quiz else []
    return {
        "title": course.title, "code": course.code, "topics": list(course.topics or []),
        "summary": course.summary, "audience": course.audience, "hours": course.hours,
        "description": course.description_md,
        "lessons": [[x.slug, x.title, x.body_md]
                    + ([x.audio.filename] if x.audio is not None else []) for x in lessons],
        "files": sorted([a.filename, a.sha256] for a in course.attachments),
        "quiz": None if quiz is None else {
            "pass_mark": quiz.pass_mark, "max_attempts": quiz.max_attempts,
            # the later settings only when not their default, so that the versions and
            # import checks of courses made before them stay as they were
            **({"draw_count": quiz.draw_count} if quiz.draw_count is not None else {}),
            **({"review_mode": quiz.review_mode}
               if quiz.review_mode not in (None, review.DEFAULT) else {}),
            "questions": [[q.text, q.explanation,
                           [[c.text, c.correct] for c in sorted(
                               q.choices, key=lambda c: (c.position, c.id or 0))]]
                          for q in questions]},
    }


def content_hash(course: Course) -> str:
    text = json.dumps(content_snapshot(course), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def has_unpublished_changes(course: Course) -> bool:
    return course.published_hash is not None and course.published_hash != content_hash(course)


def publish_problems(course: Course) -> list[str]:
    problems = []
    if not course.active_lessons:
        problems.append(_("Khóa học chưa có bài học nào."))
    if course.quiz is not None:
        if not course.quiz.questions:
            problems.append(_("Bài kiểm tra chưa có câu hỏi nào (thêm câu hỏi hoặc xóa bài "
                              "kiểm tra)."))
        else:
            bank = quiz_draw.bank_problem(course.quiz.draw_count, len(course.quiz.questions))
            if bank:
                problems.append(bank)
        for q in course.quiz.questions:
            data = QuestionData(q.text, [ChoiceData(c.text, c.correct) for c in q.choices])
            problems += [_("Câu %(n)s: %(problem)s", n=q.position, problem=p)
                         for p in question_problems(data)]
    for lesson in course.active_lessons:
        for name in missing_files(course, lesson.body_md):
            problems.append(_("Bài %(n)s dẫn tới tệp files/%(name)s nhưng khóa học chưa có tệp "
                              "này.", n=lesson.position, name=name))
    return problems


def take_declared_version(course: Course, version: int) -> bool:
    """A version the content declares for itself (a package's `version:`) is the course's
    when it is higher. Returns whether it was taken."""
    if version > course.version:
        course.version = version
        return True
    return False


def record_publish(course: Course, declared_version: int = 0) -> bool:
    """The one rule for versions, for a publish in the browser and for an import alike.
    Remember the content being published (hash and time); when it changed since the last
    publish, the version goes up by one, unless the content declares a higher version (taken
    instead, never bumped on top). Returns whether anything was recorded."""
    digest = content_hash(course)
    if course.published_hash == digest:
        return take_declared_version(course, declared_version)
    if not take_declared_version(course, declared_version) and course.published_hash is not None:
        course.version += 1  # changed since the last publish: a new version
    course.published_hash = digest
    course.published_at = utcnow()
    return True


def publish(actor, course: Course) -> bool:
    """Publish the course (CourseError with the problems if it cannot be). Returns whether
    this made a new version."""
    problems = publish_problems(course)
    if problems:
        raise CourseError(" ".join(problems))
    was, version = course.status, course.version
    record_publish(course)
    bumped = course.version != version
    course.status = "published"
    touch(course)
    record(actor, "course.publish", "course", course.id,
           f"Công bố khóa học {course.code} phiên bản {course.version}",
           data={"from": was, "version": course.version, "new_version": bumped})
    return bumped


def set_status(actor, course: Course, status: str) -> None:
    """Unpublish (back to draft) or archive; learners' progress is never touched."""
    if status not in ("draft", "archived"):
        raise CourseError(_("Trạng thái không hợp lệ."))
    if course.status == status:
        return
    was, course.status = course.status, status
    touch(course)
    action = "course.unpublish" if status == "draft" else "course.archive"
    record(actor, action, "course", course.id,
           f"{'Thu hồi' if status == 'draft' else 'Lưu trữ'} khóa học {course.code}",
           data={"from": was})
