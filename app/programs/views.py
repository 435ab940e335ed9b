"""The lists a class is recorded under: programs and their components, activity types and
funding sources (the admin maintains them), plans (coordinators add and edit them, as they
write them). Coordinators see every list.

Thin views: parse, load, call `service`, commit once, render or redirect. Every entry page
works the same way (`_entry_page`); retiring and deleting are POSTs of their own.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.core.forms import form_status
from app.core.refusal import REFUSED, refusal
from app.extensions import db
from app.programs import queries, service
from app.programs.forms import (
    ActiveForm,
    ComponentForm,
    DeleteForm,
    ListEntryForm,
    PlanForm,
    ProgramForm,
)
from app.programs.models import ActivityType, Component, FundingSource, Plan, Program

bp = Blueprint("programs", __name__)

# Headings of the entry pages: (add, edit).
HEADINGS = {
    Program: (_l("Thêm chương trình"), _l("Sửa chương trình")),
    Component: (_l("Thêm hợp phần"), _l("Sửa hợp phần")),
    ActivityType: (_l("Thêm loại hoạt động"), _l("Sửa loại hoạt động")),
    FundingSource: (_l("Thêm nguồn kinh phí"), _l("Sửa nguồn kinh phí")),
    Plan: (_l("Thêm kế hoạch"), _l("Sửa kế hoạch")),
}
# Anchors of the lists page, where a saved entry's list is.
ANCHORS = {Program: "programs", Component: "programs", ActivityType: "activity-types",
           FundingSource: "funding-sources", Plan: "plans"}
HELP = {
    "legal_basis": _l("Ví dụ: Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ."),
    "valid_to": _l("Để trống nếu chưa biết ngày kết thúc."),
    "number": _l("Ví dụ: 48/KH-UBND."),
    "issuer": _l("Ví dụ: UBND huyện Sơn Hà."),
}
# A component's and a plan's period may be left to its program's.
PART_HELP = {"valid_from": _l("Để trống: như thời gian hiệu lực của chương trình."),
             "valid_to": _l("Để trống: như thời gian hiệu lực của chương trình.")}


def _back(model) -> str:
    return url_for("programs.index") + "#" + ANCHORS[model]


# The edit page of each model: (endpoint, URL argument).
EDIT_PAGES = {Program: ("programs.program_edit", "program_id"),
              Component: ("programs.component_edit", "component_id"),
              ActivityType: ("programs.activity_type_edit", "activity_type_id"),
              FundingSource: ("programs.funding_source_edit", "funding_source_id"),
              Plan: ("programs.plan_edit", "plan_id")}


def _url(entry, what: str = "edit") -> str:
    endpoint, arg = EDIT_PAGES[type(entry)]
    if what != "edit":
        endpoint = endpoint.removesuffix("_edit") + "_" + what
    return url_for(endpoint, **{arg: entry.id})


def _form(model, entry):
    """The entry's form, its choices set."""
    if model is Program:
        return ProgramForm(obj=entry)
    if model is Component:
        return ComponentForm(obj=entry)
    if model is Plan:
        form = PlanForm(obj=entry)
        programs = db.session.scalars(select(Program).order_by(Program.valid_from.desc())).all()
        form.program_id.choices = [("", _("— không —"))] + [
            (p.id, p.choice_label) for p in programs
            if p.active or (entry is not None and entry.program_id == p.id)]
        return form
    return ListEntryForm(obj=entry)


@bp.route("/")
@role_required(*COORDINATORS)
def index():
    return render_template("programs/index.html", lists=queries.lists(),
                           active_form=ActiveForm())


def _page(model, entry, form, action: str, parent=None, error: str | None = None,
          status: int | None = None):
    return render_template(
        "programs/form.html", form=form, heading=HEADINGS[model][entry is not None],
        entry=entry, parent=parent, action=action, error=error,
        help={**HELP, **(PART_HELP if model is Component else {})},
        delete_url=_url(entry, "delete") if entry is not None else None,
        delete_form=DeleteForm(), back=_back(model)), status or form_status()


def _entry_page(model, entry, action: str, parent=None, **extra):
    """The entry form; on a valid POST save it, commit once and go back to its list."""
    form = _form(model, entry)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in form.FIELDS}
        values.update(extra)
        try:
            saved = service.save_entry(current_user, entry or model(), values)
            db.session.commit()
        except service.ProgramInputError as exc:
            refusal(exc)
            for name, messages in exc.errors.items():
                target = getattr(form, name, None)
                if target is not None and hasattr(target, "errors"):
                    target.errors = list(target.errors) + messages
                else:
                    return _page(model, entry, form, action, parent, "; ".join(messages),
                                 exc.status)
        except REFUSED as exc:
            why = refusal(exc)
            return _page(model, entry, form, action, parent, why.message, why.status)
        else:
            flash(_("Đã lưu %(name)s.", name=saved.label), "success")
            return redirect(_back(model))
    return _page(model, entry, form, action, parent)


def _load(model, entry_id: int):
    return db.get_or_404(model, entry_id)


# --------------------------------------------------------------------------- programs


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def program_new():
    return _entry_page(Program, None, url_for("programs.program_new"))


@bp.route("/<int:program_id>", methods=["GET", "POST"])
@role_required("admin")
def program_edit(program_id: int):
    program = _load(Program, program_id)
    return _entry_page(Program, program, _url(program))


@bp.route("/<int:program_id>/components/new", methods=["GET", "POST"])
@role_required("admin")
def component_new(program_id: int):
    program = _load(Program, program_id)
    return _entry_page(Component, None, url_for("programs.component_new", program_id=program_id),
                       parent=program, program_id=program.id)


@bp.route("/components/<int:component_id>", methods=["GET", "POST"])
@role_required("admin")
def component_edit(component_id: int):
    component = _load(Component, component_id)
    return _entry_page(Component, component, _url(component), parent=component.program)


# --------------------------------------------------------------------------- activity types


@bp.route("/activity-types/new", methods=["GET", "POST"])
@role_required("admin")
def activity_type_new():
    return _entry_page(ActivityType, None, url_for("programs.activity_type_new"))


@bp.route("/activity-types/<int:activity_type_id>", methods=["GET", "POST"])
@role_required("admin")
def activity_type_edit(activity_type_id: int):
    entry = _load(ActivityType, activity_type_id)
    return _entry_page(ActivityType, entry, _url(entry))


# --------------------------------------------------------------------------- funding sources


@bp.route("/funding-sources/new", methods=["GET", "POST"])
@role_required("admin")
def funding_source_new():
    return _entry_page(FundingSource, None, url_for("programs.funding_source_new"))


@bp.route("/funding-sources/<int:funding_source_id>", methods=["GET", "POST"])
@role_required("admin")
def funding_source_edit(funding_source_id: int):
    entry = _load(FundingSource, funding_source_id)
    return _entry_page(FundingSource, entry, _url(entry))


# --------------------------------------------------------------------------- plans


@bp.route("/plans/new", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def plan_new():
    return _entry_page(Plan, None, url_for("programs.plan_new"))


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def plan_edit(plan_id: int):
    plan = _load(Plan, plan_id)
    return _entry_page(Plan, plan, _url(plan))


# --------------------------------------------------------------------------- retire, delete


def _set_active(model, entry_id: int):
    entry = _load(model, entry_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = form.active.data == "1"
    service.set_active(current_user, entry, wanted)
    db.session.commit()
    flash(_("Đã dùng lại %(name)s.", name=entry.label) if wanted
          else _("Đã ngừng sử dụng %(name)s: không còn được chọn cho lớp mới, các lớp đã chọn "
                 "vẫn giữ.", name=entry.label), "success")
    return redirect(_back(model))


def _delete(model, entry_id: int):
    """Delete an entry nothing uses, confirmed on its page; a refusal is shown there."""
    entry = _load(model, entry_id)
    parent = getattr(entry, "program", None) if model is Component else None
    if not DeleteForm().validate_on_submit():
        return _page(model, entry, _form(model, entry), _url(entry), parent,
                     _("Hãy xác nhận việc xóa trên trang của mục này."), 400)
    label = entry.label
    try:
        service.delete_entry(current_user, entry)
        db.session.commit()
    except REFUSED as exc:
        why = refusal(exc)
        entry = _load(model, entry_id)
        return _page(model, entry, _form(model, entry), _url(entry), parent, why.message,
                     why.status)
    flash(_("Đã xóa %(name)s.", name=label), "success")
    return redirect(_back(model))


@bp.route("/<int:program_id>/active", methods=["POST"])
@role_required("admin")
def program_active(program_id: int):
    return _set_active(Program, program_id)


@bp.route("/components/<int:component_id>/active", methods=["POST"])
@role_required("admin")
def component_active(component_id: int):
    return _set_active(Component, component_id)


@bp.route("/activity-types/<int:activity_type_id>/active", methods=["POST"])
@role_required("admin")
def activity_type_active(activity_type_id: int):
    return _set_active(ActivityType, activity_type_id)


@bp.route("/funding-sources/<int:funding_source_id>/active", methods=["POST"])
@role_required("admin")
def funding_source_active(funding_source_id: int):
    return _set_active(FundingSource, funding_source_id)


@bp.route("/plans/<int:plan_id>/active", methods=["POST"])
@role_required(*COORDINATORS)
def plan_active(plan_id: int):
    return _set_active(Plan, plan_id)


@bp.route("/<int:program_id>/delete", methods=["POST"])
@role_required("admin")
def program_delete(program_id: int):
    return _delete(Program, program_id)


@bp.route("/components/<int:component_id>/delete", methods=["POST"])
@role_required("admin")
def component_delete(component_id: int):
    return _delete(Component, component_id)


@bp.route("/activity-types/<int:activity_type_id>/delete", methods=["POST"])
@role_required("admin")
def activity_type_delete(activity_type_id: int):
    return _delete(ActivityType, activity_type_id)


@bp.route("/funding-sources/<int:funding_source_id>/delete", methods=["POST"])
@role_required("admin")
def funding_source_delete(funding_source_id: int):
    return _delete(FundingSource, funding_source_id)


@bp.route("/plans/<int:plan_id>/delete", methods=["POST"])
@role_required(*COORDINATORS)
def plan_delete(plan_id: int):
    return _delete(Plan, plan_id)
