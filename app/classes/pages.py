"""Pages that several class views render, with an optional refusal shown on them: the class
page (a refused withdrawal or application comes back to it) and the trainer's and learner's
list of classes."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.classes import access, enrolment, overlap, queries
from app.classes import status as st
from app.classes.forms import ReasonForm, StatusForm
from app.classes.models import TrainingClass
from app.core.forms import EmptyForm
from app.core.refusal import Refusal, refusal
from app.timeutil import local_today


def refused(exc: Exception) -> Refusal:
    """`core.refusal.refusal`, wording a concurrent change for a class page."""
    return refusal(exc, conflict=_("Có người khác vừa thay đổi lớp này cùng lúc; chưa lưu gì. "
                                   "Vui lòng thử lại."))


def detail_page(klass: TrainingClass, error: str | None = None, status: int = 200):
    """The class page as the viewer's relation shows it (403 when they have none)."""
    today = local_today()
    role = access.require_relation(current_user, klass, today)
    own = access.own_application(current_user, klass) if role == "learner" else None
    staff = role != "learner"
    may_apply = role == "learner" and klass.takes_applications(today) \
        and (own is None or own.status == "withdrawn")
    cadre = access.cadre_of(current_user) if may_apply else None
    return render_template(
        "classes/detail.html", klass=klass, role=role, own=own,
        admitted=enrolment.admitted_cadres(klass) if staff else [],
        counts=queries.application_counts([klass.id])[klass.id],
        history=queries.class_history(klass.id) if staff else [],
        next_steps=st.next_steps(klass.status), status_labels=st.STATUS_LABELS,
        status_form=StatusForm(), reason_form=ReasonForm(), apply_form=EmptyForm(),
        may_apply=may_apply,
        overlaps=overlap.clashes(klass, [cadre.id]).get(cadre.id, []) if cadre else [],
        describe=overlap.describe, error=error), status


def mine_page(error: str | None = None, status: int = 200):
    """Trainers' and learners' list: the classes they teach; their own applications and the
    classes open to them."""
    trained = queries.class_list(trainer_id=current_user.id) \
        if current_user.has_role("trainer") else []
    mine, open_classes = [], []
    cadre = access.cadre_of(current_user)
    today = local_today()
    if current_user.has_role("learner") and cadre is not None:
        mine = queries.my_applications(cadre.id)
        applied = {a.class_id for a in mine}
        roots = enrolment.unit_roots()
        open_classes = [c for c in queries.class_list(
                            condition=TrainingClass.status.in_(st.TAKES_APPLICATIONS),
                            with_units=True)
                        if c.id not in applied and c.takes_applications(today)
                        and enrolment.eligibility_problem(c, cadre, roots) is None]
    return render_template("classes/mine.html", trained=trained, mine=mine,
                           open_classes=open_classes, cadre=cadre, apply_form=EmptyForm(),
                           today=today, error=error), status
