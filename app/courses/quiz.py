"""Quiz attempts: start or resume, check the answers, score at once, never count twice.

A question is right when the choices picked are exactly its correct choices. The score is the
percentage of questions right, rounded down; the attempt passes when the score reaches the
quiz's pass mark. Each attempt has a unique token carried by its form: the submit succeeds
only while the attempt is still open (one conditional UPDATE), so a second submit of the same
attempt, even at the same instant, is refused and not counted.

Starting and submitting first lock the learner's enrolment row, so two requests at once
cannot open two attempts or go past the attempt limit. Attempts belong to a quiz: only those
at the course's current quiz count. Opening the quiz page never starts an attempt (a GET has
no side effect); "Bắt đầu làm bài" is a POST.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value

from app.core.refusal import Refusal
from app.courses import quiz_bank, quiz_draw, review
from app.courses.models import Course, CourseEnrollment, CourseQuiz, QuizAttempt
from app.courses.progress import attempts_used, lock_enrollment, quiz_passed, update_completion
from app.extensions import db
from app.timeutil import utcnow


class QuizError(Refusal):
    """A refused quiz action: the message is shown to the learner, `status` is the HTTP code."""

    def __init__(self, message: str, status: int = 409, attempt: QuizAttempt | None = None):
        super().__init__(message, status)
        self.attempt = attempt


@dataclass
class AnswerProblems:
    """Answers that cannot be scored: per-question messages (shown at the question) and
    general ones; `status` 400 (incomplete) or 422 (answers that do not fit the quiz)."""

    status: int = 400
    by_question: dict[int, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_question or self.general)


def open_attempt(enrollment: CourseEnrollment, course: Course) -> QuizAttempt | None:
    """The learner's open attempt at the course's current quiz (read only)."""
    quiz = course.quiz
    if quiz is None:
        return None
    return db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.enrollment_id == enrollment.id,
                                  QuizAttempt.quiz_id == quiz.id,
                                  QuizAttempt.submitted_at.is_(None))
        .order_by(QuizAttempt.id.desc()).limit(1))


def attempts(enrollment: CourseEnrollment, course: Course | None = None) -> list[QuizAttempt]:
    """Submitted attempts, oldest first: at the course's current quiz when `course` is given,
    else every attempt of the enrolment. Their frozen answers and layouts are left in the
    database (loaded if read): the lists show scores."""
    query = select(QuizAttempt).options(defer(QuizAttempt.answers), defer(QuizAttempt.layout)) \
        .where(QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.submitted_at.is_not(None))
    if course is not None:
        if course.quiz is None:
            return []
        query = query.where(QuizAttempt.quiz_id == course.quiz.id)
    return list(db.session.scalars(query.order_by(QuizAttempt.submitted_at, QuizAttempt.id)))


def bank(course: Course) -> list[quiz_bank.Question]:
    """The questions of the course's current quiz, as the learner's pages read them (one
    query; empty without a quiz). A request loads it once and passes it on."""
    return quiz_bank.load(course.quiz)


def _no_quiz(course: Course, questions: list | None = None) -> QuizError | None:
    """Refused when the course has no quiz to take (none, or one without questions);
    `questions`: its bank when already loaded."""
    quiz = course.quiz
    if quiz is None or not (quiz_bank.has_questions(quiz) if questions is None else questions):
        return QuizError(_("Khóa học này không có bài kiểm tra."), 404)
    return None


def _no_attempt_left(enrollment: CourseEnrollment, course: Course) -> QuizError | None:
    """Refused when the learner may not count another attempt: passed, or out of attempts."""
    if quiz_passed(enrollment, course):
        return QuizError(_("Bạn đã đạt bài kiểm tra của khóa học này."), 409)
    limit = course.quiz.max_attempts
    if attempts_used(enrollment, course) >= limit:
        return QuizError(_("Bạn đã làm hết %(n)s lần làm bài được phép.", n=limit), 409)
    return None


def may_start(enrollment: CourseEnrollment, course: Course,
              questions: list | None = None) -> QuizError | None:
    """Why the learner may not start an attempt now (None when they may)."""
    return _no_quiz(course, questions) or _no_attempt_left(enrollment, course)


def start_or_resume(enrollment: CourseEnrollment, course: Course,
                    questions: list | None = None) -> QuizAttempt:
    """The open attempt, or a new one if the learner may try again (QuizError otherwise).
    Serialised per learner by the enrolment row lock; open attempts left from a quiz that was
    deleted are dropped (they were never submitted). `questions`: the bank, when loaded."""
    questions = bank(course) if questions is None else questions
    refused = _no_quiz(course, questions)
    if refused is not None:
        raise refused
    quiz = course.quiz
    lock_enrollment(enrollment.id)
    current = open_attempt(enrollment, course)
    if current is not None:
        if not shown_questions(current, quiz, questions):  # every drawn one deleted: draw again
            current.layout = quiz_draw.draw(questions, quiz.draw_count)
            current.question_count = len(current.layout)
        return current
    refused = _no_attempt_left(enrollment, course)
    if refused is not None:
        raise refused
    db.session.execute(
        delete(QuizAttempt).where(QuizAttempt.enrollment_id == enrollment.id,
                                  QuizAttempt.submitted_at.is_(None))
        .execution_options(synchronize_session="fetch"))
    layout = quiz_draw.draw(questions, quiz.draw_count)
    attempt = QuizAttempt(enrollment_id=enrollment.id, quiz_id=quiz.id,
                          token=secrets.token_hex(16), course_version=course.version,
                          started_at=utcnow(), question_count=len(layout), layout=layout)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # opened by a concurrent request (the unique index on open ones)
        current = open_attempt(enrollment, course)
        if current is None:
            raise
        return current
    return attempt


def parse_form(form) -> tuple[dict[int, list[int]], list[str]]:
    """Answers from a form (`q<question id>` = choice ids) and keys that are not valid."""
    selections: dict[int, list[int]] = {}
    bad = []
    for key in form:
        if not key.startswith("q"):
            continue
        try:
            qid = int(key[1:])
            selections[qid] = [int(v) for v in form.getlist(key)]
        except ValueError:
            bad.append(key)
    return selections, bad


def shown_questions(attempt: QuizAttempt | None, quiz: CourseQuiz, questions: list | None = None
                    ) -> list[quiz_draw.ShownQuestion]:
    """The questions of the attempt, with their choices in the order the attempt shows them
    (every question of the quiz, in its order, for `attempt` None or an older attempt).
    `questions`: the quiz's bank, when loaded."""
    questions = quiz_bank.load(quiz) if questions is None else questions
    return quiz_draw.shown(questions, attempt.layout if attempt is not None else None)


def check_answers(quiz: CourseQuiz, selections: dict[int, list[int]],
                  shown: list[quiz_draw.ShownQuestion] | None = None) -> AnswerProblems:
    """Problems of the answers to the questions `shown` (default: every question)."""
    problems = AnswerProblems()
    shown = quiz_draw.shown(quiz_bank.load(quiz), None) if shown is None else shown
    questions = {q.id: q for q in shown}
    unknown = [qid for qid in selections if qid not in questions]
    if unknown:
        problems.status = 422
        problems.general.append(
            _("Bài làm có câu trả lời cho câu hỏi không có trong bài kiểm tra (bài kiểm tra có "
              "thể vừa được cập nhật). Bài làm chưa được tính; hãy xem lại các câu hỏi và nộp "
              "lại."))
    for q in shown:
        picked = selections.get(q.id, [])
        valid = {c.id for c in q.choices}
        if any(c not in valid for c in picked):
            problems.status = 422
            problems.by_question[q.id] = _("Lựa chọn không thuộc câu hỏi này; hãy chọn lại.")
        elif not picked:
            problems.by_question[q.id] = _("Bạn chưa trả lời câu này.")
        elif not q.multiple and len(picked) > 1:
            problems.by_question[q.id] = _("Câu này chỉ có một đáp án đúng; hãy chọn một.")
    return problems


@dataclass
class Grade:
    correct: int
    total: int
    score: int
    passed: bool
    review: list[dict]


def grade(quiz: CourseQuiz, selections: dict[int, list[int]],
          shown: list[quiz_draw.ShownQuestion] | None = None) -> Grade:
    """Score the answers to the questions `shown` (default: every question). The review keeps
    the questions and choices in the order the learner saw them."""
    shown = quiz_draw.shown(quiz_bank.load(quiz), None) if shown is None else shown
    review = []
    correct = 0
    for q in shown:
        picked = set(selections.get(q.id, []))
        right = {c.id for c in q.choices if c.correct}
        ok = picked == right
        correct += ok
        review.append({
            "question_id": q.id, "position": q.question.position, "text": q.text,
            "explanation": q.question.explanation, "ok": ok,
            "choices": [{"id": c.id, "text": c.text, "correct": c.correct,
                         "chosen": c.id in picked} for c in q.choices],
        })
    total = len(shown)
    score = (100 * correct) // total if total else 0
    return Grade(correct=correct, total=total, score=score,
                 passed=total > 0 and correct * 100 >= quiz.pass_mark * total, review=review)


def find_attempt(enrollment: CourseEnrollment, token: str) -> QuizAttempt | None:
    if not token or len(token) > 32:
        return None
    return db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.token == token, QuizAttempt.enrollment_id == enrollment.id))


def submit(enrollment: CourseEnrollment, course: Course, token: str,
           selections: dict[int, list[int]], questions: list | None = None
           ) -> tuple[QuizAttempt | None, AnswerProblems]:
    """Score and close the attempt. Returns (attempt, problems): with problems nothing is
    written and the attempt stays open. QuizError for a missing, closed or extra attempt.
    `questions`: the quiz's bank, when loaded."""
    attempt = find_attempt(enrollment, token)
    if attempt is None:
        raise QuizError(_("Không tìm thấy bài làm này (có thể bài kiểm tra vừa được thay "
                          "đổi). Các lựa chọn của bạn vẫn được giữ; hãy xem lại rồi nộp bài."),
                        400)
    if attempt.submitted_at is not None:
        raise QuizError(_("Bài làm này đã được nộp và chấm điểm; lần nộp lại không được tính."),
                        409, attempt)
    questions = bank(course) if questions is None else questions
    refused = _no_quiz(course, questions)
    if refused is not None:
        raise refused
    quiz = course.quiz
    if attempt.quiz_id != quiz.id:
        raise QuizError(_("Bài làm này thuộc bài kiểm tra cũ, đã được thay; hãy làm bài kiểm "
                          "tra mới."), 409)
    shown = shown_questions(attempt, quiz, questions)
    if not shown:
        raise QuizError(_("Các câu hỏi của lần làm này vừa bị giảng viên xóa; hãy bấm “Bắt đầu "
                          "làm bài” để nhận câu hỏi mới."), 409)
    problems = check_answers(quiz, selections, shown)
    if problems:
        return attempt, problems
    lock_enrollment(enrollment.id)  # the limit below is checked and the attempt closed at once
    refused = _no_attempt_left(enrollment, course)
    if refused is not None:
        raise refused
    result = grade(quiz, selections, shown)
    written = {"submitted_at": utcnow(), "score": result.score, "correct_count": result.correct,
               "question_count": result.total, "passed": result.passed,
               "answers": result.review}
    closed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(**written).execution_options(synchronize_session=False))
    if closed.rowcount != 1:
        raise QuizError(_("Bài làm này đã được nộp và chấm điểm; lần nộp lại không được tính."),
                        409, attempt)
    for name, value in written.items():  # the attempt as written, without reading it again
        set_committed_value(attempt, name, value)
    if result.passed:
        update_completion(enrollment, course)
    return attempt, problems


def detach_quiz(quiz: CourseQuiz) -> None:
    """Before a quiz is deleted: its open attempts go (never submitted), its submitted ones
    stay for the record but no longer count (quiz_id NULL; the foreign key does the same on
    PostgreSQL, this also covers a database without it)."""
    db.session.execute(delete(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id,
                                                 QuizAttempt.submitted_at.is_(None))
                       .execution_options(synchronize_session="fetch"))
    db.session.execute(update(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id)
                       .values(quiz_id=None).execution_options(synchronize_session="fetch"))


def answers_visible(attempt: QuizAttempt, course: Course, editor: bool) -> bool:
    """Whether the viewer sees the attempt's answers and explanations, by the quiz's review
    setting (app.courses.review): `editor` is a trainer of the course or a coordinator."""
    quiz = course.quiz
    current = quiz is not None and attempt.quiz_id == quiz.id
    if editor or not current:
        return review.shows_answers(review.DEFAULT, passed=False, attempts_left=0,
                                    editor=editor, current_quiz=current)
    enrollment = attempt.enrollment
    return review.shows_answers(
        quiz.review_mode, passed=quiz_passed(enrollment, course),
        attempts_left=quiz.max_attempts - attempts_used(enrollment, course))
