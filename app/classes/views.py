"""Class pages: list, class page per role, coordinator forms (create, edit, copy, status,
sessions). The other class views are listed in blueprint.py.

Thin views: parse, authorise (role at the route, object checks in access.py), call the domain
(service, enrolment), commit once, render or redirect.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS, EVERYONE
from app.auth.service import active_trainers
from app.classes import access, enrolment, list_rows, program_fields, queries, service
from app.classes import status as st
from app.classes.access import load_class
from app.classes.blueprint import bp
from app.classes.forms import ClassForm, SessionForm, StatusForm
from app.classes.models import ClassSession, TrainingClass
from app.classes.pages import detail_page, mine_page, refused
from app.core.forms import EmptyForm, form_status
from app.core.paging import Pager, page_number
from app.core.refusal import REFUSED
from app.courses.models import Course
from app.extensions import db
from app.people.scope import scope_of
from app.timeutil import local_today, utcnow

# --------------------------------------------------------------------------- form helpers


def _form_choices(form: ClassForm, klass: TrainingClass | None = None) -> None:
    courses = db.session.scalars(select(Course).where(Course.status != "archived")
                                 .order_by(Course.title)).all()
    form.course_id.choices = [("", _("— không gắn khóa học —"))] + [
        (c.id, f"{c.code} – {c.title}") for c in courses]
    form.trainer_ids.choices = [(u.id, u.full_name) for u in active_trainers()]
    keep = list(klass.invited_units) if klass is not None else []
    form.unit_ids.choices = [
        (u.id, f"{u.title_cap} ({u.validity_text})" if u.valid_to else u.title_cap)
        for u in service.invitable_units(keep=keep)]
    program_fields.set_choices(form)  # the program it belongs to (app/programs)


def _data(form: ClassForm) -> service.ClassData:
    return service.ClassData(**program_fields.chosen(form),  # the program (app/programs)
        code=form.code.data or "", title=form.title.data or "", place=form.place.data or "",
        start_date=form.start_date.data, end_date=form.end_date.data,
        capacity=form.capacity.data, course_id=form.course_id.data,
        apply_from=form.apply_from.data, apply_until=form.apply_until.data,
        description=form.description.data or "",
        min_attendance_pct=form.min_attendance_pct.data, quiz_required=form.quiz_required.data,
        daily_rate=form.daily_rate.data, trainer_ids=list(form.trainer_ids.data or []),
        unit_ids=list(form.unit_ids.data or []), **form.policy().as_dict(),
        convene_kind=form.convene_kind.data, convene_number=form.convene_number.data,
        convene_date=form.convene_date.data)


def _fill_form(form: ClassForm, klass: TrainingClass) -> None:
    for name in ("code", "title", "place", "start_date", "end_date", "capacity", "course_id",
                 "apply_from", "apply_until", "description", "min_attendance_pct",
                 "quiz_required", "daily_rate", "convene_kind", "convene_number",
                 "convene_date"):
        getattr(form, name).data = getattr(klass, name)
    form.trainer_ids.data = [u.id for u in klass.trainers]
    form.unit_ids.data = [u.id for u in klass.invited_units]
    form.show_policy(klass.policy)
    for name, value in program_fields.chosen(klass).items():  # the program it belongs to
        getattr(form, name).data = value
    program_fields.set_choices(form)  # valid on the class's dates


def _show_errors(form: ClassForm, exc: service.ClassInputError) -> None:
    for name, messages in exc.errors.items():
        target = getattr(form, "min_women_pct" if name == "min_women_share" else name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + messages
        else:
            for message in messages:
                flash(message, "danger")


# --------------------------------------------------------------------------- lists and pages


@bp.route("/")
@role_required(*EVERYONE)
def index():
    if not current_user.is_coordinator:
        return mine_page()
    status = request.args.get("status") if request.args.get("status") in st.STATUSES else None
    q = (request.args.get("q") or "").strip()[:100]
    size = current_app.config["PAGE_SIZE"]
    page = page_number(request.args)
    scope = scope_of(current_user)
    classes, total = queries.class_page(
        status=status, q=q, page=page, size=size,
        condition=None if scope.whole else access.scope_condition(scope))
    counts = queries.application_counts([c.id for c in classes])
    args = {k: v for k, v in {"status": status, "q": q}.items() if v}
    return render_template("classes/index.html", classes=list_rows.lines(classes, counts),
                           status=status, q=q, statuses=st.STATUS_LABELS,
                           **Pager(page, size, total, args).context())


@bp.route("/<int:class_id>")
@role_required(*EVERYONE)
def detail(class_id: int):
    # The class and what its page shows, read first: load_class (the access checks) then finds
    # it in the session (which keeps it while `read` holds it).
    read = queries.read_for_page(class_id)
    return detail_page(load_class(class_id), active=read.active if read else None)


def _form_page(form: ClassForm, klass=None, source=None, error: str | None = None,
               status: int | None = None):
    return render_template("classes/form.html", form=form, klass=klass, source=source,
                           error=error), status or form_status()


@bp.route("/new", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def create():
    form = ClassForm()
    _form_choices(form)
    if request.method == "GET":
        form.unit_ids.data = [c for c, _label in form.unit_ids.choices]
        # the meal rate of the settings in force today (attendance registers the rule)
        form.daily_rate.data = enrolment.default_daily_rate(local_today())
    if not form.validate_on_submit():
        return _form_page(form)
    try:
        klass = service.create_class(current_user, _data(form),
                                     with_sessions=form.make_sessions.data)
        db.session.commit()
    except service.ClassInputError as exc:
        _show_errors(form, refused(exc))
        return _form_page(form)
    except REFUSED as exc:
        why = refused(exc)
        return _form_page(form, error=why.message, status=why.status)
    flash(_("Đã tạo lớp %(code)s.", code=klass.code), "success")
    return redirect(url_for("classes.detail", class_id=klass.id))


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def edit(class_id: int):
    klass = load_class(class_id)
    form = ClassForm()
    _form_choices(form, klass)
    if request.method == "GET":
        _fill_form(form, klass)
    if not form.validate_on_submit():
        return _form_page(form, klass)
    try:
        changed, promoted = enrolment.update_class(current_user, class_id, _data(form),
                                                   utcnow())
        db.session.commit()
    except service.ClassInputError as exc:
        _show_errors(form, refused(exc))
        return _form_page(form, load_class(class_id), status=exc.status)
    except REFUSED as exc:
        why = refused(exc)
        return _form_page(form, load_class(class_id), error=why.message, status=why.status)
    flash(_("Đã lưu thay đổi.") if changed else _("Không có gì thay đổi."), "success")
    for p in promoted:
        flash(_("%(name)s được gọi bổ sung từ danh sách chờ.", name=p.cadre.full_name), "info")
    return redirect(url_for("classes.detail", class_id=class_id))


@bp.route("/<int:class_id>/copy", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def copy(class_id: int):
    source = load_class(class_id)
    form = ClassForm()
    _form_choices(form, source)
    if request.method == "GET":
        _fill_form(form, source)
        form.code.data = service.suggest_copy_code(source.code)
        form.convene_number.data = form.convene_date.data = None  # a new class, a new paper
    if not form.validate_on_submit():
        return _form_page(form, source=source)
    try:
        klass = service.copy_class(current_user, source, _data(form))
        db.session.commit()
    except service.ClassInputError as exc:
        _show_errors(form, refused(exc))
        return _form_page(form, source=load_class(class_id))
    except REFUSED as exc:
        why = refused(exc)
        return _form_page(form, source=load_class(class_id), error=why.message,
                          status=why.status)
    flash(_("Đã sao chép thành lớp %(code)s.", code=klass.code), "success")
    return redirect(url_for("classes.detail", class_id=klass.id))


@bp.route("/<int:class_id>/status", methods=["POST"])
@role_required(*COORDINATORS)
def change_status(class_id: int):
    klass = load_class(class_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return detail_page(klass, _("Chưa chọn trạng thái mới."), 400)
    try:
        klass = enrolment.lock_class(class_id)
        service.change_status(current_user, klass, form.target.data, form.reason.data)
        db.session.commit()
    except REFUSED as exc:
        why = refused(exc)
        return detail_page(load_class(class_id), why.message, why.status)
    flash(_("Lớp đã chuyển sang “%(s)s”.", s=_(klass.status_label)), "success")
    return redirect(url_for("classes.detail", class_id=class_id))


# --------------------------------------------------------------------------- sessions


def _sessions_page(klass, form: SessionForm, status: int | None = None):
    return render_template("classes/sessions.html", klass=klass, form=form,
                           delete_form=EmptyForm()), status or form_status()


@bp.route("/<int:class_id>/sessions", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def sessions(class_id: int):
    klass = load_class(class_id)
    form = SessionForm()
    if request.method == "GET":
        form.date.data = klass.start_date
    if not form.validate_on_submit():
        return _sessions_page(klass, form)
    try:
        service.add_session(current_user, klass, form.date.data, form.part.data,
                            form.starts_at.data, form.ends_at.data, form.place.data)
        db.session.commit()
    except service.ClassInputError as exc:
        _show_errors(form, refused(exc))
        return _sessions_page(load_class(class_id), form, exc.status)
    flash(_("Đã thêm buổi học."), "success")
    return redirect(url_for("classes.sessions", class_id=class_id))


@bp.route("/<int:class_id>/sessions/<int:session_id>/delete", methods=["POST"])
@role_required(*COORDINATORS)
def delete_session(class_id: int, session_id: int):
    klass = load_class(class_id)
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != klass.id:
        abort(404)
    try:
        service.delete_session(current_user, klass, session)
        db.session.commit()
    except REFUSED as exc:
        flash(refused(exc).message, "danger")
        return redirect(url_for("classes.sessions", class_id=class_id)), 303
    flash(_("Đã xóa buổi học."), "success")
    return redirect(url_for("classes.sessions", class_id=class_id))
