"""The reports (/reports/): the dashboard, its two files (.xlsx and the official PDF), and the
coverage and planning page. Thin: parse the filter (`_parse`, one place for all four), call
the domain (`tables`, `coverage`, `charts`), render.

Access: coordinators and admins; a commune coordinator's reports cover their commune only
(`app/people/scope.py`), and another unit is refused (400).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.classes import nominate_views
from app.classes.access import in_scope, scope_condition
from app.classes.models import TrainingClass
from app.core.paging import Pager, cut, page_number
from app.core.refusal import Refusal
from app.courses.models import Course
from app.documents.models import org_info
from app.extensions import db
from app.numbers import parse_id
from app.people.models import Unit
from app.people.queries import commune_family_ids, communes
from app.people.scope import scope_of
from app.programs.models import Program
from app.reports import charts, costs, coverage, exports, indicators, tables
from app.reports.forms import PlanningForm, ReportForm
from app.reports.period import Period, PeriodError, make_period
from app.timeutil import local_today

bp = Blueprint("reports", __name__)
FIRST_REPORT_YEAR = 2021  # the first year of the 2021-2025 program
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 100


@dataclass(frozen=True)
class Asked:
    """A valid filter: the period, the indicators' scope, the units' mode and what to name."""

    form: ReportForm
    period: Period
    scope: indicators.Scope
    mode: str
    program: Program | None
    unit: Unit | None


def _choices(form: ReportForm, scope) -> None:
    """The choices of the filter; a commune coordinator's only commune is their own."""
    this_year = local_today().year
    form.year.choices = [(y, str(y)) for y in range(this_year + 1, FIRST_REPORT_YEAR - 1, -1)]
    programs = db.session.scalars(select(Program).order_by(Program.valid_from.desc()))
    form.program_id.choices = [(None, _("Tất cả chương trình"))] + [
        (p.id, p.label) for p in programs]
    if scope.whole:
        form.unit_id.choices = [(None, _("Toàn đơn vị"))] + [
            (u.id, u.title_cap) for u in communes(current_only=True)]
    else:
        form.unit_id.choices = [(scope.commune.id, scope.commune.title_cap)]


def _parse(template: str, **context) -> tuple[Asked | None, object]:
    """The filter of the request, or (None, the page with the message at its field, 400)."""
    form = ReportForm(request.args)
    mine = scope_of(current_user)
    _choices(form, mine)
    if not request.args:
        form.year.data = local_today().year
    if request.args and not form.validate():
        return None, (render_template(template, form=form, **context), 400)
    try:
        period = make_period(form.kind.data, form.year.data or local_today().year,
                             form.part.data, form.start.data, form.end.data)
    except PeriodError as exc:
        return None, (render_template(template, form=form, error=exc.message, **context),
                      exc.status)
    unit_id = mine.commune.id if not mine.whole else form.unit_id.data
    unit = db.session.get(Unit, unit_id) if unit_id else None
    program = db.session.get(Program, form.program_id.data) if form.program_id.data else None
    scope = indicators.Scope(period.start, period.end,
                             program_id=program.id if program else None,
                             commune_ids=frozenset(commune_family_ids(unit.id)) if unit
                             else None)
    return Asked(form, period, scope, form.units.data or "today", program, unit), None


def _subject(asked: Asked) -> str:
    return exports.subject(asked.program.short_name if asked.program else "",
                           asked.period.label, asked.unit.title if asked.unit else "")


@bp.route("/")
@role_required(*COORDINATORS)
def index():
    asked, refused = _parse("reports/index.html")
    if asked is None:
        return refused
    report = tables.build(asked.period, asked.scope, asked.mode, with_coverage=False)
    return render_template("reports/index.html", form=asked.form, period=asked.period,
                           report=report, figures=report.figures,
                           registry=indicators.REGISTRY, charts=charts.dashboard(report),
                           activities=report.activities,
                           costs=costs.section(asked.period.start, asked.period.end,
                                               asked.scope.program_id, asked.scope.commune_ids,
                                               asked.scope.component_id),
                           file_args=request.args.to_dict())


@bp.route("/training.xlsx")
@role_required(*COORDINATORS)
def training_xlsx():
    asked, refused = _parse("reports/index.html")
    if asked is None:
        return refused
    report = tables.build(asked.period, asked.scope, asked.mode)
    data = exports.report_xlsx(report, org_info(), _subject(asked))
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=f"bao-cao-tap-huan-{asked.period.start:%Y%m%d}-"
                                   f"{asked.period.end:%Y%m%d}.xlsx", max_age=0)


@bp.route("/training.pdf")
@role_required(*COORDINATORS)
def training_pdf():
    asked, refused = _parse("reports/index.html")
    if asked is None:
        return refused
    org = org_info()
    if problem := org.problem():
        return render_template("reports/index.html", form=asked.form, error=problem), 409
    report = tables.build(asked.period, asked.scope, asked.mode)
    data = exports.report_pdf(report, org, _subject(asked), local_today())
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=False,
                     download_name=f"bao-cao-tap-huan-{asked.period.start:%Y%m%d}-"
                                   f"{asked.period.end:%Y%m%d}.pdf", max_age=0)


# --------------------------------------------------------------------------- planning


def _courses() -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.status != "draft")
                                   .order_by(Course.title)))


@bp.route("/coverage")
@role_required(*COORDINATORS)
def planning():
    """Coverage per commune and village, and the grassroots leaders not yet trained on the
    chosen course, with the classes of that course to nominate them into."""
    courses = _courses()
    plan = PlanningForm(request.args)
    plan.course_id.choices = [(None, _("Chọn chuyên đề"))] + [(c.id, c.title) for c in courses]
    asked, refused = _parse("reports/coverage.html", plan=plan)
    if asked is None:
        return refused
    if not plan.validate():
        return render_template("reports/coverage.html", form=asked.form, plan=plan), 400
    table = tables.coverage_table(asked.scope, asked.period.end, asked.mode)
    context = {}
    if plan.course_id.data:
        query = coverage.untrained_leaders(plan.course_id.data, asked.scope.commune_ids)
        page = page_number(request.args)
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        pager = Pager(page, PAGE_SIZE, total, {k: v for k, v in request.args.items()
                                               if k != "page"})
        context = {"leaders": db.session.scalars(
                       cut(query, page, PAGE_SIZE)).unique().all(),
                   "classes": coverage.classes_to_nominate(
                       plan.course_id.data, scope_condition(scope_of(current_user))),
                   **pager.context()}
    return render_template("reports/coverage.html", form=asked.form, plan=plan,
                           period=asked.period, table=table, **context)


@bp.post("/coverage/nominate")
@role_required(*COORDINATORS)
def pick_for_class():
    """Tick the leaders chosen on the planning list for the class chosen, then open that
    class's nominate page (app/classes/nominate_views.py) where one click nominates them."""
    klass = db.session.get(TrainingClass, parse_id(request.form.get("class_id")) or 0)
    if klass is None:
        raise Refusal(_("Hãy chọn một lớp để đề cử."), 400)
    if not in_scope(current_user, klass):
        abort(403)
    ids = [i for i in (parse_id(v) for v in request.form.getlist("cadre_ids")) if i]
    nominate_views.pick(klass.id, ids)
    return redirect(url_for("classes.nominate", class_id=klass.id))
