"""The costs page of a class (/classes/<id>/costs) and its results report (report.pdf), for
the coordinators of its scope. Thin views: load and authorise, parse the form, call the domain
(`lines.py`, `class_report.py`), commit once; bad input is refused at its field (400) with
nothing saved."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.classes.access import load_class
from app.classes.models import TrainingClass
from app.classes.pages import detail_page
from app.core.refusal import Refusal
from app.costs import access, class_report, lines
from app.costs.forms import CostsForm
from app.costs.models import LINES
from app.documents.models import org_info
from app.extensions import db
from app.programs.models import FundingSource

bp = Blueprint("costs", __name__)


def _class(class_id: int) -> TrainingClass:
    klass = load_class(class_id)
    access.require_manage(current_user, klass)
    return klass


def _source_choices(klass: TrainingClass, costs: lines.Costs) -> list[tuple]:
    """The active sources valid on the class's dates, and any a line already has."""
    kept = {line.source_id for line in costs.lines} | {klass.funding_source_id}
    sources = db.session.scalars(select(FundingSource).order_by(
        FundingSource.sort_order, FundingSource.name)).all()
    return [(None, _("— Chưa ghi —"))] + [
        (s.id, s.name) for s in sources
        if s.id in kept or (s.active and s.covers(klass.start_date, klass.end_date))]


def _form(klass: TrainingClass, costs: lines.Costs, formdata=None) -> CostsForm:
    form = CostsForm(formdata=formdata)  # None: the stored values below, not the request's
    choices = _source_choices(klass, costs)
    for line in costs.lines:
        form.field_of("source", line.line).choices = choices
        if formdata is None:
            form.field_of("source", line.line).data = line.source_id
            if (field := form.field_of("budget", line.line)) is not None:
                field.data = line.budget
            if (field := form.field_of("spent", line.line)) is not None:
                field.data = line.spent
            if line.line == lines.PER_SESSION:
                form.per_session.data = line.per_session
    return form


def _page(klass, costs, form, status: int = 200):
    return render_template("costs/class.html", klass=klass, costs=costs, form=form,
                           lines=LINES, per_session=lines.PER_SESSION,
                           from_allowance=lines.FROM_ALLOWANCE), status


@bp.route("/<int:class_id>/costs")
@role_required(*COORDINATORS)
def page(class_id: int):
    klass = _class(class_id)
    costs = lines.costs_of(klass)
    return _page(klass, costs, _form(klass, costs))


@bp.route("/<int:class_id>/costs", methods=["POST"])
@role_required(*COORDINATORS)
def save(class_id: int):
    klass = _class(class_id)
    costs = lines.costs_of(klass)
    form = _form(klass, costs, request.form)
    if not form.validate_on_submit():
        return _page(klass, costs, form, 400)
    changed = lines.save(current_user, klass, form.entries(), costs.live)
    db.session.commit()
    flash(_("Đã lưu kinh phí của lớp (%(n)s dòng thay đổi).", n=changed), "success")
    return redirect(url_for("costs.page", class_id=class_id), 303)


@bp.route("/<int:class_id>/report.pdf")
@role_required(*COORDINATORS)
def report_pdf(class_id: int):
    """"Báo cáo kết quả lớp tập huấn" (recorded in the audit log as every export is)."""
    klass = _class(class_id)
    try:
        data = class_report.report_pdf(klass, class_report.gather(klass), org_info())
    except Refusal as exc:
        return detail_page(klass, exc.message, exc.status)
    code = "".join(ch for ch in klass.code if ch.isprintable())
    return send_file(io.BytesIO(data), mimetype="application/pdf",
                     download_name=f"bao-cao-ket-qua-{code}.pdf", max_age=0)
