"""Nominating cadres to a class from the cadre list, with its filters and pages.

The people ticked are kept while the coordinator filters and pages (commune by commune, a
name search, the next page), so one click on "Đề cử" nominates them all. The ticks live in
the signed session cookie (one class at a time, at most MAX_PICKED people), never in the
process. Three endpoints, microblog's follow/unfollow style:

- GET  /nominate       the list, at an address holding its filters and page;
- POST /nominate/keep  the filter, page and "clear" buttons (`formaction`): save the ticks,
                       redirect to the list's address, so reload and Back behave as on any list;
- POST /nominate       nominate everyone ticked, all or none.

Works without JavaScript.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.classes import enrolment, overlap
from app.classes.access import load_class
from app.classes.blueprint import bp
from app.classes.enrolment import NominationProblems
from app.classes.forms import NominateForm
from app.classes.models import Application, TrainingClass
from app.classes.overlap import Overlaps
from app.classes.pages import refused
from app.core.paging import Pager, page_number
from app.core.refusal import REFUSED
from app.extensions import db
from app.numbers import parse_id
from app.people import queries as people_queries
from app.people.ethnicities import choices as ethnicity_choices
from app.people.models import Cadre, Position
from app.people.scope import scope_of
from app.timeutil import local_today, utcnow

PAGE_SIZE = 100
MAX_PICKED = 300  # the session cookie holds the ids; a class has far fewer seats
SESSION_KEY = "nominate_picked"


def _filter_args(filters: people_queries.CadreFilters) -> dict:
    args = filters.as_args()
    args.pop("status", None)  # always the active cadres here
    return args


def _list_args(source, page: int) -> dict:
    """The list's address: its own filters, parsed (never raw keys: a stray "class_id" or
    "_external" would clash with url_for's arguments), and the page."""
    args = _filter_args(people_queries.CadreFilters.from_args(source))
    if page > 1:
        args["page"] = page
    return args


def _ids(values) -> list[int]:
    """Posted ids, as integers in the order given, without repeats or junk."""
    out: dict[int, None] = {}
    for value in values:
        if (number := parse_id(value)) is not None:
            out[number] = None
    return list(out)


def picked(class_id: int) -> list[int]:
    saved = session.get(SESSION_KEY) or {}
    mine = saved.get("class") == class_id and saved.get("user") == current_user.id
    return list(saved.get("ids", [])) if mine else []


def _keep(class_id: int, ids: list[int]) -> None:
    if ids:
        session[SESSION_KEY] = {"class": class_id, "user": current_user.id,
                                "ids": ids[:MAX_PICKED]}
    else:
        session.pop(SESSION_KEY, None)


def pick(class_id: int, ids: list[int]) -> None:
    """Add these people to the ticks kept for the class (the reports' planning list sends the
    grassroots leaders not yet trained here, to be nominated with one click)."""
    _keep(class_id, [i for i in picked(class_id) if i not in ids] + list(ids))


def _save_ticks(class_id: int, clear: bool) -> None:
    """The ticks of the page just left replace those of the same people; the others kept."""
    ids: list[int] = []
    if not clear:
        shown = set(_ids(request.form.getlist("shown")))
        ticked = _ids(request.form.getlist("cadre_ids"))
        ids = [i for i in picked(class_id) if i not in shown and i not in ticked] + ticked
    if len(ids) > MAX_PICKED:
        flash(_("Chỉ giữ được %(n)s người đã chọn một lúc; hãy bấm Đề cử rồi chọn tiếp.",
                n=MAX_PICKED), "warning")
    _keep(class_id, ids)


def _closed_page(klass: TrainingClass):
    """Running, finished, cancelled: no list to tick, the reason instead (409)."""
    closed = enrolment.nomination_problem(klass)
    if closed:
        return render_template("classes/nominate.html", klass=klass, closed=closed), 409
    return None


@bp.get("/<int:class_id>/nominate")
@role_required(*COORDINATORS)
def nominate(class_id: int):
    """The cadre list to tick, with its filters and pages and the ticks kept so far."""
    klass = load_class(class_id)
    return _closed_page(klass) or _page(klass, NominateForm(), request.args,
                                        page_number(request.args), picked(class_id), None, 200)


@bp.post("/<int:class_id>/nominate/keep")
@role_required(*COORDINATORS)
def nominate_keep(class_id: int):
    """The filter, page and "clear" buttons: keep the ticks of the page left, then show the
    list at its new address (new filters start at their first page)."""
    klass = load_class(class_id)
    if closed := _closed_page(klass):
        return closed
    clear = request.form.get("action") == "clear"
    _save_ticks(class_id, clear=clear)  # CSRFProtect has checked the token
    here = page_number({"page": request.form.get("at", "")})
    page = page_number(request.form) if "page" in request.form else (here if clear else 1)
    return redirect(url_for("classes.nominate", class_id=class_id,
                            **_list_args(request.form, page)))


@bp.post("/<int:class_id>/nominate")
@role_required(*COORDINATORS)
def nominate_people(class_id: int):
    """Nominate everyone ticked (here and kept from other filters and pages): all or none."""
    klass = load_class(class_id)
    if closed := _closed_page(klass):
        return closed
    form = NominateForm()
    here = page_number({"page": request.form.get("at", "")})
    ticked = _ids(request.form.getlist("cadre_ids"))
    overlaps = None
    if not form.validate_on_submit() or not ticked:
        problems, status = [("", _("Vui lòng chọn ít nhất một cán bộ để đề cử."))], 400
    else:
        try:
            created = enrolment.nominate(current_user, class_id, ticked, utcnow(),
                                         local_today(),
                                         warn_overlap=request.form.get("overlap_ok") != "1")
            db.session.commit()
            _keep(class_id, [])
            flash(_("Đã đề cử %(n)s cán bộ.", n=len(created)), "success")
            # back to the same filters and page: the next commune, or the next page
            return redirect(url_for("classes.nominate", class_id=class_id,
                                    **_list_args(request.form, here)))
        except NominationProblems as exc:
            db.session.rollback()
            problems, status = exc.problems, exc.status
        except Overlaps as exc:  # a warning: the page lists them and offers "Vẫn đề cử"
            db.session.rollback()
            problems, status, overlaps = None, exc.status, exc
        except REFUSED as exc:
            why = refused(exc)
            problems, status = [("", why.message)], why.status
        klass = load_class(class_id)
    _keep(class_id, ticked)  # nothing ticked is lost on an error
    return _page(klass, form, request.form, here, ticked, problems, status, overlaps)


def _page(klass: TrainingClass, form: NominateForm, source, page: int, selected: list[int],
          problems, status: int, overlaps: Overlaps | None = None):
    filters = people_queries.CadreFilters.from_args(source)
    filters.status = "active"
    if not filters.commune and len(klass.invited_units) == 1:
        filters.commune = klass.invited_units[0].id
    scope = scope_of(current_user)
    cadres, total = people_queries.page_of(filters, page, PAGE_SIZE, scope)
    roots = enrolment.unit_roots()
    invited = enrolment.invited_roots(klass, roots)
    on_page = {c.id for c in cadres}
    kept_ids = [i for i in selected if i not in on_page]
    kept = db.session.scalars(people_queries.ordered(select(Cadre).where(
        Cadre.id.in_(kept_ids), scope.cadre_condition()))).unique().all() if kept_ids else []
    applied = {a.cadre_id: a for a in db.session.scalars(select(Application).where(
        Application.class_id == klass.id,
        Application.cadre_id.in_(list(on_page) + [c.id for c in kept])))}
    # a person picked elsewhere who can no longer be nominated (applied meanwhile, moved,
    # deactivated) is listed with the reason, unticked: the next filter or page drops them
    elsewhere = [(c, _problem(klass, c, roots, invited, applied.get(c.id))) for c in kept]
    rows = [(c, _problem(klass, c, roots, invited, applied.get(c.id))) for c in cadres]
    clashing = overlap.clashes(klass, [c.id for c in cadres] + [c.id for c in kept])
    named = {c.id: c for c in list(cadres) + list(kept)}
    return render_template(
        "classes/nominate.html", klass=klass, form=form, rows=rows, filters=filters,
        selected=set(selected), elsewhere=elsewhere,
        **Pager(page, PAGE_SIZE, total, _filter_args(filters)).context(),
        communes=list(people_queries.communes(current_only=True, scope=scope)),
        positions=db.session.scalars(select(Position).where(Position.active.is_(True))
                                     .order_by(Position.sort_order)).all(),
        ethnicities=ethnicity_choices(), problems=problems, clashing=clashing,
        overlaps=[(named.get(i), found) for i, found in overlaps.clashes.items()]
        if overlaps else [], describe=overlap.describe), status


def _problem(klass, cadre, roots, invited, application) -> str | None:
    """Why this cadre cannot be ticked: an application already made, or not eligible."""
    if application is not None and application.status != "withdrawn":
        return _(application.status_label)
    return enrolment.eligibility_problem(klass, cadre, roots, invited)
