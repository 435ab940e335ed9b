"""Courses (reusable content): lessons, attachments, a quiz, and the learners' progress.

Progress is keyed by lesson identity (`CourseLesson.id`), which survives re-imports and new
versions: lessons are updated in place by slug, and a lesson that learners have already done
is archived (hidden), never deleted, when it leaves the course.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.refusal import explain_unique
from app.extensions import db
from app.timeutil import utcnow

COURSE_STATUSES = ("draft", "published", "archived")
STATUS_LABELS = {"draft": _l("Bản nháp"), "published": _l("Đã công bố"),
                 "archived": _l("Lưu trữ")}

course_trainers = Table(
    "course_trainers",
    db.metadata,
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="status"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("hours IS NULL OR (hours > 0 AND hours <= 999)", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list] = mapped_column(JSON, default=list)  # slugs from app.courses.topics
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    audience: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[float | None] = mapped_column(Float)  # estimated study hours
    version: Mapped[int] = mapped_column(default=1)
    # The texts load when first read (one query for both): a class or a list showing a course's
    # title does not carry its Markdown and HTML.
    description_md: Mapped[str] = mapped_column(Text, default="", deferred=True,
                                                deferred_group="text")  # body of course.md
    description_html: Mapped[str] = mapped_column(Text, default="", deferred=True,
                                                  deferred_group="text")  # sanitised cache
    description_hash: Mapped[str] = mapped_column(String(64), default="")
    published_hash: Mapped[str | None] = mapped_column(String(64))  # content at last publish
    # Content right after the last `flask courses import` and that package's version: a
    # re-import is refused (without --force) when the course changed since, in the browser.
    import_hash: Mapped[str | None] = mapped_column(String(64))
    import_version: Mapped[int | None]
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    trainers = relationship("User", secondary=course_trainers,
                            order_by="User.full_name")
    lessons: Mapped[list[CourseLesson]] = relationship(
        back_populates="course", order_by="CourseLesson.position",
        cascade="all, delete-orphan")
    attachments: Mapped[list[CourseAttachment]] = relationship(
        back_populates="course", order_by="CourseAttachment.filename",
        cascade="all, delete-orphan")
    quiz: Mapped[CourseQuiz | None] = relationship(
        back_populates="course", uselist=False, cascade="all, delete-orphan")

    @property
    def main_topic(self) -> str | None:
        return self.topics[0] if self.topics else None

    @property
    def active_lessons(self) -> list[CourseLesson]:
        return [lesson for lesson in self.lessons if lesson.archived_at is None]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseLesson(db.Model):
    """One lesson: Markdown source and its sanitised HTML, cached per content hash."""

    __tablename__ = "course_lessons"
    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        CheckConstraint("position >= 1", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int]
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    # Loaded when first read (one query for both): the lesson list and the navigation show
    # titles only.
    body_md: Mapped[str] = mapped_column(Text, default="", deferred=True, deferred_group="body")
    html_cache: Mapped[str] = mapped_column(Text, default="", deferred=True,
                                            deferred_group="body")
    html_hash: Mapped[str] = mapped_column(String(64), default="")  # of renderer + source
    archived_at: Mapped[datetime | None]  # left the course but learners had done it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # a recording of the lesson: one of the course's files, of an audio kind (uploads.AUDIO)
    audio_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_attachments.id", ondelete="SET NULL"), index=True)

    course: Mapped[Course] = relationship(back_populates="lessons")
    audio: Mapped[CourseAttachment | None] = relationship()

    def __repr__(self) -> str:
        return f"<CourseLesson {self.slug}>"


class CourseAttachment(db.Model):
    """A file of a course, linked from lessons as `files/<filename>`; stored under UPLOAD_DIR
    with a generated name, served with its original name and the type found in its content."""

    __tablename__ = "course_attachments"
    __table_args__ = (
        UniqueConstraint("course_id", "filename"),
        CheckConstraint("size >= 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    filename: Mapped[str] = mapped_column(String(120))  # safe name used in links
    original_name: Mapped[str] = mapped_column(String(255))  # name given on download
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # generated
    kind: Mapped[str] = mapped_column(String(10))  # pdf, docx, xlsx, pptx, jpg, png
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpg", "png")

    def __repr__(self) -> str:
        return f"<CourseAttachment {self.filename}>"


class CourseQuiz(db.Model):
    __tablename__ = "course_quizzes"
    __table_args__ = (
        CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark"),
        CheckConstraint("max_attempts >= 1", name="max_attempts"),
        CheckConstraint("draw_count IS NULL OR draw_count >= 1", name="draw_count"),
        CheckConstraint("review_mode IN ('after_pass_or_last', 'always', 'score_only')",
                        name="review_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           unique=True)
    pass_mark: Mapped[int] = mapped_column(default=70)  # percent of questions fully correct
    max_attempts: Mapped[int] = mapped_column(default=3)
    # questions drawn from the bank for each attempt (None: all); app.courses.quiz_draw
    draw_count: Mapped[int | None]
    # what a learner sees after an attempt: app.courses.review.MODES
    review_mode: Mapped[str] = mapped_column(String(20), default="after_pass_or_last")

    course: Mapped[Course] = relationship(back_populates="quiz")
    questions: Mapped[list[QuizQuestion]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position", cascade="all, delete-orphan",
        lazy="selectin")  # parts of the quiz: never shown or changed without it

    @property
    def per_attempt(self) -> int:
        """Questions in one attempt: the number drawn, or the whole bank."""
        from app.courses.quiz_draw import drawn_count

        return drawn_count(self.draw_count, len(self.questions))


class QuizQuestion(db.Model):
    __tablename__ = "course_quiz_questions"
    __table_args__ = (CheckConstraint("position >= 1", name="position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("course_quizzes.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")

    quiz: Mapped[CourseQuiz] = relationship(back_populates="questions")
    choices: Mapped[list[QuizChoice]] = relationship(
        back_populates="question", order_by="QuizChoice.position", cascade="all, delete-orphan",
        lazy="selectin")  # parts of the question

    @property
    def multiple(self) -> bool:
        return sum(1 for c in self.choices if c.correct) > 1


class QuizChoice(db.Model):
    __tablename__ = "course_quiz_choices"
    __table_args__ = (CheckConstraint("position >= 1", name="position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("course_quiz_questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[QuizQuestion] = relationship(back_populates="choices")


class CourseEnrollment(db.Model):
    """A user taking a self-paced course; completed when every lesson is done and the quiz
    (if any) is passed. Completion, once reached, is kept when the course changes."""

    __tablename__ = "course_enrollments"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_lessons.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship()
    user = relationship("User")
    progress: Mapped[list[LessonProgress]] = relationship(
        back_populates="enrollment", cascade="all, delete-orphan")


class LessonProgress(db.Model):
    __tablename__ = "course_lesson_progress"
    __table_args__ = (UniqueConstraint("enrollment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("course_enrollments.id", ondelete="CASCADE"), index=True)
    # No cascade: the database refuses to delete a lesson that someone has done.
    lesson_id: Mapped[int] = mapped_column(ForeignKey("course_lessons.id"), index=True)
    done_at: Mapped[datetime] = mapped_column(default=utcnow)

    enrollment: Mapped[CourseEnrollment] = relationship(back_populates="progress")


class QuizAttempt(db.Model):
    """One attempt at a course's quiz. The token is in the attempt's form, so a second submit
    of the same attempt is refused (the update only succeeds while submitted_at IS NULL).

    An attempt belongs to one quiz: when the quiz is deleted, `quiz_id` becomes NULL and the
    attempt no longer counts (a new quiz starts with every attempt available). A learner has at
    most one open attempt (partial unique index; starting is also serialised by a lock on the
    enrolment row)."""

    __tablename__ = "course_quiz_attempts"
    __table_args__ = (
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="score"),
        CheckConstraint("question_count >= 0", name="question_count"),
        Index("uq_course_quiz_attempts_open", "enrollment_id", unique=True,
              sqlite_where=text("submitted_at IS NULL"),
              postgresql_where=text("submitted_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("course_enrollments.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_quizzes.id", ondelete="SET NULL"), index=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    course_version: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    question_count: Mapped[int] = mapped_column(default=0)
    correct_count: Mapped[int | None]
    score: Mapped[int | None]  # percent, rounded down
    passed: Mapped[bool | None]
    answers: Mapped[list | None] = mapped_column(JSON)  # frozen review: questions, choices
    # what the attempt shows, fixed at its start: [[question id, [choice ids]], ...]
    # (app.courses.quiz_draw); None for attempts started before it was kept
    layout: Mapped[list | None] = mapped_column(JSON)

    enrollment: Mapped[CourseEnrollment] = relationship()


# What a taken key means (app/core/refusal.py): a double tap, or two trainers at once.
explain_unique("uq_courses_slug", _l(
    "Mã đường dẫn này vừa có khóa học khác dùng; hãy chọn mã khác."), "slug")
explain_unique("uq_courses_code", _l("Mã khóa học này vừa có khóa học khác dùng."), "code")
explain_unique("uq_course_lessons_course_id", _l(
    "Khóa học vừa có bài cùng tên được thêm (có thể do bấm gửi hai lần); không thêm lần nữa. "
    "Hãy tải lại trang khóa học để xem."), "title")
explain_unique("uq_course_attachments_course_id", _l(
    "Khóa học vừa nhận một tệp cùng tên (có thể do bấm gửi hai lần); hãy tải lại trang khóa "
    "học để xem tệp đã lưu."), "file")
