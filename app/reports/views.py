"""The dashboard of training results (/reports/): thin (parse the filter, compute the
indicators in `indicators`, render; charts from `charts`)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.extensions import db
from app.people.queries import commune_family_ids, communes
from app.people.scope import scope_of
from app.programs.models import Program
from app.reports import charts, indicators
from app.reports.forms import ReportForm
from app.reports.period import PeriodError, make_period
from app.timeutil import local_today

bp = Blueprint("reports", __name__)
FIRST_REPORT_YEAR = 2021  # the first year of the 2021-2025 program


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


@bp.route("/")
@role_required(*COORDINATORS)
def index():
    form = ReportForm(request.args)
    mine = scope_of(current_user)
    _choices(form, mine)
    if not request.args:
        form.year.data = local_today().year
    if request.args and not form.validate():
        return render_template("reports/index.html", form=form), 400
    try:
        period = make_period(form.kind.data, form.year.data or local_today().year,
                             form.part.data, form.start.data, form.end.data)
    except PeriodError as exc:
        return render_template("reports/index.html", form=form, error=exc.message), exc.status
    unit = mine.commune.id if not mine.whole else form.unit_id.data
    scope = indicators.Scope(period.start, period.end, program_id=form.program_id.data,
                             commune_ids=frozenset(commune_family_ids(unit)) if unit else None)
    figures = indicators.summary(scope)
    by_commune = indicators.by_commune(scope)
    chart = charts.bars(by_commune, title=_("Lượt người được tập huấn theo xã"),
                        part_label=_("trong đó nữ"), total_label=_("lượt"))
    by_quarter = indicators.trainees_by_quarter(scope, period.quarters())  # one query
    quarter_chart = charts.bars(
        by_quarter, title=_("Lượt người được tập huấn theo quý"), part_label=_("trong đó nữ"),
        total_label=_("lượt"))
    return render_template("reports/index.html", form=form, period=period, figures=figures,
                           labels=indicators.LABELS,
                           activities=indicators.activities(scope), chart=chart,
                           quarter_chart=quarter_chart, by_quarter=by_quarter)
