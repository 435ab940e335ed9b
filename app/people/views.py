"""Cadre list, search, create, edit and deactivate (coordinators and admins)."""


from functools import cache

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEntry
from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS, EVERYONE
from app.core import once, written
from app.core.forms import form_status
from app.core.paging import Pager, page_number
from app.core.refusal import at_field
from app.extensions import db
from app.people import counts, list_rows, queries, service
from app.people import history as training
from app.people.access import load_cadre
from app.people.ethnicities import choices as ethnicity_choices
from app.people.forms import AccountLinkForm, CadreForm, DeactivateForm
from app.people.models import LEVEL_LABELS, Cadre, Position, Unit
from app.people.reference import active_positions, position_for_village
from app.people.scope import scope_of

bp = Blueprint("people", __name__)


def _filter_positions() -> list:
    """The positions offered, then those no longer offered that cadres still hold (to find
    the cadres whose position needs choosing again): (id, name)."""
    return db.session.execute(_filter_positions_select()).tuples().all()


@cache
def _filter_positions_select():
    """One statement, built once per process: SQLAlchemy keeps a statement's cache key with
    it, so a request neither builds it nor works its key out again."""
    position = Position.__table__.c  # the table's columns: run by Core, no ORM work
    return (select(position.id, position.name)
            .where(or_(position.active.is_(True), position.id.in_(counts.held_position_ids())))
            .order_by(position.active.desc(), position.sort_order, position.name))


def _position_choices(current: Position | None) -> dict:
    """The positions offered, grouped by level in the list's order; a cadre's position that
    is no longer offered stays selectable for that cadre, in a group of its own."""
    groups: dict = {None: [("", _("— chọn —"))]}
    for position in active_positions():
        groups.setdefault(_(LEVEL_LABELS[position.level]), []).append(
            (position.id, position.name))
    if current is not None and not current.active:
        groups[_("Chức vụ không còn dùng")] = [(current.id, current.name)]
    return groups


@bp.route("/")
@role_required(*COORDINATORS)
def index():
    filters = queries.CadreFilters.from_args(request.args)
    villages = queries.village_choices(filters)
    size = current_app.config["PAGE_SIZE"]
    page = page_number(request.args)
    scope = scope_of(current_user)
    rows, total = queries.line_page(filters, page, size, scope)
    args = filters.as_args()
    pager = Pager(page, size, total, args)
    return render_template(
        "people/index.html", filters=filters, villages=villages,
        lines=list_rows.lines(rows, current_user._get_current_object(), scope, pager.offset),
        **list_rows.filter_options(filters, queries.commune_choices(scope), _filter_positions(),
                                   ethnicity_choices()),
        export_url=url_for("cadre_io.export", **args), **pager.context())


def _fill_choices(form: CadreForm, cadre: Cadre | None) -> None:
    form.ethnicity_code.choices = [("", _("— chọn —"))] + ethnicity_choices()
    form.position_id.choices = _position_choices(cadre.position if cadre else None)
    form.commune_id.choices = [("", _("— chọn —"))] + [
        (c.id, c.title_cap + ("" if c.successor_id is None else _(" (trước sáp nhập)")))
        for c in queries.communes(scope=scope_of(current_user))]
    groups = [("", _("— không ghi —"))]
    scope = scope_of(current_user)
    for c, villages in queries.villages_by_current_commune():
        if not scope.covers_commune(c.id):
            continue
        groups += [(v.id, f"{v.title_cap} – {c.title}") for v in villages]
    form.village_id.choices = groups


def _data_from(form: CadreForm) -> service.CadreData | None:
    """Validate what WTForms cannot (name, dates, village in commune); None on error.

    Runs even when WTForms found other errors, so that every problem shows at once."""
    ok = not form.errors
    if not form.full_name.errors:
        problem = service.name_problem(form.full_name.data or "")
        if problem:
            form.full_name.errors.append(problem)
            ok = False
    born = year = None
    if not form.birth.errors:
        try:
            born, year = service.parse_birth(form.birth.data or "")
        except ValueError as exc:
            form.birth.errors.append(str(exc))
            ok = False
    phone = None
    if not form.phone.errors:
        try:
            phone = service.parse_phone(form.phone.data)
        except ValueError as exc:
            form.phone.errors.append(str(exc))
            ok = False
    commune = db.session.get(Unit, form.commune_id.data) if form.commune_id.data else None
    if commune is None or commune.kind != "commune":
        if not form.commune_id.errors:
            form.commune_id.errors.append(_("Xã không hợp lệ."))
        return None
    if not scope_of(current_user).covers_commune(commune.id):
        form.commune_id.errors.append(_("%(commune)s không thuộc phạm vi phụ trách của bạn.",
                                        commune=commune.title_cap))
        return None
    village = db.session.get(Unit, form.village_id.data) if form.village_id.data else None
    if form.village_id.data and village is None:
        form.village_id.errors.append(_("Thôn/bản không tồn tại."))
        return None
    problem = service.village_error(commune, village)
    if problem:
        form.village_id.errors.append(problem)
        ok = False
    position = db.session.get(Position, form.position_id.data) if form.position_id.data else None
    if position is not None and village is not None:
        named = position_for_village(position, village)
        if named.id != position.id:  # "Trưởng thôn, bản" of a tổ dân phố
            form.position_id.errors.append(_(
                "“%(position)s” không dùng cho %(village)s: hãy chọn “%(other)s”.",
                position=position.name, village=village.title, other=named.name))
            ok = False
    if not ok or position is None:
        return None
    return service.CadreData(
        full_name=form.full_name.data, gender=form.gender.data, birth_date=born,
        birth_year=year, ethnicity_code=form.ethnicity_code.data or None,
        position_id=position.id, level=position.level, commune_id=commune.id,
        village_id=village.id if village else None, phone=phone,
        on_payroll=bool(form.on_payroll.data))


def _duplicate(form: CadreForm, data: service.CadreData, exclude_id=None) -> bool:
    key = data.identity(db.session.get(Unit, data.commune_id))
    other = service.find_same_person(key, exclude_id)
    if other is not None:
        form.full_name.errors.append(
            _("Đã có cán bộ cùng họ tên, ngày sinh và xã: %(name)s (mã %(id)s).",
              name=other.full_name, id=other.id))
        return True
    for other in service.find_same_person_by_year(key, exclude_id):
        if other.birth_date:  # this form gives only the year; the other has a date of it
            form.birth.errors.append(_(
                "Đã có cán bộ cùng họ tên ở xã này sinh ngày %(born)s: %(name)s (mã %(id)s). "
                "Nếu là cùng một người, hãy sửa hồ sơ đó; nếu là người khác, hãy ghi ngày "
                "sinh đầy đủ.", born=other.birth_text, name=other.full_name, id=other.id))
        else:
            form.birth.errors.append(_(
                "Đã có cán bộ cùng họ tên ở xã này chỉ ghi năm sinh %(year)s: %(name)s "
                "(mã %(id)s). Nếu là cùng một người, hãy sửa hồ sơ đó và ghi ngày sinh; nếu là "
                "người khác, hãy ghi ngày sinh đầy đủ cho hồ sơ đó trước.",
                year=other.birth_year, name=other.full_name, id=other.id))
    return bool(form.birth.errors)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def create():
    form = CadreForm()
    _fill_choices(form, None)
    if request.method == "POST" and (repeat := once.repeat_of(form)):
        return repeat
    if form.validate_on_submit() or request.method == "POST":
        data = _data_from(form)
        if data is not None and not _duplicate(form, data):
            try:
                cadre = service.create_cadre(current_user, data)
                once.remember(form, url_for("people.detail", cadre_id=cadre.id))
                db.session.commit()
            except IntegrityError as exc:  # a racing twin: the message at its field
                why = at_field(form, exc)
                return render_template("people/form.html", form=form, cadre=None), why.status
            flash(_("Đã thêm cán bộ %(name)s.", name=cadre.full_name), "success")
            return redirect(url_for("people.detail", cadre_id=cadre.id))
    status = form_status()
    return render_template("people/form.html", form=form, cadre=None), status


def _detail_page(cadre: Cadre, deactivate_form=None, account_form=None, status: int = 200):
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "cadre",
                                 AuditEntry.object_id == cadre.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(written.number(50))).all()
    deactivate_form = deactivate_form or DeactivateForm()
    deactivate_form.target.data = "0" if cadre.active else "1"
    return render_template("people/detail.html", cadre=cadre, history=history,
                           training=training.training_history(cadre),
                           deactivate_form=deactivate_form,
                           account_form=account_form or AccountLinkForm()), status


@bp.route("/me")
@role_required(*EVERYONE)
def mine():
    """What is held about the signed-in person: their cadre record and its history (Luật
    Bảo vệ dữ liệu cá nhân: the data subject's right to know). An account linked to no cadre
    is sent home with a word."""
    cadre = getattr(current_user, "cadre", None)
    if cadre is None:
        flash(_("Tài khoản của bạn chưa gắn với hồ sơ cán bộ nào, nên không có thông tin cán bộ "
                "nào về bạn."), "info")
        return redirect(url_for("home.index"))
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "cadre",
                                 AuditEntry.object_id == cadre.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(written.number(50))).all()
    return render_template("people/mine.html", cadre=cadre, history=history)


@bp.route("/<int:cadre_id>")
@role_required(*COORDINATORS)
def detail(cadre_id: int):
    return _detail_page(load_cadre(cadre_id, current_user))


@bp.route("/<int:cadre_id>/edit", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def edit(cadre_id: int):
    cadre = load_cadre(cadre_id, current_user)
    form = CadreForm(obj=cadre)
    _fill_choices(form, cadre)
    if request.method == "GET":
        form.birth.data = cadre.birth_text
    if form.validate_on_submit() or request.method == "POST":
        data = _data_from(form)
        if data is not None and not _duplicate(form, data, exclude_id=cadre.id):
            changed = service.update_cadre(current_user, cadre, data)
            db.session.commit()
            flash(_("Đã lưu thay đổi.") if changed else _("Không có gì thay đổi."), "success")
            return redirect(url_for("people.detail", cadre_id=cadre.id))
    status = form_status()
    return render_template("people/form.html", form=form, cadre=cadre), status


@bp.route("/<int:cadre_id>/active", methods=["POST"])
@role_required(*COORDINATORS)
def toggle_active(cadre_id: int):
    cadre = load_cadre(cadre_id, current_user)
    form = DeactivateForm()
    if not form.validate_on_submit():
        return _detail_page(cadre, deactivate_form=form, status=400)
    wanted = form.target.data == "1"
    if wanted == cadre.active:  # already done (double tap, second tab): nothing to write
        flash(_("%(n)s đang được theo dõi.", n=cadre.full_name) if cadre.active
              else _("%(n)s đã ngừng theo dõi từ trước.", n=cadre.full_name), "info")
        return redirect(url_for("people.detail", cadre_id=cadre.id))
    service.set_active(current_user, cadre, wanted, form.reason.data or None)
    db.session.commit()
    flash(_("Đã kích hoạt lại %(n)s.", n=cadre.full_name) if cadre.active
          else _("Đã ngừng theo dõi %(n)s; lịch sử được giữ nguyên.", n=cadre.full_name),
          "success")
    return redirect(url_for("people.detail", cadre_id=cadre.id))


@bp.route("/<int:cadre_id>/account", methods=["POST"])
@role_required(*COORDINATORS)
def account(cadre_id: int):
    """Link a sign-in account to the cadre (creating a learner account), or unlink it."""
    cadre = load_cadre(cadre_id, current_user)
    if request.form.get("unlink"):
        service.unlink_account(current_user, cadre)  # a refusal: app/core/errors.py (403)
        db.session.commit()
        flash(_("Đã bỏ gắn tài khoản."), "success")
        return redirect(url_for("people.detail", cadre_id=cadre.id))
    form = AccountLinkForm()
    if form.validate_on_submit():
        try:
            user, created = service.link_account(
                current_user, cadre, form.username.data, form.password.data,
                current_app.config["PASSWORD_MIN_LENGTH"],
                current_app.config["PASSWORD_MIN_GUESSES"])
            db.session.commit()
        except service.AccountError as exc:
            form[exc.field or "username"].errors.append(str(exc))
            return _detail_page(cadre, account_form=form, status=exc.status)
        except IntegrityError as exc:  # a racing twin: the message at its field
            why = at_field(form, exc)
            return _detail_page(load_cadre(cadre_id, current_user), account_form=form,
                                status=why.status)
        else:
            flash(_("Đã tạo tài khoản học viên %(u)s và gắn với cán bộ.", u=user.username)
                  if created else _("Đã gắn tài khoản %(u)s.", u=user.username), "success")
            return redirect(url_for("people.detail", cadre_id=cadre.id))
    return _detail_page(cadre, account_form=form, status=400)
