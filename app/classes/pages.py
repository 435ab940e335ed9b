"""Pages that several class views render, with an optional refusal shown on them: the class
page (a refused withdrawal or application comes back to it) and the trainer's and learner's
list of classes."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.classes import access, enrolment, list_rows, overlap, queries
from app.classes import status as st
from app.classes.models import TrainingClass
from app.core.forms import EmptyForm
from app.core.paging import Pager, page_number
from app.core.refusal import Refusal, refusal
from app.timeutil import local_today


def refused(exc: Exception) -> Refusal:
    """`core.refusal.refusal`, wording a concurrent change for a class page."""
    return refusal(exc, conflict=_("Có người khác vừa thay đổi lớp này cùng lúc; chưa lưu gì. "
                                   "Vui lòng thử lại."))


def detail_page(klass: TrainingClass, error: str | None = None, status: int = 200,
                active: int | None = None):
    """The class page as the viewer's relation shows it (403 when they have none). `active`:
    its active applications, when already counted (`queries.read_for_page`)."""
    today = local_today()
    queries.load_page_parts(klass)  # what it shows of the class (none left by `read_for_page`)
    role = access.require_relation(current_user, klass, today)
    own = access.own_application(current_user, klass) if role == "learner" else None
    staff = role != "learner"
    may_apply = role == "learner" and klass.takes_applications(today) \
        and (own is None or own.status == "withdrawn")
    cadre = access.cadre_of(current_user) if may_apply else None
    return render_template(
        "classes/detail.html", klass=klass, role=role, own=own,
        admitted=enrolment.admitted_cadres(klass) if staff else [],
        active=active if active is not None or role != "coordinator"
        else queries.active_applications(klass.id),
        history=queries.class_history(klass.id) if staff else [],
        next_steps=st.next_steps(klass.status), status_labels=st.STATUS_LABELS,
        may_apply=may_apply,
        overlaps=overlap.clashes(klass, [cadre.id]).get(cadre.id, []) if cadre else [],
        describe=overlap.describe, error=error), status


MINE_LISTS = ("trained", "mine", "open")


def mine_page(error: str | None = None, status: int = 200):
    """Trainers' and learners' list: the classes they teach; their own applications and the
    classes open to them. Each list is one page, cut in SQL (`?list=open&page=2`)."""
    size = current_app.config["PAGE_SIZE"]
    chosen = request.args.get("list")
    asked = page_number(request.args)
    lists: dict[str, tuple[list, Pager]] = {}

    def add(name: str, query: queries.Asked) -> None:
        page = asked if chosen == name else 1
        rows, total = queries.paged(query, page, size)
        if not rows and total and page > 1:  # beyond the end: the last page
            page = -(-total // size)
            rows, total = queries.paged(query, page, size)
        lists[name] = (list_rows.lines(rows), Pager(page, size, total, {"list": name}))

    cadre = queries.learner_cadre(current_user.id) if current_user.has_role("learner") else None
    today = local_today()
    if current_user.has_role("trainer"):
        add("trained", queries.taught(current_user.id))
    if current_user.has_role("learner") and cadre is not None:
        add("mine", queries.applications_of(cadre.id))
        roots = enrolment.unit_roots()
        home = roots.get(cadre.commune_id, cadre.commune_id)
        communes = {u for u, r in roots.items() if r == home} | {home}
        add("open", queries.open_to(cadre.id, communes if cadre.active else set(), today))
    return render_template("classes/mine.html", lists=lists, cadre=cadre,
                           apply_form=EmptyForm(), today=today, error=error), status
