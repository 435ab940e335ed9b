"""Trainer workspace: create and edit courses, lessons (with preview), files and the quiz;
publish, unpublish, archive. The course's trainers, coordinators and admins only."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.decorators import role_required
from app.auth.models import User
from app.auth.roles import STAFF
from app.auth.service import active_trainers
from app.core import once
from app.core.forms import form_status
from app.core.refusal import at_field
from app.core.storage import StorageFull
from app.courses import access, content, progress, service, uploads
from app.courses.forms import (
    ActionForm,
    AudioForm,
    CourseForm,
    LessonForm,
    QuestionForm,
    QuizSettingsForm,
    UploadForm,
    question_rows,
)
from app.courses.models import Course
from app.extensions import db

bp = Blueprint("course_edit", __name__)


def _editable(slug: str) -> Course:
    course = service.by_slug(slug)
    if course is None:
        abort(404)
    if not access.can_edit(current_user, course):
        abort(403)
    return course


def _fill_trainers(form: CourseForm) -> bool:
    """Coordinators and admins choose the trainers; a trainer's course is their own."""
    if current_user.is_coordinator:
        form.trainers.choices = [(u.id, f"{u.full_name} ({u.username})")
                                 for u in active_trainers()]
        return True
    del form.trainers
    return False


def _course_data(form: CourseForm) -> service.CourseData:
    return service.CourseData(
        title=form.title.data, code=form.code.data, topics=form.topics.data,
        summary=form.summary.data or "", audience=form.audience.data or "",
        hours=float(form.hours.data) if form.hours.data is not None else None,
        description_md=form.description.data or "")


def _confirm(course: Course, title: str, message: str, button: str, cancel: str,
             details=(), status: int = 200):
    """The confirmation step of a destructive action (works without JavaScript): the page is
    a GET; its form POSTs back to the same URL with confirm=yes."""
    if request.method == "POST":
        status = 400  # a POST without the confirmation: nothing was done
    return render_template("courses/edit/confirm.html", course=course, title=title,
                           message=message, button=button, cancel=cancel, details=details,
                           action=request.path), status


def _confirmed() -> bool:
    if request.method != "POST" or request.form.get("confirm") != "yes":
        return False
    if not ActionForm().validate_on_submit():
        abort(400)
    return True


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create():
    form = CourseForm()
    chooses = _fill_trainers(form)
    if request.method == "POST" and (repeat := once.repeat_of(form)):
        return repeat
    if form.validate_on_submit():
        slug = form.slug.data or service.slugify(form.title.data)
        ok = True
        problem = service.slug_problem(slug)
        if problem:
            form.slug.errors.append(problem)
            ok = False
        elif service.slug_taken(slug):
            form.slug.errors.append(_("Mã đường dẫn %(s)s đã có khóa học khác dùng; hãy chọn "
                                      "mã khác.", s=slug))
            ok = False
        if service.code_taken(form.code.data):
            form.code.errors.append(_("Mã khóa học %(c)s đã được dùng.", c=form.code.data))
            ok = False
        if ok:
            if chooses:
                trainers = [db.session.get(User, i) for i in form.trainers.data or []]
            else:
                trainers = [current_user._get_current_object()]
            try:
                course = service.create_course(current_user, slug, _course_data(form),
                                               trainers)
                once.remember(form, url_for("course_edit.workspace", slug=course.slug))
                db.session.commit()
            except IntegrityError as exc:  # a racing twin: the message at its field
                why = at_field(form, exc)
                return render_template("courses/edit/course_form.html", form=form,
                                       course=None), why.status
            flash(_("Đã tạo khóa học “%(t)s” (bản nháp). Hãy thêm bài học.", t=course.title),
                  "success")
            return redirect(url_for("course_edit.workspace", slug=course.slug), 303)
    status = form_status()
    return render_template("courses/edit/course_form.html", form=form, course=None), status


def _render_workspace(course: Course, upload_form=None, status: int = 200, problems=None):
    has_progress = service.lessons_with_progress(course)
    return render_template(
        "courses/edit/workspace.html", course=course, form=ActionForm(formdata=None),
        upload_form=upload_form or UploadForm(formdata=None), quiz=course.quiz,
        archived=[x for x in course.lessons if x.archived_at is not None],
        changed=service.has_unpublished_changes(course), has_progress=has_progress,
        problems=problems or [], max_mb=uploads.format_mb(current_app.config["MAX_CONTENT_LENGTH"])
    ), status


@bp.route("/<slug>/edit")
@role_required(*STAFF)
def workspace(slug: str):
    return _render_workspace(_editable(slug))


@bp.route("/<slug>/edit/info", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_info(slug: str):
    course = _editable(slug)
    form = CourseForm(obj=course)
    chooses = _fill_trainers(form)
    if request.method == "GET":
        form.description.data = course.description_md
        form.hours.data = course.hours
        if chooses:
            form.trainers.data = [t.id for t in course.trainers]
    if form.validate_on_submit():
        if service.code_taken(form.code.data, course.id):
            form.code.errors.append(_("Mã khóa học %(c)s đã được dùng.", c=form.code.data))
        else:
            changed = service.update_course(current_user, course, _course_data(form))
            if chooses:
                chosen = [db.session.get(User, i) for i in form.trainers.data or []]
                changed |= service.set_trainers(current_user, course, chosen)
            db.session.commit()
            flash(_("Đã lưu thông tin khóa học.") if changed else _("Không có gì thay đổi."),
                  "success")
            return redirect(url_for("course_edit.workspace", slug=slug), 303)
    status = form_status()
    return render_template("courses/edit/course_form.html", form=form, course=course), status


@bp.route("/<slug>/edit/status", methods=["POST"])
@role_required(*STAFF)
def set_status(slug: str):
    course = _editable(slug)
    action = request.form.get("action")
    if not ActionForm().validate_on_submit() or action not in ("publish", "unpublish",
                                                              "archive"):
        flash(_("Thao tác không hợp lệ."), "danger")
        return _render_workspace(course, status=400)
    if action == "publish":
        problems = service.publish_problems(course)
        if problems:
            flash(_("Chưa công bố được khóa học: hãy sửa các điểm dưới đây."), "danger")
            return _render_workspace(course, status=422, problems=problems)
        bumped = service.publish(current_user, course)
        progress.refresh_completions(course)
        message = _("Đã công bố phiên bản %(v)s. Tiến độ của học viên được giữ nguyên.",
                    v=course.version) if bumped else _("Đã công bố khóa học (phiên bản "
                                                       "%(v)s).", v=course.version)
    elif action == "unpublish":
        service.set_status(current_user, course, "draft")
        message = _("Đã thu hồi khóa học về bản nháp; học viên tạm thời không xem được, tiến "
                    "độ vẫn được giữ.")
    else:
        service.set_status(current_user, course, "archived")
        message = _("Đã lưu trữ khóa học: không nhận học viên mới; người đã ghi danh vẫn xem "
                    "được.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("course_edit.workspace", slug=slug), 303)


def _lesson_warnings(course: Course, body: str) -> list[str]:
    warnings = []
    for name in service.missing_files(course, body):
        warnings.append(_("Bài dẫn tới files/%(n)s nhưng khóa học chưa có tệp này. Hãy tải tệp "
                          "lên ở trang khóa học.", n=name))
    for src in content.stripped_images(body, service.files_base(course)):
        warnings.append(_("Ảnh “%(src)s” không nằm trong tệp của khóa học nên sẽ không hiện "
                          "cho học viên. Hãy tải ảnh lên ở trang khóa học rồi ghi "
                          "![mô tả ảnh](files/tên-tệp).", src=src[:200]))
    if content.has_unsafe_markup(body):
        warnings.append(_("Bài có mã HTML không được phép (script, style, iframe, sự kiện on..., "
                          "liên kết javascript:...). Phần đó sẽ bị loại bỏ khi hiển thị."))
    return warnings


def _lesson_page(course, lesson, form, preview=None, status=200, audio_form=None):
    body = form.body.data or ""
    limit = current_app.config.get("COURSE_AUDIO_MAX_BYTES", uploads.AUDIO_MAX_BYTES)
    return render_template("courses/edit/lesson_form.html", course=course, lesson=lesson,
                           form=form, preview=preview, warnings=_lesson_warnings(course, body)
                           if request.method == "POST" and audio_form is None else [],
                           attachments=course.attachments,
                           audio_form=audio_form or AudioForm(formdata=None),
                           audio_max=uploads.format_mb(min(limit, current_app.config[
                               "MAX_CONTENT_LENGTH"]))), status


def _lesson_form_of(lesson) -> LessonForm:
    form = LessonForm(formdata=None)
    form.title.data, form.body.data = lesson.title, lesson.body_md
    return form


def _save_lesson(course, lesson, form):
    """Preview or save; returns a response."""
    action = request.form.get("action", "save")
    if request.method == "POST" and action == "preview":
        # the same checks as a save (length, nesting...), the error at the field
        if not form.body.validate(form):
            return _lesson_page(course, lesson, form, status=400)
        try:
            html = content.render_markdown(service.normalise_text(form.body.data or ""),
                                           service.files_base(course))
        except content.ContentError as exc:
            form.body.errors = [str(exc)]
            return _lesson_page(course, lesson, form, status=400)
        return _lesson_page(course, lesson, form, preview=html)
    if lesson is None and request.method == "POST" and (repeat := once.repeat_of(form)):
        return repeat
    if form.validate_on_submit():
        lesson_id = lesson.id if lesson is not None else None
        try:
            if lesson is None:
                lesson = service.add_lesson(current_user, course, form.title.data,
                                            form.body.data)
                once.remember(form, url_for("course_edit.workspace", slug=course.slug))
                message = _("Đã thêm bài “%(t)s”.", t=lesson.title)
            else:
                changed = service.update_lesson(current_user, course, lesson, form.title.data,
                                                form.body.data)
                message = _("Đã lưu bài “%(t)s”.", t=lesson.title) if changed \
                    else _("Không có gì thay đổi.")
            db.session.commit()
        except IntegrityError as exc:  # a racing twin: the message at its field
            why = at_field(form, exc)
            course = _editable(course.slug)
            lesson = _lesson_of(course, lesson_id) if lesson_id is not None else None
            return _lesson_page(course, lesson, form, status=why.status)
        flash(message, "success")
        for warning in _lesson_warnings(course, lesson.body_md):
            flash(warning, "warning")
        return redirect(url_for("course_edit.workspace", slug=course.slug), 303)
    return _lesson_page(course, lesson, form, status=form_status())


@bp.route("/<slug>/edit/lessons/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_lesson(slug: str):
    course = _editable(slug)
    return _save_lesson(course, None, LessonForm())


def _lesson_of(course: Course, lesson_id: int):
    lesson = next((x for x in course.lessons if x.id == lesson_id), None)
    if lesson is None:
        abort(404)
    return lesson


@bp.route("/<slug>/edit/preview", methods=["POST"])
@role_required(*STAFF)
def preview_lesson(slug: str):
    """The lesson as learners will see it, for the editor's script (lesson-editor.js) as the
    trainer types: the same rendering, checks and warnings as the "Xem trước" button."""
    course = _editable(slug)
    form = LessonForm()
    body = form.body.data or ""
    if not form.body.validate(form):
        return {"html": "", "error": " ".join(str(e) for e in form.body.errors),
                "warnings": []}, 400
    try:
        html = content.render_markdown(service.normalise_text(body), service.files_base(course))
    except content.ContentError as exc:
        return {"html": "", "error": str(exc), "warnings": []}, 400
    return {"html": html, "error": "", "warnings": _lesson_warnings(course, body)}


@bp.route("/<slug>/edit/lessons/<int:lesson_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_lesson(slug: str, lesson_id: int):
    course = _editable(slug)
    lesson = _lesson_of(course, lesson_id)
    form = LessonForm()
    if request.method == "GET":
        form.title.data, form.body.data = lesson.title, lesson.body_md
    return _save_lesson(course, lesson, form)


@bp.route("/<slug>/edit/lessons/<int:lesson_id>/audio", methods=["POST"])
@role_required(*STAFF)
def lesson_audio(slug: str, lesson_id: int):
    """Upload the lesson's audio: checked by content (audio only, at most the audio limit),
    stored as one of the course's files, played above the lesson."""
    course = _editable(slug)
    lesson = _lesson_of(course, lesson_id)
    form = AudioForm()
    if not form.validate_on_submit():
        return _lesson_page(course, lesson, _lesson_form_of(lesson), status=400,
                            audio_form=form)
    config = current_app.config
    try:
        checked = uploads.check(form.file.data.filename or "", form.file.data.read(),
                                kinds=uploads.AUDIO_KINDS, **uploads.limits(config))
    except uploads.UploadError as exc:
        form.file.errors.append(exc.message)
        return _lesson_page(course, lesson, _lesson_form_of(lesson), status=exc.status,
                            audio_form=form)
    upload_dir = config["UPLOAD_DIR"]
    try:
        stored = uploads.store(upload_dir, checked)
    except StorageFull as exc:  # the disk full: said at the field, nothing kept
        form.file.errors.append(exc.message)
        return _lesson_page(course, lesson, _lesson_form_of(lesson), status=exc.status,
                            audio_form=form)
    try:
        attachment, old = service.attach(current_user, course, checked, stored)
        service.set_lesson_audio(current_user, course, lesson, attachment)
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.remove(upload_dir, [stored])
        raise
    if old:
        uploads.remove(upload_dir, [old])
    flash(_("Đã gắn âm thanh %(f)s cho bài “%(t)s”. Học viên nghe ngay trên trang bài học.",
            f=attachment.filename, t=lesson.title), "success")
    return redirect(url_for("course_edit.edit_lesson", slug=slug, lesson_id=lesson.id)
                    + "#am-thanh", 303)


@bp.route("/<slug>/edit/lessons/<int:lesson_id>/audio/remove", methods=["POST"])
@role_required(*STAFF)
def remove_lesson_audio(slug: str, lesson_id: int):
    course = _editable(slug)
    lesson = _lesson_of(course, lesson_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if service.set_lesson_audio(current_user, course, lesson, None):
        db.session.commit()
        flash(_("Đã bỏ âm thanh của bài; tệp vẫn nằm trong danh sách tệp của khóa học."),
              "success")
    return redirect(url_for("course_edit.edit_lesson", slug=slug, lesson_id=lesson.id), 303)


@bp.route("/<slug>/edit/lessons/<int:lesson_id>/move", methods=["POST"])
@role_required(*STAFF)
def move_lesson(slug: str, lesson_id: int):
    course = _editable(slug)
    lesson = _lesson_of(course, lesson_id)
    direction = request.form.get("action")
    if not ActionForm().validate_on_submit() or direction not in ("up", "down"):
        flash(_("Thao tác không hợp lệ."), "danger")
        return _render_workspace(course, status=400)
    service.move_lesson(course, lesson, direction)
    db.session.commit()
    return redirect(url_for("course_edit.workspace", slug=slug) + "#bai-hoc", 303)


@bp.route("/<slug>/edit/lessons/<int:lesson_id>/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete_lesson(slug: str, lesson_id: int):
    course = _editable(slug)
    lesson = _lesson_of(course, lesson_id)
    back = url_for("course_edit.workspace", slug=slug)
    if lesson.archived_at is not None:
        flash(_("Bài này đã được ẩn."), "info")
        return redirect(back, 303)
    if not _confirmed():
        if service.lesson_has_progress(lesson):
            return _confirm(course, _("Ẩn bài “%(t)s”?", t=lesson.title), _(
                "Đã có học viên học bài này nên bài được ẩn đi chứ không xóa; tiến độ của học "
                "viên được giữ và có thể đưa bài trở lại sau."), _("Ẩn bài"), back)
        return _confirm(course, _("Xóa bài “%(t)s”?", t=lesson.title), _(
            "Chưa có học viên nào học bài này. Bài sẽ bị xóa hẳn, không khôi phục được."),
            _("Xóa bài"), back)
    title = lesson.title
    outcome = service.remove_lesson(current_user, course, lesson)
    progress.refresh_completions(course)  # learners who had done every other lesson
    db.session.commit()
    if outcome == "archived":
        flash(_("Bài “%(t)s” đã có học viên học nên được ẩn đi, không xóa; tiến độ của học "
                "viên được giữ.", t=title), "success")
    else:
        flash(_("Đã xóa bài “%(t)s”.", t=title), "success")
    return redirect(back, 303)


@bp.route("/<slug>/edit/lessons/<int:lesson_id>/restore", methods=["POST"])
@role_required(*STAFF)
def restore_lesson(slug: str, lesson_id: int):
    course = _editable(slug)
    lesson = _lesson_of(course, lesson_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if lesson.archived_at is not None:
        service.restore_lesson(course, lesson)
        service.touch(course)
        db.session.commit()
        flash(_("Đã đưa bài “%(t)s” trở lại khóa học.", t=lesson.title), "success")
    return redirect(url_for("course_edit.workspace", slug=slug), 303)


@bp.route("/<slug>/edit/files", methods=["POST"])
@role_required(*STAFF)
def upload(slug: str):
    course = _editable(slug)
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_workspace(course, form, status=400)
    data = form.file.data
    upload_dir = current_app.config["UPLOAD_DIR"]
    try:
        config = current_app.config
        checked = uploads.check(data.filename or "", data.read(), config["MAX_CONTENT_LENGTH"],
                                config["COURSE_IMAGE_MAX_WIDTH"], config["COURSE_IMAGE_MAX_PIXELS"])
    except uploads.UploadError as exc:
        form.file.errors.append(str(exc))
        return _render_workspace(course, form, status=422)
    try:
        stored = uploads.store(upload_dir, checked)
    except StorageFull as exc:  # the disk full: said at the field, nothing kept
        form.file.errors.append(exc.message)
        return _render_workspace(course, form, status=exc.status)
    try:
        attachment, old = service.attach(current_user, course, checked, stored)
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.remove(upload_dir, [stored])
        raise
    link = ("![…](files/%s)" if attachment.is_image else "[…](files/%s)") % attachment.filename
    if old:
        uploads.remove(upload_dir, [old])
        flash(_("Đã thay tệp %(f)s bằng tệp vừa tải lên (%(o)s): khóa học đã có tệp cùng tên "
                "này. Các bài dẫn tới files/%(f)s nay mở tệp mới.", f=attachment.filename,
                o=attachment.original_name), "warning")
    else:
        flash(_("Đã tải lên %(f)s. Trong bài, ghi %(link)s để dẫn tới tệp.",
                f=attachment.filename, link=link), "success")
    return redirect(url_for("course_edit.workspace", slug=slug) + "#tep", 303)


@bp.errorhandler(413)
def too_large(_error):
    db.session.rollback()
    limit = uploads.format_mb(current_app.config["MAX_CONTENT_LENGTH"])
    message = _("Tệp quá lớn: tối đa %(n)s. Hãy nén hoặc thu nhỏ tệp rồi tải lên lại.", n=limit)
    slug = (request.view_args or {}).get("slug")
    course = service.by_slug(slug) if slug else None
    if request.endpoint == "course_edit.upload" and course is not None \
            and access.can_edit(current_user, course):
        form = UploadForm(formdata=None)
        form.file.errors = [message]
        return _render_workspace(course, form, status=413)
    lesson_id = (request.view_args or {}).get("lesson_id")
    lesson = next((x for x in course.lessons if x.id == lesson_id), None) \
        if course is not None else None
    if request.endpoint == "course_edit.lesson_audio" and lesson is not None \
            and access.can_edit(current_user, course):
        form = AudioForm(formdata=None)
        form.file.errors = [message]
        return _lesson_page(course, lesson, _lesson_form_of(lesson), status=413,
                            audio_form=form)
    message = _("Nội dung gửi lên quá lớn. Hãy chia bài thành nhiều bài ngắn hơn.")
    return render_template("core/error.html", code=413, message=message), 413


@bp.route("/<slug>/edit/files/<int:attachment_id>/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete_attachment(slug: str, attachment_id: int):
    course = _editable(slug)
    item = next((a for a in course.attachments if a.id == attachment_id), None)
    if item is None:
        abort(404)
    name = item.filename
    back = url_for("course_edit.workspace", slug=slug) + "#tep"
    users = [lesson for lesson in course.active_lessons if name in content.file_links(
        lesson.body_md) or lesson.audio_id == item.id]
    if not _confirmed():
        return _confirm(course, _("Xóa tệp %(f)s?", f=name), _(
            "Tệp sẽ bị xóa hẳn khỏi máy chủ, không khôi phục được."), _("Xóa tệp"), back,
            details=[_("Bài %(n)s “%(t)s” đang dẫn tới tệp này.", n=lesson.position,
                       t=lesson.title) for lesson in users])
    stored = service.detach(current_user, course, item)
    db.session.commit()
    uploads.remove(current_app.config["UPLOAD_DIR"], [stored])
    flash(_("Đã xóa tệp %(f)s.", f=name), "success")
    for lesson in users:
        flash(_("Bài %(n)s vẫn dẫn tới files/%(f)s; hãy sửa bài.", n=lesson.position,
                f=name), "warning")
    return redirect(back, 303)


# --- quiz --------------------------------------------------------------------------------


@bp.route("/<slug>/edit/quiz", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_quiz(slug: str):
    course = _editable(slug)
    form = QuizSettingsForm(obj=course.quiz)
    if request.method == "GET" and course.quiz is None:
        form.pass_mark.data, form.max_attempts.data = 70, 3
    if form.validate_on_submit():
        created = course.quiz is None
        try:
            changed = service.set_quiz_settings(
                course, form.pass_mark.data, form.max_attempts.data, form.draw_count.data,
                form.review_mode.data)
        except service.CourseError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(exc.message)
            return _quiz_page(course, form, exc.status)
        db.session.commit()
        flash(_("Đã tạo bài kiểm tra. Hãy thêm câu hỏi.") if created
              else (_("Đã lưu cài đặt bài kiểm tra.") if changed else _("Không có gì thay đổi.")),
              "success")
        return redirect(url_for("course_edit.edit_quiz", slug=slug), 303)
    return _quiz_page(course, form, form_status())


def _quiz_page(course: Course, form, status: int = 200, problem: str | None = None):
    return render_template("courses/edit/quiz_form.html", course=course, quiz=course.quiz,
                           form=form, action_form=ActionForm(), problem=problem), status


@bp.route("/<slug>/edit/quiz/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete_quiz(slug: str):
    course = _editable(slug)
    back = url_for("course_edit.edit_quiz", slug=slug)
    if course.quiz is None:
        return redirect(url_for("course_edit.workspace", slug=slug), 303)
    if not _confirmed():
        return _confirm(course, _("Xóa bài kiểm tra?"), _(
            "Bài kiểm tra và %(n)s câu hỏi sẽ bị xóa, không khôi phục được. Các bài làm trước "
            "đây của học viên vẫn được lưu nhưng không còn tính; học viên đã học xong mọi bài "
            "sẽ được ghi nhận hoàn thành khóa học.", n=len(course.quiz.questions)),
            _("Xóa bài kiểm tra"), back)
    if service.remove_quiz(course):
        progress.refresh_completions(course)
        db.session.commit()
        flash(_("Đã xóa bài kiểm tra. Các bài làm trước đây của học viên vẫn được lưu."),
              "success")
    return redirect(url_for("course_edit.workspace", slug=slug), 303)


def _question_data(form: QuestionForm) -> service.QuestionData:
    return service.QuestionData(
        text=form.text.data or "", explanation=form.explanation.data or "",
        choices=[service.ChoiceData(entry.form.text.data or "", bool(entry.form.correct.data))
                 for entry in form.choices])


def _save_question(course: Course, question, form: QuestionForm):
    if form.validate_on_submit():
        data = _question_data(form)
        problems = service.question_problems(data)
        if not problems:
            service.save_question(course, question, data)
            db.session.commit()
            flash(_("Đã lưu câu hỏi."), "success")
            return redirect(url_for("course_edit.edit_quiz", slug=course.slug), 303)
        form.choices.errors = list(form.choices.errors or []) + problems
    status = form_status()
    return render_template("courses/edit/question_form.html", course=course, question=question,
                           form=form), status


def _question_form(question=None) -> QuestionForm:
    if request.method == "POST":
        return QuestionForm()
    if question is None:
        return QuestionForm(data={"choices": question_rows([])})
    return QuestionForm(data={"text": question.text, "explanation": question.explanation,
                              "choices": question_rows(question.choices)})


@bp.route("/<slug>/edit/quiz/questions/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_question(slug: str):
    course = _editable(slug)
    if course.quiz is None:
        flash(_("Hãy tạo bài kiểm tra (điểm đạt, số lần làm) trước khi thêm câu hỏi."), "info")
        return redirect(url_for("course_edit.edit_quiz", slug=slug))
    return _save_question(course, None, _question_form())


def _question_of(course: Course, question_id: int):
    question = next((q for q in (course.quiz.questions if course.quiz else [])
                     if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


@bp.route("/<slug>/edit/quiz/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_question(slug: str, question_id: int):
    course = _editable(slug)
    question = _question_of(course, question_id)
    return _save_question(course, question, _question_form(question))


@bp.route("/<slug>/edit/quiz/questions/<int:question_id>/move", methods=["POST"])
@role_required(*STAFF)
def move_question(slug: str, question_id: int):
    course = _editable(slug)
    question = _question_of(course, question_id)
    direction = request.form.get("action")
    if not ActionForm().validate_on_submit() or direction not in ("up", "down"):
        flash(_("Thao tác không hợp lệ."), "danger")
        return redirect(url_for("course_edit.edit_quiz", slug=slug), 303)
    service.move_question(course, question, direction)
    db.session.commit()
    return redirect(url_for("course_edit.edit_quiz", slug=slug), 303)


@bp.route("/<slug>/edit/quiz/questions/<int:question_id>/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete_question(slug: str, question_id: int):
    course = _editable(slug)
    question = _question_of(course, question_id)
    back = url_for("course_edit.edit_quiz", slug=slug)
    problem = service.delete_question_problem(course)
    if problem:
        return _quiz_page(course, QuizSettingsForm(obj=course.quiz), 409, problem)
    if not _confirmed():
        return _confirm(course, _("Xóa câu hỏi %(n)s?", n=question.position), _(
            "Câu hỏi “%(t)s” và các lựa chọn của nó sẽ bị xóa, không khôi phục được.",
            t=question.text), _("Xóa câu hỏi"), back)
    service.delete_question(course, question)
    progress.refresh_completions(course)  # the last question gone: the quiz no longer counts
    db.session.commit()
    flash(_("Đã xóa câu hỏi."), "success")
    return redirect(back, 303)


@bp.route("/<slug>/edit/learners")
@role_required(*STAFF)
def learners(slug: str):
    course = _editable(slug)
    return render_template("courses/edit/learners.html", course=course,
                           rows=progress.learners(course), total=len(course.active_lessons),
                           quiz=course.quiz)
