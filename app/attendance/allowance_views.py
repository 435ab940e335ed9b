"""The allowance list of a class (coordinators): the page that shows it with the rate applied,
the travel support typed per attendee, the PDF and .xlsx; and the settings page of the
allowance rules (/admin/allowance: paid marks, the sheet's title, meal rates by organiser
level and date, travel support per commune). Thin views: parse, authorise, call
`settings.py` / `allowance.py`, commit once; bad input is refused with nothing saved."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.attendance import allowance, completion, forms, settings
from app.attendance.models import (
    DEFAULT_MEAL_RATES,
    LEVEL_LABELS,
    LEVELS,
    STATUS_LABELS,
    STATUSES,
)
from app.attendance.paper_views import _send
from app.attendance.views import bp
from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.classes.access import load_class
from app.classes.models import TrainingClass
from app.core.refusal import REFUSED, refusal
from app.documents.models import org_info
from app.extensions import db
from app.numbers import NumberError, format_money, parse_integer
from app.people.models import Unit
from app.timeutil import local_today

settings_bp = Blueprint("allowance_settings", __name__)


# The class's list from the stored marks and settings (the costs of a class reuse it too).
compute = allowance.of_class


def rate_on(day) -> int:
    """The meal rate per day in force on `day` for the organiser of the settings."""
    return settings.meal_rate(org_info().level, day).amount


def class_rate(klass: TrainingClass) -> settings.Rate:
    """The rate the settings give this class: who organises it (the issuer's level) on its
    first day."""
    return settings.meal_rate(org_info().level, klass.start_date)


# --------------------------------------------------------------------------- one class


def _page(klass: TrainingClass, *, errors: dict[int, str] | None = None,
          typed: dict[int, str] | None = None, status: int = 200):
    applications = completion.admitted_applications(klass)
    paid = settings.current().paid
    data = compute(klass, applications, paid)
    stored = settings.typed_travel([a.id for a in applications])
    return render_template(
        "attendance/allowance.html", klass=klass, data=data, rate=class_rate(klass),
        applications=applications, stored=stored, typed=typed or {}, errors=errors or {},
        form=forms.ActionForm(formdata=None),
        paid_labels=", ".join(_(STATUS_LABELS[s]).lower() for s in STATUSES if s in paid),
        level=LEVEL_LABELS.get(org_info().level, ""), money=format_money), status


@bp.route("/<int:class_id>/allowance")
@role_required(*COORDINATORS)
def allowance_page(class_id: int):
    return _page(load_class(class_id))


@bp.route("/<int:class_id>/allowance/rate", methods=["POST"])
@role_required(*COORDINATORS)
def apply_rate(class_id: int):
    """Copy the settings' rate onto the class (audited)."""
    klass = load_class(class_id)
    form = forms.ActionForm()
    if not form.validate_on_submit():
        return _page(klass, status=400)
    rate = class_rate(klass)
    if settings.apply_rate(current_user, klass, rate):
        db.session.commit()
    flash(_("Lớp áp dụng mức hỗ trợ tiền ăn %(rate)s đồng/ngày.", rate=format_money(rate.amount)),
          "success")
    return redirect(url_for("attendance.allowance_page", class_id=class_id), 303)


def _amounts(typed: dict[int, str]) -> tuple[dict[int, int | None], dict[int, str]]:
    """Amounts of đồng typed in a table of inputs (key -> text; blank is None), parsed by the
    one number parser, and the message of each input that is not one."""
    values, errors = {}, {}
    for key, text in typed.items():
        try:
            values[key] = parse_integer(text, minimum=0, maximum=settings.MAX_AMOUNT,
                                        unit="money")
        except NumberError as exc:
            errors[key] = _(exc.message, **exc.params)
    return values, errors


@bp.route("/<int:class_id>/allowance/travel", methods=["POST"])
@role_required(*COORDINATORS)
def save_travel(class_id: int):
    """The travel support typed per attendee (blank: the commune's amount). Every cell is
    checked before anything is written."""
    klass = load_class(class_id)
    form = forms.ActionForm()
    applications = completion.admitted_applications(klass)
    typed = {a.id: request.form.get(f"t-{a.id}", "") for a in applications}
    if not form.validate_on_submit():
        return _page(klass, typed=typed, status=400)
    values, errors = _amounts(typed)
    if errors:
        return _page(klass, errors=errors, typed=typed, status=400)
    changed = settings.save_travel_amounts(current_user, klass.id, values)
    if changed:
        db.session.commit()
    flash(_("Đã lưu hỗ trợ đi lại (%(n)s thay đổi).", n=changed), "success")
    return redirect(url_for("attendance.allowance_page", class_id=class_id), 303)


@bp.route("/<int:class_id>/allowance.pdf")
@role_required(*COORDINATORS)
def allowance_pdf(class_id: int):
    return _send(class_id, lambda k: allowance.allowance_pdf(k, compute(k), org_info()),
                 "danh-sach-nhan-tien", "pdf")


@bp.route("/<int:class_id>/allowance.xlsx")
@role_required(*COORDINATORS)
def allowance_xlsx(class_id: int):
    return _send(class_id, lambda k: allowance.allowance_xlsx(k, compute(k), org_info()),
                 "danh-sach-nhan-tien", "xlsx")


# --------------------------------------------------------------------------- settings


def _communes() -> list[Unit]:
    today = local_today()
    units = db.session.scalars(select(Unit).where(Unit.kind == "commune")).all()
    return sorted((u for u in units if u.is_valid_on(today)), key=lambda u: u.name)


def _settings_page(paper_form=None, rate_form=None, travel_errors=None, travel_typed=None,
                   status: int = 200):
    current = settings.current()
    if paper_form is None:
        paper_form = forms.PaperSettingsForm(formdata=None)
        paper_form.paid.data = sorted(current.paid)
        paper_form.sheet_title.data = current.sheet_title
    today = local_today()
    return render_template(
        "attendance/allowance_settings.html", paper_form=paper_form,
        rate_form=rate_form or forms.MealRateForm(formdata=None),
        action_form=forms.ActionForm(formdata=None), rates=settings.meal_rates(),
        current={lv: settings.meal_rate(lv, today) for lv in LEVELS},
        defaults=DEFAULT_MEAL_RATES, levels=LEVEL_LABELS, communes=_communes(),
        travel=settings.travel_rates(), travel_errors=travel_errors or {},
        travel_typed=travel_typed or {}, money=format_money), status


@settings_bp.route("/")
@role_required(*COORDINATORS)
def edit():
    return _settings_page()


def _refused_at(form, exc, status_page):
    why = refusal(exc)
    field = getattr(form, why.field, None) if why.field else None
    if field is not None:
        field.errors = [why.message]
    else:
        flash(why.message, "danger")
    return status_page(why.status)


@settings_bp.route("/papers", methods=["POST"])
@role_required(*COORDINATORS)
def save_papers():
    form = forms.PaperSettingsForm()
    if not form.validate_on_submit():
        return _settings_page(paper_form=form, status=400)
    try:
        settings.save_paper_settings(current_user, form.paid.data or [], form.sheet_title.data)
        db.session.commit()
    except REFUSED as exc:
        return _refused_at(form, exc, lambda s: _settings_page(paper_form=form, status=s))
    flash(_("Đã lưu thiết lập danh sách ký và ngày được hỗ trợ."), "success")
    return redirect(url_for("allowance_settings.edit"), 303)


@settings_bp.route("/rates", methods=["POST"])
@role_required(*COORDINATORS)
def add_rate():
    form = forms.MealRateForm()
    if not form.validate_on_submit():
        return _settings_page(rate_form=form, status=400)
    try:
        settings.add_meal_rate(current_user, form.level.data, form.valid_from.data,
                               form.amount.data, form.basis.data or "")
        db.session.commit()
    except REFUSED as exc:
        return _refused_at(form, exc, lambda s: _settings_page(rate_form=form, status=s))
    flash(_("Đã lưu mức hỗ trợ tiền ăn."), "success")
    return redirect(url_for("allowance_settings.edit"), 303)


@settings_bp.route("/rates/<int:rate_id>/delete", methods=["POST"])
@role_required(*COORDINATORS)
def delete_rate(rate_id: int):
    form = forms.ActionForm()
    if not form.validate_on_submit():
        return _settings_page(status=400)
    settings.delete_meal_rate(current_user, rate_id)
    db.session.commit()
    flash(_("Đã xóa mức hỗ trợ tiền ăn."), "success")
    return redirect(url_for("allowance_settings.edit"), 303)


@settings_bp.route("/travel", methods=["POST"])
@role_required(*COORDINATORS)
def save_travel_rates():
    form = forms.ActionForm()
    communes = _communes()
    typed = {u.id: request.form.get(f"t-{u.id}", "") for u in communes}
    if not form.validate_on_submit():
        return _settings_page(travel_typed=typed, status=400)
    values, errors = _amounts(typed)
    if errors:
        return _settings_page(travel_errors=errors, travel_typed=typed, status=400)
    n = settings.save_travel_rates(current_user, values)
    db.session.commit()
    flash(_("Đã lưu hỗ trợ đi lại theo xã (%(n)s thay đổi).", n=n), "success")
    return redirect(url_for("allowance_settings.edit"), 303)
