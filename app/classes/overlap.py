"""Two classes of one person on the same days (issue 14): the one rule, for the learner who
applies and the coordinator who nominates. It warns, never refuses: the coordinator (or the
learner, once warned) may go on, since one of the classes may be given up later.

A class overlaps another when their dates share at least one day (both ends included) and
the person holds an active application (applied, admitted, waitlisted) to the other one,
which is not cancelled."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from app.classes.models import ACTIVE_APPLICATIONS, Application, TrainingClass
from app.core.refusal import Refusal
from app.extensions import db
from app.vietnamese import format_date


class Overlaps(Refusal):
    """Raised by a workflow asked not to go on when a class overlaps (409): `clashes` says
    who and with which classes; the page shows them and offers to go on."""

    def __init__(self, clashes: dict[int, list[TrainingClass]], message: str | None = None):
        self.clashes = clashes
        super().__init__(message or _("Lớp này trùng ngày với lớp khác của cùng người."),
                         status=409)


def clashes(klass: TrainingClass, cadre_ids) -> dict[int, list[TrainingClass]]:
    """For each of `cadre_ids` holding a class on some day of `klass`, those classes, soonest
    first (one query)."""
    ids = list(cadre_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Application.cadre_id, TrainingClass)
        .join(TrainingClass, TrainingClass.id == Application.class_id)
        .where(Application.cadre_id.in_(ids), Application.class_id != klass.id,
               Application.status.in_(ACTIVE_APPLICATIONS), ~TrainingClass.is_cancelled,
               TrainingClass.start_date <= klass.end_date,
               TrainingClass.end_date >= klass.start_date)
        .order_by(TrainingClass.start_date, TrainingClass.code)).all()
    out: dict[int, list[TrainingClass]] = defaultdict(list)
    for cadre_id, other in rows:
        out[cadre_id].append(other)
    return dict(out)


def describe(other: TrainingClass) -> str:
    """"TH-02 Bình đẳng giới… (06/12/2026 – 07/12/2026)", for the warnings."""
    days = format_date(other.start_date) if other.start_date == other.end_date else \
        f"{format_date(other.start_date)} – {format_date(other.end_date)}"
    return f"{other.code} {other.title} ({days})"
