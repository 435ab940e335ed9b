"""Class applications: the allocation preview and confirmation, overrides, withdrawals and
promotions, learners applying, nominating from a file."""


from __future__ import annotations

from collections import Counter

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.classes import (
    access,
    application_lists,
    enrolment,
    overlap,
    queries,
)
from app.classes.access import load_application, load_class
from app.classes.allocation import Policy
from app.classes.blueprint import bp
from app.classes.enrolment import NominationProblems
from app.classes.forms import (
    ConfirmForm,
    ImportNominationsForm,
    PolicyForm,
    ReasonForm,
    class_roles,
)
from app.classes.models import TrainingClass
from app.classes.overlap import Overlaps
from app.classes.pages import detail_page, mine_page, refused
from app.core import collector, page_cache
from app.core.forms import EmptyForm
from app.core.refusal import REFUSED
from app.extensions import db
from app.people.scope import scope_of
from app.timeutil import local_today, utcnow

# --------------------------------------------------------------------------- applications


def _policy_from(args, klass: TrainingClass) -> tuple[PolicyForm, Policy, list[str],
                                                    tuple | None]:
    """The preview's policy: from the query string when given, else the class's own. A
    refused field keeps its message at the field (the class's policy is previewed meanwhile);
    the list holds what belongs to no field. Last, for the class's own policy shown untouched:
    what the form's HTML depends on besides the language (the policy, exactly as written, and
    the choices of required roles)."""
    if "min_women_pct" in args:
        form = PolicyForm(formdata=args)
        if form.validate():
            try:
                return form, form.policy(), [], None
            except ValueError as exc:
                return form, klass.policy, [str(exc)], None
        return form, klass.policy, [], None
    form = PolicyForm(formdata=None, offered=class_roles(klass))  # loads its required roles
    policy = klass.policy
    form.show_policy(policy)
    return form, policy, [], (repr(policy), tuple(form.required_positions.choices))


def _applications_page(klass: TrainingClass, error: str | None = None, status: int = 200,
                       problems=None, import_form=None):
    """The page; shown as asked (no refusal to show), its body is kept while nothing it was
    made from changes (app/core/page_cache.py): the class, its applications, their cadres..."""
    def make():
        return _applications_body(klass, error, status, problems, import_form)

    if error is None and problems is None and import_form is None and status == 200:
        key = ("classes.applications", klass.id, current_app.config["PAGE_SIZE"],
               tuple(sorted(request.args.items(multi=True))))
        body, status = page_cache.body(key, make)
    else:
        body, status = make()
    return render_template("classes/applications.html", klass=klass, body=body,
                           history=queries.class_history(klass.id)), status


def _applications_body(klass: TrainingClass, error: str | None, status: int, problems,
                       import_form) -> tuple[str, int]:
    policy_form, policy, policy_errors, policy_shown = _policy_from(request.args, klass)
    apps = enrolment.class_applications(klass, ordered=False)  # each list sorts its own
    preview = None
    if klass.before_allocation and any(a.status == "applied" for a in apps):
        preview = enrolment.preview(klass, policy, apps)
    confirm = ConfirmForm(formdata=None)
    if preview is not None:
        confirm.show(preview.fingerprint, policy)
    counts = Counter(a.status for a in apps)  # applications by status
    chosen = application_lists.Chosen.from_args(request.args)
    lists = application_lists.sections(apps, preview, chosen, current_app.config["PAGE_SIZE"])
    policy_refused = bool(policy_errors or policy_form.errors)
    if policy_refused and status == 200:
        status = 400
    return render_template(
        "classes/_applications_body.html", klass=klass, lists=lists,
        words=application_lists.words(), chosen=chosen, preview=preview,
        policy_form=policy_form, policy_shown=policy_shown, policy_errors=policy_errors,
        policy_refused=policy_refused,
        confirm_form=confirm,
        counts=counts,
        # the forms a row or the fill button open, made when shown
        reason_form=ReasonForm() if chosen.override or chosen.withdraw else None,
        empty_form=EmptyForm() if klass.fills_from_waitlist and klass.free_seats else None,
        import_form=import_form or ImportNominationsForm(), error=error, problems=problems), status


@bp.route("/<int:class_id>/applications")
@role_required(*COORDINATORS)
def applications(class_id: int):
    with collector.paused():  # the page's objects all go with it
        return _applications_page(load_class(class_id, *access.PAGE_LOADS))


@bp.route("/<int:class_id>/nominate/import", methods=["POST"])
@role_required(*COORDINATORS)
def import_nominations(class_id: int):
    from app.people.cadre_file import ImportProblem

    klass = load_class(class_id)
    form = ImportNominationsForm()
    if not form.validate_on_submit():
        return _applications_page(klass, _("Vui lòng chọn tệp danh sách (.xlsx hoặc .csv)."),
                                  400, import_form=form)
    upload = form.file.data
    filename = (upload.filename or "tep-tai-len")[:200]
    try:
        created, added = enrolment.nominate_from_file(current_user, class_id, filename,
                                                      upload.read(), utcnow(), local_today(),
                                                      scope=scope_of(current_user))
        db.session.commit()
    except ImportProblem as exc:
        db.session.rollback()
        if exc.status == 409:  # the file is fine; the cadres changed while it was imported
            return _applications_page(load_class(class_id), exc.message, exc.status)
        return _applications_page(load_class(class_id), _("Tệp có lỗi; chưa đề cử ai."),
                                  exc.status, problems=[("", str(p)) for p in exc.problems])
    except NominationProblems as exc:
        db.session.rollback()
        return _applications_page(load_class(class_id), exc.message, exc.status,
                                  problems=exc.problems)
    except REFUSED as exc:
        why = refused(exc)
        return _applications_page(load_class(class_id), why.message, why.status)
    flash(_("Đã đề cử %(n)s người từ tệp %(f)s (%(a)s người mới thêm vào danh sách cán bộ).",
            n=len(created), f=filename, a=added), "success")
    # a file is nominated whole; people holding another class on these days are named after
    klass = load_class(class_id)
    named = {a.cadre_id: a.cadre.full_name for a in created}
    for cadre_id, others in overlap.clashes(klass, list(named)).items():
        flash(_("%(name)s đã có lớp khác trùng ngày: %(classes)s.", name=named[cadre_id],
                classes="; ".join(overlap.describe(c) for c in others)), "warning")
    return redirect(url_for("classes.applications", class_id=class_id))


@bp.route("/<int:class_id>/allocation", methods=["POST"])
@role_required(*COORDINATORS)
def confirm_allocation(class_id: int):
    klass = load_class(class_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _applications_page(klass, _("Hãy xem trước kết quả xét chọn rồi mới xác nhận."),
                                  400)
    try:
        policy = form.previewed_policy()
    except ValueError:
        return _applications_page(klass, _("Chính sách xét chọn không hợp lệ."), 400)
    try:
        result = enrolment.confirm_allocation(current_user, class_id, policy,
                                              form.fingerprint.data, utcnow())
        db.session.commit()
    except REFUSED as exc:
        why = refused(exc)
        return _applications_page(load_class(class_id), why.message, why.status)
    flash(_("Đã xác nhận xét chọn: %(a)s người được triệu tập, %(w)s người trong danh sách "
            "chờ.", a=len(result.admitted), w=len(result.waitlist)), "success")
    return redirect(url_for("classes.applications", class_id=class_id))


@bp.route("/<int:class_id>/fill", methods=["POST"])
@role_required(*COORDINATORS)
def fill(class_id: int):
    load_class(class_id)
    try:
        promoted = enrolment.fill(current_user, class_id, utcnow())
        db.session.commit()
    except REFUSED as exc:
        why = refused(exc)
        return _applications_page(load_class(class_id), why.message, why.status)
    flash(_("Đã gọi bổ sung %(n)s người từ danh sách chờ.", n=len(promoted)), "success")
    return redirect(url_for("classes.applications", class_id=class_id))


@bp.route("/<int:class_id>/applications/<int:application_id>/override", methods=["POST"])
@role_required(*COORDINATORS)
def override(class_id: int, application_id: int):
    load_application(load_class(class_id), application_id)
    form = ReasonForm()
    form.validate_on_submit()
    try:
        application = enrolment.override(current_user, application_id,
                                         form.action.data or "", form.reason.data, utcnow())
        db.session.commit()
    except REFUSED as exc:
        why = refused(exc)
        return _applications_page(load_class(class_id), why.message, why.status)
    flash(_("Đã điều chỉnh: %(name)s — %(s)s.", name=application.cadre.full_name,
            s=_(application.status_label).lower()), "success")
    return redirect(url_for("classes.applications", class_id=class_id))


@bp.route("/<int:class_id>/applications/<int:application_id>/withdraw", methods=["POST"])
@role_required(*COORDINATORS, "learner")
def withdraw(class_id: int, application_id: int):
    application = load_application(load_class(class_id), application_id)
    if not access.may_withdraw(current_user, application):
        abort(403)
    coordinator = current_user.is_coordinator
    form = ReasonForm()
    form.validate_on_submit()
    confirmed = request.form.get("confirmed") == "1"
    if not confirmed and (coordinator or application.status == "admitted"):
        # asked first, saying who gets the seat: a learner giving up theirs, and a coordinator
        # withdrawing anyone (with the reason, kept on the page)
        if problem := enrolment.withdrawal_problem(form.reason.data, coordinator):
            form.reason.errors = [problem.message]
            return _withdraw_confirm(application, form, coordinator, problem.status)
        return _withdraw_confirm(application, form, coordinator)
    try:
        application, promoted = enrolment.withdraw(current_user, application_id,
                                                   form.reason.data, utcnow(),
                                                   by_coordinator=coordinator)
        db.session.commit()
    except REFUSED as exc:
        why = refused(exc)
        if why.field == "reason":
            form.reason.errors = [why.message]
            return _withdraw_confirm(load_application(load_class(class_id), application_id),
                                     form, coordinator, why.status)
        page = _applications_page if coordinator else detail_page
        return page(load_class(class_id), why.message, why.status)
    flash(_("Đã rút tên %(name)s khỏi lớp.", name=application.cadre.full_name), "success")
    for p in promoted:
        flash(_("%(name)s được gọi bổ sung từ danh sách chờ.", name=p.cadre.full_name), "info")
    if coordinator:
        return redirect(url_for("classes.applications", class_id=class_id))
    return redirect(url_for("classes.detail", class_id=class_id))


def _withdraw_confirm(application, form, coordinator: bool, status: int = 200):
    klass = application.training_class
    waiting = queries.waitlist_size(klass.id) if klass.fills_from_waitlist else 0
    return render_template("classes/withdraw_confirm.html", klass=klass, form=form,
                           application=application, waiting=waiting,
                           coordinator=coordinator), status


@bp.route("/<int:class_id>/apply", methods=["POST"])
@role_required("learner")
def apply(class_id: int):
    klass = load_class(class_id)
    try:
        application = enrolment.apply(current_user, class_id, access.cadre_of(current_user),
                                      utcnow(), local_today(),
                                      warn_overlap=request.form.get("overlap_ok") != "1")
        # read before the commit expires them (the message needs no second read of either)
        status, rank, code = application.status, application.waitlist_rank, klass.code
        db.session.commit()
    except REFUSED as exc:
        why = refused(exc)
        klass = load_class(class_id)
        if access.relation(current_user, klass, local_today()):
            # an overlap is shown by the page itself, with "Vẫn đăng ký"
            return detail_page(klass, None if isinstance(exc, Overlaps) else why.message,
                               why.status)
        return mine_page(why.message, why.status)  # a class the learner cannot open
    if status == "admitted":  # after the allocation, straight into a free seat
        flash(_("Đã đăng ký lớp %(code)s: lớp còn chỗ trống nên bạn được triệu tập.",
                code=code), "success")
    elif status == "waitlisted":
        flash(_("Đã đăng ký lớp %(code)s. Lớp đã xét chọn xong nên bạn vào danh sách chờ, "
                "đứng thứ %(n)s; bạn được gọi khi có chỗ trống.", code=code,
                n=rank), "success")
    else:
        flash(_("Đã đăng ký lớp %(code)s. Kết quả xét chọn sẽ hiện ở trang này.",
                code=code), "success")
    return redirect(url_for("classes.detail", class_id=class_id))
