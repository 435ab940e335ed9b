"""Class pages: list, class page per role, coordinator forms (create, edit, copy, status,
sessions). Applications and allocation are in application_views.py, on the same blueprint.

Thin views: parse, authorise (role at the route, object checks here), call the domain
(service, enrolment), commit once, render or redirect.
"""

from __future__ import annotations

from decimal import Decimal

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
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS, EVERYONE
from app.auth.service import active_trainers
from app.classes import enrolment, queries, service
from app.classes import status as st
from app.classes.enrolment import EnrolmentError
from app.classes.forms import (
    ClassForm,
    EmptyForm,
    ReasonForm,
    SessionForm,
    StatusForm,
)
from app.classes.models import Application, ClassSession, TrainingClass
from app.core.forms import form_status
from app.core.paging import Pager, page_number
from app.courses.models import Course
from app.extensions import db
from app.timeutil import local_today, utcnow

bp = Blueprint("classes", __name__)


# --------------------------------------------------------------------------- helpers


def _is_coordinator() -> bool:
    return current_user.is_coordinator


def _cadre():
    return getattr(current_user, "cadre", None)


def _own_application(klass: TrainingClass) -> Application | None:
    cadre = _cadre()
    if cadre is None:
        return None
    return db.session.scalar(select(Application).where(
        Application.class_id == klass.id, Application.cadre_id == cadre.id))


def _learner_may_apply(klass: TrainingClass) -> bool:
    """An eligible learner may see (and apply for) a class that takes self-applications."""
    cadre = _cadre()
    return (cadre is not None and klass.takes_applications(local_today())
            and enrolment.eligibility_problem(klass, cadre) is None)


def _access(klass: TrainingClass) -> str:
    """The viewer's relation to the class: coordinator, trainer, learner; 403 otherwise."""
    if _is_coordinator():
        return "coordinator"
    if current_user.has_role("trainer") and klass.has_trainer(current_user):
        return "trainer"
    if current_user.has_role("learner") and (
            _own_application(klass) is not None or _learner_may_apply(klass)):
        return "learner"
    abort(403)


def _class(class_id: int) -> TrainingClass:
    return db.get_or_404(TrainingClass, class_id)


def _fail(exc: Exception) -> tuple[str, int]:
    db.session.rollback()
    if isinstance(exc, EnrolmentError):
        return exc.message, exc.status
    if isinstance(exc, st.StatusError):
        return str(exc), 409
    if isinstance(exc, service.ClassInputError):
        return str(exc), exc.status
    if isinstance(exc, IntegrityError | OperationalError):
        return _("Có người khác vừa thay đổi lớp này cùng lúc; chưa lưu gì. Vui lòng thử "
                 "lại."), 409
    raise exc


def _form_choices(form: ClassForm) -> None:
    courses = db.session.scalars(select(Course).where(Course.status != "archived")
                                 .order_by(Course.title)).all()
    form.course_id.choices = [("", _("— không gắn khóa học —"))] + [
        (c.id, f"{c.code} – {c.title}") for c in courses]
    form.trainer_ids.choices = [(u.id, u.full_name) for u in active_trainers()]
    form.unit_ids.choices = [(u.id, u.title_cap) for u in service.invitable_units()]


def _data(form: ClassForm) -> service.ClassData:
    def number(value, default):
        return float(value) if value is not None else default

    return service.ClassData(
        code=form.code.data or "", title=form.title.data or "", place=form.place.data or "",
        start_date=form.start_date.data, end_date=form.end_date.data,
        capacity=form.capacity.data, course_id=form.course_id.data,
        apply_from=form.apply_from.data, apply_until=form.apply_until.data,
        description=form.description.data or "",
        min_attendance_pct=form.min_attendance_pct.data, quiz_required=form.quiz_required.data,
        daily_rate=form.daily_rate.data, trainer_ids=list(form.trainer_ids.data or []),
        unit_ids=list(form.unit_ids.data or []),
        min_women_share=(form.min_women_pct.data or 0) / 100,
        max_per_unit=form.max_per_unit.data,
        weight_woman=number(form.weight_woman.data, 3.0),
        weight_village_leader=number(form.weight_village_leader.data, 2.0),
        weight_not_trained=number(form.weight_not_trained.data, 1.0))


def _fill_form(form: ClassForm, klass: TrainingClass) -> None:
    for name in ("code", "title", "place", "start_date", "end_date", "capacity", "course_id",
                 "apply_from", "apply_until", "description", "min_attendance_pct",
                 "quiz_required", "daily_rate", "max_per_unit"):
        getattr(form, name).data = getattr(klass, name)
    form.trainer_ids.data = [u.id for u in klass.trainers]
    form.unit_ids.data = [u.id for u in klass.invited_units]
    form.min_women_pct.data = klass.policy_percent()
    for name in ("weight_woman", "weight_village_leader", "weight_not_trained"):
        getattr(form, name).data = Decimal(str(getattr(klass, name)))


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
    status = request.args.get("status") if request.args.get("status") in st.STATUSES else None
    q = (request.args.get("q") or "").strip()[:100]
    if _is_coordinator():
        size = current_app.config["PAGE_SIZE"]
        page = page_number(request.args)
        classes, total = queries.class_page(status=status, q=q, page=page, size=size)
        counts = queries.application_counts([c.id for c in classes])
        args = {k: v for k, v in {"status": status, "q": q}.items() if v}
        return render_template("classes/index.html", classes=classes, counts=counts,
                               status=status, q=q, statuses=st.STATUS_LABELS,
                               **Pager(page, size, total, args).context())
    return _mine_page()


def _mine_page(error: str | None = None, status: int = 200):
    """Trainers' and learners' list: classes taught; own applications and open classes."""
    trained = queries.class_list(trainer_id=current_user.id) \
        if current_user.has_role("trainer") else []
    mine, open_classes = [], []
    cadre = _cadre()
    if current_user.has_role("learner") and cadre is not None:
        mine = queries.my_applications(cadre.id)
        applied = {a.class_id for a in mine}
        roots = enrolment.unit_roots()
        today = local_today()
        open_classes = [c for c in queries.class_list(
                            condition=TrainingClass.status.in_(st.TAKES_APPLICATIONS))
                        if c.id not in applied and c.takes_applications(today)
                        and enrolment.eligibility_problem(c, cadre, roots) is None]
    return render_template("classes/mine.html", trained=trained, mine=mine,
                           open_classes=open_classes, cadre=cadre, apply_form=EmptyForm(),
                           today=local_today(), error=error), status


@bp.route("/<int:class_id>")
@role_required(*EVERYONE)
def detail(class_id: int):
    klass = _class(class_id)
    return _detail_page(klass)


def _detail_page(klass: TrainingClass, error: str | None = None, status: int = 200):
    role = _access(klass)
    own = _own_application(klass) if role == "learner" else None
    admitted = enrolment.admitted_cadres(klass) if role != "learner" else []
    counts = queries.application_counts([klass.id])[klass.id]
    history = queries.class_history(klass.id) if role != "learner" else []
    return render_template(
        "classes/detail.html", klass=klass, role=role, own=own, admitted=admitted,
        counts=counts, history=history, next_steps=st.next_steps(klass.status),
        status_labels=st.STATUS_LABELS, status_form=StatusForm(), reason_form=ReasonForm(),
        apply_form=EmptyForm(),
        may_apply=role == "learner" and klass.takes_applications(local_today())
        and (own is None or own.status == "withdrawn"),
        error=error), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def create():
    form = ClassForm()
    _form_choices(form)
    if request.method == "GET":
        form.unit_ids.data = [c for c, _label in form.unit_ids.choices]
    if form.validate_on_submit():
        try:
            klass = service.create_class(current_user, _data(form),
                                         with_sessions=form.make_sessions.data)
            db.session.commit()
            flash(_("Đã tạo lớp %(code)s.", code=klass.code), "success")
            return redirect(url_for("classes.detail", class_id=klass.id))
        except service.ClassInputError as exc:
            db.session.rollback()
            _show_errors(form, exc)
        except (IntegrityError, OperationalError) as exc:
            error, code = _fail(exc)
            return render_template("classes/form.html", form=form, klass=None, source=None,
                                   error=error), code
    status = form_status()
    return render_template("classes/form.html", form=form, klass=None, source=None), status


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def edit(class_id: int):
    klass = _class(class_id)
    form = ClassForm()
    _form_choices(form)
    status = form_status()
    if request.method == "GET":
        _fill_form(form, klass)
    if form.validate_on_submit():
        try:
            changed, promoted = enrolment.update_class(current_user, class_id, _data(form),
                                                       utcnow())
            db.session.commit()
        except service.ClassInputError as exc:
            db.session.rollback()
            klass = _class(class_id)
            _show_errors(form, exc)
            status = exc.status
        except (EnrolmentError, IntegrityError, OperationalError) as exc:
            error, code = _fail(exc)
            return render_template("classes/form.html", form=form, klass=_class(class_id),
                                   source=None, error=error), code
        else:
            flash(_("Đã lưu thay đổi.") if changed else _("Không có gì thay đổi."), "success")
            for p in promoted:
                flash(_("%(name)s được gọi bổ sung từ danh sách chờ.", name=p.cadre.full_name),
                      "info")
            return redirect(url_for("classes.detail", class_id=class_id))
    return render_template("classes/form.html", form=form, klass=klass, source=None), status


@bp.route("/<int:class_id>/copy", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def copy(class_id: int):
    source = _class(class_id)
    form = ClassForm()
    _form_choices(form)
    if request.method == "GET":
        _fill_form(form, source)
        form.code.data = service.suggest_copy_code(source.code)
    if form.validate_on_submit():
        try:
            klass = service.copy_class(current_user, source, _data(form))
            db.session.commit()
            flash(_("Đã sao chép thành lớp %(code)s.", code=klass.code), "success")
            return redirect(url_for("classes.detail", class_id=klass.id))
        except service.ClassInputError as exc:
            db.session.rollback()
            source = _class(class_id)
            _show_errors(form, exc)
        except (IntegrityError, OperationalError) as exc:
            error, code = _fail(exc)
            return render_template("classes/form.html", form=form, klass=None,
                                   source=_class(class_id), error=error), code
    status = form_status()
    return render_template("classes/form.html", form=form, klass=None, source=source), status


@bp.route("/<int:class_id>/status", methods=["POST"])
@role_required(*COORDINATORS)
def change_status(class_id: int):
    klass = _class(class_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail_page(klass, _("Chưa chọn trạng thái mới."), 400)
    try:
        klass = enrolment.lock_class(class_id)
        service.change_status(current_user, klass, form.target.data, form.reason.data)
        db.session.commit()
    except (st.StatusError, service.ClassInputError, EnrolmentError, IntegrityError,
            OperationalError) as exc:
        message, code = _fail(exc)
        return _detail_page(_class(class_id), message, code)
    flash(_("Lớp đã chuyển sang “%(s)s”.", s=_(klass.status_label)), "success")
    return redirect(url_for("classes.detail", class_id=class_id))


# --------------------------------------------------------------------------- sessions


@bp.route("/<int:class_id>/sessions", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def sessions(class_id: int):
    klass = _class(class_id)
    form = SessionForm()
    status = form_status()
    if request.method == "GET":
        form.date.data = klass.start_date
    if form.validate_on_submit():
        try:
            service.add_session(current_user, klass, form.date.data, form.part.data,
                                form.starts_at.data, form.ends_at.data, form.place.data)
            db.session.commit()
            flash(_("Đã thêm buổi học."), "success")
            return redirect(url_for("classes.sessions", class_id=class_id))
        except service.ClassInputError as exc:
            db.session.rollback()
            klass = _class(class_id)
            status = exc.status
            for name, messages in exc.errors.items():
                target = getattr(form, name, None)
                if target is not None and name:
                    target.errors = list(target.errors) + messages
                else:
                    for message in messages:
                        flash(message, "danger")
    return render_template("classes/sessions.html", klass=klass, form=form,
                           delete_form=EmptyForm()), status


@bp.route("/<int:class_id>/sessions/<int:session_id>/delete", methods=["POST"])
@role_required(*COORDINATORS)
def delete_session(class_id: int, session_id: int):
    klass = _class(class_id)
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != klass.id:
        abort(404)
    try:
        service.delete_session(current_user, klass, session)
        db.session.commit()
    except service.ClassInputError as exc:
        message, code = _fail(exc)
        flash(message, "danger")
        return redirect(url_for("classes.sessions", class_id=class_id)), 303
    flash(_("Đã xóa buổi học."), "success")
    return redirect(url_for("classes.sessions", class_id=class_id))
