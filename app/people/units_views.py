"""Units: communes with their villages (coordinators), and unit records with mergers (admin)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.audit.models import record
from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.core import once
from app.core.forms import form_status
from app.core.refusal import at_field
from app.extensions import db
from app.people import queries, service
from app.people.forms import UnitForm, VillageForm
from app.people.models import Unit, unit_name_key
from app.people.scope import scope_of

bp = Blueprint("units", __name__)


@bp.route("/")
@role_required(*COORDINATORS)
def index():
    units = db.session.scalars(
        select(Unit).options(selectinload(Unit.children), selectinload(Unit.predecessors))
    ).all()
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    communes = [u for u in units if u.kind == "commune"]
    communes.sort(key=lambda u: (u.successor_id is not None, queries.text_sort_key(u.name)))

    def villages(commune: Unit) -> list[Unit]:
        family = [commune, *commune.predecessors]
        found = [v for unit in family for v in by_parent.get(unit.id, []) if v.kind == "village"]
        return sorted(found, key=lambda v: queries.text_sort_key(v.name))

    others = [u for u in units if u.kind in ("province", "district")]
    return render_template("units/index.html", communes=communes, villages=villages,
                           others=others)


def _dates_ok(form) -> bool:
    if form.valid_from.data and form.valid_to.data and form.valid_to.data < form.valid_from.data:
        form.valid_to.errors.append(_("Ngày kết thúc phải sau ngày bắt đầu."))
        return False
    return True


@bp.route("/<int:commune_id>/villages/new", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def village_new(commune_id: int):
    commune = db.get_or_404(Unit, commune_id)
    if commune.kind != "commune":
        abort(404)
    if not scope_of(current_user).covers_commune(commune.id):
        abort(403)  # a coordinator adds villages to their own commune only
    if commune.successor_id is not None:
        flash(_("%(c)s đã sáp nhập vào %(s)s; hãy thêm thôn/bản vào đơn vị mới.",
                c=commune.title_cap, s=commune.successor.title), "warning")
        return redirect(url_for("units.index")), 303
    form = VillageForm()
    if request.method == "POST" and (repeat := once.repeat_of(form)):
        return repeat
    if form.validate_on_submit() and _dates_ok(form):
        if _name_taken(commune, form.name.data):
            form.name.errors.append(_("%(c)s đã có thôn/bản tên này.", c=commune.title_cap))
        else:
            try:
                village = Unit(code=_next_code(commune), name=form.name.data, kind="village",
                               category=form.category.data, parent_id=commune.id,
                               valid_from=form.valid_from.data, valid_to=form.valid_to.data)
                db.session.add(village)
                db.session.flush()
                record(current_user, "unit.create", "unit", village.id,
                       f"Thêm {village.title} vào {commune.title}")
                back = url_for("units.index") + f"#commune-{commune.current().id}"
                once.remember(form, back)
                db.session.commit()
            except IntegrityError as exc:  # a racing twin: the message at its field
                why = at_field(form, exc)
                return render_template("units/village_form.html", form=form,
                                       commune=db.session.get(Unit, commune_id),
                                       village=None), why.status
            flash(_("Đã thêm %(v)s.", v=village.title), "success")
            return redirect(back)
    status = form_status()
    return render_template("units/village_form.html", form=form, commune=commune,
                           village=None), status


@bp.route("/villages/<int:village_id>", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def village_edit(village_id: int):
    village = db.get_or_404(Unit, village_id)
    if village.kind != "village":
        abort(404)
    if not scope_of(current_user).covers_commune(village.parent_id):
        abort(403)  # a coordinator edits the villages of their own commune only
    form = VillageForm(obj=village)
    if form.validate_on_submit() and _dates_ok(form):
        if village.parent is not None and _name_taken(village.parent, form.name.data, village):
            form.name.errors.append(_("%(c)s đã có thôn/bản tên này.",
                                      c=village.parent.current().title_cap))
            return render_template("units/village_form.html", form=form,
                                   commune=village.parent, village=village), 400
        try:
            form.populate_obj(village)
            del village.once  # the form's one-time token is no column
            record(current_user, "unit.update", "unit", village.id, f"Sửa {village.title}")
            db.session.commit()
        except IntegrityError as exc:  # renamed onto another village at the same moment
            why = at_field(form, exc)
            village = db.session.get(Unit, village_id)
            return render_template("units/village_form.html", form=form,
                                   commune=village.parent, village=village), why.status
        flash(_("Đã lưu %(v)s.", v=village.title), "success")
        return redirect(url_for("units.index"))
    status = form_status()
    return render_template("units/village_form.html", form=form, commune=village.parent,
                           village=village), status


def _next_code(commune: Unit) -> str:
    """A free code "<commune code>-tNN" of at most 20 characters (the commune's code is
    shortened, never the number, so the 100th village cannot take the 10th's code)."""
    number = db.session.query(Unit).filter(Unit.parent_id == commune.id).count() + 1
    while True:
        suffix = f"-t{number:02d}"
        code = commune.code[:20 - len(suffix)] + suffix
        if db.session.scalar(select(Unit.id).where(Unit.code == code)) is None:
            return code
        number += 1


def _name_taken(commune: Unit, name: str, exclude: Unit | None = None) -> bool:
    """Whether the commune (with the units merged into it) has another village of this name:
    two would make the import unable to tell them apart."""
    family = commune.current()
    key = unit_name_key(name)
    return any(v.name_key == key and v is not exclude for v in queries.villages_of(family))


def _unit_choices(form: UnitForm, exclude: Unit | None) -> None:
    units = db.session.scalars(select(Unit).where(Unit.kind != "village")
                               .order_by(Unit.kind, Unit.name)).all()
    options = [(u.id, f"{u.title_cap}{' (' + u.validity_text + ')' if u.validity_text else ''}")
               for u in units if exclude is None or u.id != exclude.id]
    form.parent_id.choices = [("", _("— không —"))] + options
    form.successor_id.choices = [("", _("— không —"))] + options


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def unit_form(unit_id: int | None = None):
    unit = db.get_or_404(Unit, unit_id) if unit_id else None
    if unit is not None and unit.kind == "village":
        return redirect(url_for("units.village_edit", village_id=unit.id))
    form = UnitForm(obj=unit)
    _unit_choices(form, unit)
    if form.validate_on_submit() and _dates_ok(form):
        clash = db.session.scalar(select(Unit).where(Unit.code == form.code.data))
        if clash is not None and clash is not unit:
            form.code.errors.append(_("Mã này đã được dùng."))
        elif form.successor_id.data and not form.valid_to.data:
            form.valid_to.errors.append(
                _("Đơn vị sáp nhập vào đơn vị khác phải có ngày cuối còn hiệu lực."))
        elif problem := service.successor_problem(unit, form.kind.data, form.successor_id.data):
            form.successor_id.errors.append(problem)
        else:
            creating = unit is None
            unit = unit or Unit()
            form.populate_obj(unit)
            db.session.add(unit)
            db.session.flush()
            clash = service.rekey_after_merger(unit)
            if clash is None:
                record(current_user, "unit.create" if creating else "unit.update", "unit",
                       unit.id, f"{'Thêm' if creating else 'Sửa'} {unit.title}")
                db.session.commit()
                flash(_("Đã lưu %(u)s.", u=unit.title), "success")
                return redirect(url_for("units.index"))
            db.session.rollback()
            form.successor_id.errors.append(_(
                "Không thể sáp nhập: %(a)s và %(b)s sẽ trùng họ tên, ngày sinh và xã. "
                "Hãy gộp hoặc sửa hồ sơ trước.", a=clash[0], b=clash[1]))
    status = form_status()
    return render_template("units/unit_form.html", form=form, unit=unit), status
