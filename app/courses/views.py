"""Learner side: catalogue, course page, enrolment, lesson reader, quiz, files."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.decorators import login_required, role_required
from app.auth.roles import EVERYONE
from app.core.paging import Pager, page_number
from app.courses import access, progress, quiz_draw, service, uploads
from app.courses import quiz as quizzes
from app.courses.forms import ActionForm
from app.courses.models import Course, CourseEnrollment, CourseQuiz, QuizAttempt
from app.courses.topics import TOPICS
from app.extensions import db

bp = Blueprint("courses", __name__)
FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'none'"


def _course(slug: str) -> Course:
    course = db.session.scalar(
        select(Course).where(Course.slug == slug)
        # the quiz's settings with the course (one query); its bank only when read
        .options(joinedload(Course.quiz).lazyload(CourseQuiz.questions)))
    if course is None:
        abort(404)
    return course


def _visible(slug: str) -> tuple[Course, CourseEnrollment | None]:
    course = _course(slug)
    enrollment = progress.enrollment_of(current_user, course)
    if not access.can_see(current_user, course, enrollment):
        abort(404)
    return course, enrollment


def _ask_to_enroll(course: Course):
    """A learner who is not enrolled is sent to the course page to enrol (JS-free)."""
    if access.can_enroll(current_user, course):
        flash(_("Hãy ghi danh khóa học để đọc bài và làm bài kiểm tra."), "info")
        return redirect(url_for("courses.detail", slug=course.slug), 303)
    abort(403)


@bp.route("/")
@login_required
def index():
    topic = request.args.get("topic") or None
    if topic not in TOPICS:
        topic = None
    size, page = current_app.config["PAGE_SIZE"], page_number(request.args)
    rows, total = progress.catalogue(current_user, topic, page, size)
    return render_template(
        "courses/index.html", rows=[r for r in rows if r.course.status == "published"],
        others=[r for r in rows if r.course.status != "published"], topic=topic,
        topics=TOPICS, can_create=access.can_create(current_user),
        **Pager(page, size, total, {"topic": topic} if topic else {}).context())


def _render_detail(course: Course, enrollment: CourseEnrollment | None, status: int = 200):
    done = progress.done_ids(enrollment)
    state = progress.progress_of(course, enrollment, done)
    # the description after a renderer upgrade; completion after the course changed (a
    # lesson or the quiz removed): both are written only when they change
    changed = service.refresh_description(course)
    changed |= progress.complete_if_due(enrollment, course, state)
    if changed:
        db.session.commit()
    return render_template(
        "courses/detail.html", course=course, lessons=course.active_lessons, done=done,
        state=state, enrollment=enrollment, quiz=course.quiz,
        can_edit=access.can_edit(current_user, course),
        can_read=access.can_read(current_user, course, enrollment),
        can_enroll=access.can_enroll(current_user, course) and enrollment is None,
        form=ActionForm()), status


@bp.route("/<slug>")
@login_required
def detail(slug: str):
    course, enrollment = _visible(slug)
    return _render_detail(course, enrollment)


@bp.route("/<slug>/enroll", methods=["POST"])
@role_required("learner")
def enroll(slug: str):
    course, enrollment = _visible(slug)
    if enrollment is not None:
        return redirect(url_for("courses.resume", slug=slug), 303)
    if not access.can_enroll(current_user, course):
        flash(_("Khóa học này không còn nhận học viên mới."), "warning")
        return _render_detail(course, enrollment, 409)
    if not ActionForm().validate_on_submit():
        abort(400)
    progress.enroll(current_user, course)
    db.session.commit()
    flash(_("Đã ghi danh khóa học “%(t)s”. Chúc bạn học tốt!", t=course.title), "success")
    return redirect(url_for("courses.lesson", slug=slug, n=1), 303)


@bp.route("/<slug>/resume")
@role_required("learner")
def resume(slug: str):
    """Continue where the learner left off: the lesson, else the quiz, else the course."""
    course, enrollment = _visible(slug)
    if enrollment is None:
        return _ask_to_enroll(course)
    state = progress.progress_of(course, enrollment)
    if progress.complete_if_due(enrollment, course, state):
        db.session.commit()
    if state.resume_n is not None:
        return redirect(url_for("courses.lesson", slug=slug, n=state.resume_n))
    if state.has_quiz and not state.passed and not state.completed:
        return redirect(url_for("courses.quiz", slug=slug))
    return redirect(url_for("courses.detail", slug=slug))


@bp.route("/<slug>/lessons/<int:n>")
@role_required(*EVERYONE)
def lesson(slug: str, n: int):
    course, enrollment = _visible(slug)
    if not access.can_read(current_user, course, enrollment):
        return _ask_to_enroll(course)
    lessons = course.active_lessons
    if not 1 <= n <= len(lessons):
        abort(404)
    item = lessons[n - 1]
    changed = service.refresh_lesson_html(course, item)  # only after a renderer upgrade
    if enrollment is not None and enrollment.last_lesson_id != item.id:
        progress.visit(enrollment, item)
        changed = True
    done = progress.done_ids(enrollment)
    if enrollment is not None and enrollment.completed_at is None \
            and all(x.id in done for x in lessons):
        changed |= progress.update_completion(enrollment, course, done)
    page = render_template(
        "courses/lesson.html", course=course, lesson=item, n=n, total=len(lessons),
        lessons=lessons, done=done, enrollment=enrollment, form=ActionForm(),
        done_count=sum(1 for x in lessons if x.id in done),
        can_edit=access.can_edit(current_user, course),
        quiz_next=enrollment is not None and n == len(lessons) and progress.needs_quiz(course))
    if changed:  # after rendering: a commit expires what the page shows, reloaded row by row
        db.session.commit()
    return page


@bp.route("/<slug>/lessons/<int:n>/done", methods=["POST"])
@role_required("learner")
def mark_done(slug: str, n: int):
    course, enrollment = _visible(slug)
    if enrollment is None:
        return _ask_to_enroll(course)
    lessons = course.active_lessons
    if not 1 <= n <= len(lessons):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    # The form names the lesson that was read: if the trainer reordered, hid or deleted
    # lessons since the page was opened, lesson n is another one and must not be marked.
    read = request.form.get("lesson", type=int)
    if read is not None and read != lessons[n - 1].id:
        moved = next((i for i, x in enumerate(lessons, start=1) if x.id == read), None)
        if moved is None:
            flash(_("Bài bạn vừa đọc đã được giảng viên ẩn hoặc xóa, nên chưa được đánh dấu. "
                    "Tiến độ của bạn không thay đổi."), "warning")
            return _render_detail(course, enrollment, 409)
        n = moved
    progress.mark_done(enrollment, lessons[n - 1])
    completed = progress.update_completion(enrollment, course)
    db.session.commit()
    if completed:
        flash(_("Chúc mừng! Bạn đã hoàn thành khóa học “%(t)s”.", t=course.title), "success")
        return redirect(url_for("courses.detail", slug=slug), 303)
    if n < len(lessons):
        return redirect(url_for("courses.lesson", slug=slug, n=n + 1), 303)
    state = progress.progress_of(course, enrollment)
    if state.resume_n is not None:
        flash(_("Còn bài %(k)s chưa đánh dấu học xong.", k=state.resume_n), "info")
        return redirect(url_for("courses.lesson", slug=slug, n=state.resume_n), 303)
    if state.has_quiz and not state.passed:
        flash(_("Bạn đã học xong các bài. Hãy làm bài kiểm tra để hoàn thành khóa học."),
              "info")
        return redirect(url_for("courses.quiz", slug=slug), 303)
    return redirect(url_for("courses.detail", slug=slug), 303)


def _render_quiz(course, enrollment, attempt, questions, selections=None, problems=None,
                 message=None, status=200):
    """`questions`: the quiz's bank (`quizzes.bank`), loaded once for the request."""
    quiz = course.quiz
    refused = quizzes.may_start(enrollment, course, questions) if attempt is None else None
    shown = quizzes.shown_questions(attempt, quiz, questions) if attempt is not None else []
    if attempt is not None and not shown:  # its questions were deleted: start again
        attempt, refused = None, quizzes.may_start(enrollment, course, questions)
    return render_template(
        "courses/quiz.html", course=course, quiz=quiz, attempt=attempt, shown=shown,
        past=quizzes.attempts(enrollment, course), selections=selections or {},
        problems=problems, message=message or (refused.message if refused else None),
        passed=progress.quiz_passed(enrollment, course), enrollment=enrollment,
        can_start=refused is None, form=ActionForm(), bank_size=len(questions),
        per_attempt=quiz_draw.drawn_count(quiz.draw_count, len(questions))), status


def _quiz_course(slug: str):
    """(course, enrolment, the quiz's bank, None), or a response sending the learner
    elsewhere in the last place; 404 without a quiz to take."""
    course, enrollment = _visible(slug)
    if enrollment is None:
        return course, None, [], _ask_to_enroll(course)
    questions = quizzes.bank(course)
    if not questions:
        abort(404)
    return course, enrollment, questions, None


@bp.route("/<slug>/quiz", methods=["GET", "POST"])
@role_required("learner")
def quiz(slug: str):
    """GET: the open attempt's questions, or a "start" button (never starts one: a GET has no
    side effect). POST: submit the attempt named by the form's token."""
    course, enrollment, questions, elsewhere = _quiz_course(slug)
    if elsewhere is not None:
        return elsewhere
    if request.method == "GET":
        return _render_quiz(course, enrollment, quizzes.open_attempt(enrollment, course),
                            questions)
    token = request.form.get("attempt", "")
    selections, bad = quizzes.parse_form(request.form)
    if bad:
        attempt = quizzes.find_attempt(enrollment, token) or quizzes.open_attempt(enrollment,
                                                                                  course)
        return _render_quiz(course, enrollment, attempt, questions, selections=selections,
                            message=_("Câu trả lời không hợp lệ; hãy chọn lại đáp án."),
                            status=422)
    try:
        attempt, problems = quizzes.submit(enrollment, course, token, selections, questions)
    except quizzes.QuizError as exc:
        db.session.rollback()
        if exc.attempt is not None and exc.attempt.submitted_at is not None:
            flash(exc.message, "warning")
            return _render_attempt(course, exc.attempt, exc.status)
        # unknown or stale token: show the open attempt (if any) with what was chosen
        return _render_quiz(course, enrollment, quizzes.open_attempt(enrollment, course),
                            questions, selections=selections, message=exc.message,
                            status=exc.status)
    if problems:
        db.session.rollback()
        attempt = quizzes.find_attempt(enrollment, token)
        return _render_quiz(course, enrollment, attempt, questions, selections=selections,
                            problems=problems, status=problems.status)
    token = attempt.token  # read before the commit expires it (else one more query)
    db.session.commit()
    return redirect(url_for("courses.attempt", slug=slug, token=token), 303)


@bp.route("/<slug>/quiz/start", methods=["POST"])
@role_required("learner")
def start_quiz(slug: str):
    """Open an attempt (or keep the open one) and show it."""
    course, enrollment, questions, elsewhere = _quiz_course(slug)
    if elsewhere is not None:
        return elsewhere
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        quizzes.start_or_resume(enrollment, course, questions)
        db.session.commit()
    except quizzes.QuizError as exc:
        db.session.rollback()
        return _render_quiz(course, enrollment, None, questions, message=exc.message,
                            status=exc.status)
    return redirect(url_for("courses.quiz", slug=slug), 303)


def _render_attempt(course: Course, attempt: QuizAttempt, status: int = 200):
    enrollment = attempt.enrollment
    own = enrollment.user_id == current_user.id
    state = progress.progress_of(course, enrollment) if own else None
    editor = access.can_edit(current_user, course)
    return render_template("courses/attempt.html", course=course, attempt=attempt,
                           quiz=course.quiz, own=own, state=state, learner=enrollment.user,
                           number=_attempt_number(attempt),
                           answers=quizzes.answers_visible(attempt, course, editor)), status


def _attempt_number(attempt: QuizAttempt) -> int:
    earlier = [a for a in quizzes.attempts(attempt.enrollment)
               if a.id <= attempt.id and a.quiz_id == attempt.quiz_id]
    return len(earlier)


@bp.route("/<slug>/quiz/attempts/<token>")
@role_required(*EVERYONE)
def attempt(slug: str, token: str):
    course = _course(slug)
    found = db.session.scalar(
        select(QuizAttempt).join(CourseEnrollment)
        .where(QuizAttempt.token == token, CourseEnrollment.course_id == course.id))
    if found is None:
        abort(404)
    if found.enrollment.user_id != current_user.id and not access.can_edit(current_user, course):
        abort(403)
    if found.submitted_at is None:
        return redirect(url_for("courses.quiz", slug=slug))
    return _render_attempt(course, found)


@bp.route("/<slug>/files/<filename>")
@login_required
def attachment(slug: str, filename: str):
    course, enrollment = _visible(slug)
    if not access.can_read(current_user, course, enrollment):
        abort(403)
    item = next((a for a in course.attachments if a.filename == filename), None)
    if item is None:
        abort(404)
    path = uploads.path_of(current_app.config["UPLOAD_DIR"], item.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=item.mime_type, download_name=item.original_name,
                         as_attachment=item.kind not in uploads.INLINE_KINDS, conditional=True,
                         etag=item.sha256, max_age=3600)
    response.cache_control.public = False
    response.cache_control.private = True
    # Whatever the file holds, opened on its own it runs nothing and reaches nothing: a
    # sandboxed, opaque origin (images still show; PDFs and Office files are downloaded).
    response.headers["Content-Security-Policy"] = FILE_CSP
    return response

