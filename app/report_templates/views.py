"""Report templates (/report-forms/): the list with the indicators a template may name,
the upload (admin), one template's fill form and its filled copy (.xlsx, audited by
app/audit/exports.py like every file that leaves the app). Thin: parse, authorise, call
`service`, render or send."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
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

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.core.refusal import REFUSED, refusal
from app.documents.models import org_info
from app.extensions import db
from app.people.models import Unit
from app.people.queries import communes
from app.people.scope import scope_of
from app.programs.models import Program
from app.report_templates import example, filling, service
from app.report_templates.forms import TemplateForm
from app.report_templates.models import ReportTemplate
from app.reports.forms import ReportForm
from app.reports.period import PeriodError, make_period
from app.timeutil import local_today

bp = Blueprint("report_templates", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_REPORT_YEAR = 2021


def _index(form: TemplateForm | None = None, problems=None, status: int = 200):
    return render_template("report_templates/index.html", templates=service.templates(),
                           form=form or TemplateForm(), problems=problems or [],
                           labels=filling.indicator_names(), fields=filling.FIELDS,
                           suffixes=filling.SUFFIXES), status


@bp.route("/")
@role_required(*COORDINATORS)
def index():
    return _index()


@bp.route("/", methods=["POST"])
@role_required("admin")
def upload():
    form = TemplateForm()
    if not form.validate_on_submit():
        return _index(form, status=400)
    upload = form.file.data
    try:
        template = service.save(current_user, form.name.data, upload.filename or "",
                                upload.read(), current_app.config["MAX_CONTENT_LENGTH"])
        db.session.commit()
    except REFUSED as exc:
        refused = refusal(exc)
        (form.name if refused.field == "name" else form.file).errors = [refused.message]
        return _index(form, getattr(refused, "problems", []), refused.status)
    flash(_("Đã lưu biểu mẫu “%(n)s” (%(c)s ô cần điền).", n=template.name,
            c=len(template.slots)), "success")
    return redirect(url_for("report_templates.detail", template_id=template.id), 303)


@bp.route("/example", methods=["POST"])
@role_required("admin")
def add_example():
    """Save the shipped example (the training rows of a program report) as a template."""
    data = example.workbook()
    try:
        template = service.save(current_user, example.NAME, example.FILENAME, data, len(data))
        db.session.commit()
    except REFUSED as exc:
        flash(refusal(exc).message, "danger")
        return redirect(url_for("report_templates.index"), 303)
    return redirect(url_for("report_templates.detail", template_id=template.id), 303)


@bp.route("/example.xlsx")
@role_required(*COORDINATORS)
def example_file():
    """The shipped example as a blank workbook: how a form is marked (no personal data)."""
    return send_file(io.BytesIO(example.workbook()), mimetype=XLSX, as_attachment=True,
                     download_name=example.FILENAME, max_age=0)


def _fill_form(form: ReportForm, scope) -> None:
    """The choices of the period and unit (a commune coordinator's only unit is theirs)."""
    this_year = local_today().year
    form.year.choices = [(y, str(y)) for y in range(this_year + 1, FIRST_REPORT_YEAR - 1, -1)]
    form.program_id.choices = [(None, _("Tất cả chương trình"))] + [
        (p.id, p.label) for p in db.session.scalars(
            select(Program).order_by(Program.valid_from.desc()))]
    if scope.whole:
        form.unit_id.choices = [(None, _("Toàn đơn vị"))] + [
            (u.id, u.title_cap) for u in communes(current_only=True)]
    else:
        form.unit_id.choices = [(scope.commune.id, scope.commune.title_cap)]


def _detail(template: ReportTemplate, form: ReportForm, error: str | None = None,
            status: int = 200):
    return render_template("report_templates/detail.html", template=template, form=form,
                           error=error, labels=filling.indicator_names(),
                           fields=filling.FIELDS, suffixes=filling.SUFFIXES), status


@bp.route("/<int:template_id>")
@role_required(*COORDINATORS)
def detail(template_id: int):
    template = db.get_or_404(ReportTemplate, template_id)
    form = ReportForm(request.args)
    _fill_form(form, scope_of(current_user))
    form.year.data = form.year.data or local_today().year
    return _detail(template, form)


@bp.route("/<int:template_id>/filled.xlsx")
@role_required(*COORDINATORS)
def filled(template_id: int):
    template = db.get_or_404(ReportTemplate, template_id)
    form = ReportForm(request.args)
    mine = scope_of(current_user)
    _fill_form(form, mine)
    if request.args and not form.validate():
        return _detail(template, form, status=400)
    try:
        period = make_period(form.kind.data, form.year.data or local_today().year,
                             form.part.data, form.start.data, form.end.data)
    except PeriodError as exc:
        return _detail(template, form, exc.message, exc.status)
    unit = mine.commune if not mine.whole else (
        db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None)
    data = service.filled(template, period, form.program_id.data, unit, org_info().unit_title)
    response = send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                         download_name=f"bieu-mau-{template.id}-{period.start:%Y%m%d}-"
                                       f"{period.end:%Y%m%d}.xlsx", max_age=0)
    response.cache_control.private = True
    return response


@bp.route("/<int:template_id>/delete", methods=["POST"])
@role_required("admin")
def delete(template_id: int):
    template = db.get_or_404(ReportTemplate, template_id)
    service.delete(current_user, template)
    db.session.commit()
    flash(_("Đã xóa biểu mẫu “%(n)s”.", n=template.name), "success")
    return redirect(url_for("report_templates.index"), 303)
