"""Who the viewer is to a class and what they may do with it (object checks; the routes
declare the roles). Mirrors `app/courses/access.py`.

- A coordinator (or admin) runs every class.
- A trainer is related to the classes they teach.
- A learner is related to a class they applied for (any status), or to one they may apply
  for now (it takes applications and invites their commune).
Anyone else gets 403 from the view.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from flask import abort
from sqlalchemy import select

from app.classes.enrolment import eligibility_problem
from app.classes.models import Application, TrainingClass
from app.extensions import db

Relation = Literal["coordinator", "trainer", "learner"]


def load_class(class_id: int) -> TrainingClass:
    """The class of a URL, or 404 (flaskr's `get_post`); the view then asks `relation`."""
    return db.get_or_404(TrainingClass, class_id)


def cadre_of(user):
    """The cadre record a learner's account is linked to (None for staff accounts)."""
    return getattr(user, "cadre", None)


def own_application(user, klass: TrainingClass) -> Application | None:
    """The user's own application to the class (any status), or None."""
    cadre = cadre_of(user)
    if cadre is None:
        return None
    return db.session.scalar(select(Application).where(
        Application.class_id == klass.id, Application.cadre_id == cadre.id))


def may_apply(user, klass: TrainingClass, today: date) -> bool:
    """A learner whose commune is invited, while the class takes applications."""
    cadre = cadre_of(user)
    return (cadre is not None and user.has_role("learner") and klass.takes_applications(today)
            and eligibility_problem(klass, cadre) is None)


def relation(user, klass: TrainingClass, today: date) -> Relation | None:
    """What the user is to the class: "coordinator", "trainer" (of this class), "learner"
    (applied, or may apply now), or None (no business with it)."""
    if user.is_coordinator:
        return "coordinator"
    if user.has_role("trainer") and klass.has_trainer(user):
        return "trainer"
    if user.has_role("learner") and (own_application(user, klass) is not None
                                     or may_apply(user, klass, today)):
        return "learner"
    return None


def require_relation(user, klass: TrainingClass, today: date) -> Relation:
    """`relation`, or 403."""
    found = relation(user, klass, today)
    if found is None:
        abort(403)
    return found


def may_print(user, klass: TrainingClass) -> bool:
    """The class's papers (admitted list, sign-in sheets): coordinators and its trainers."""
    return user.is_coordinator or (user.has_role("trainer") and klass.has_trainer(user))


def may_withdraw(user, application: Application) -> bool:
    """Coordinators withdraw anyone; a learner only their own application."""
    if user.is_coordinator:
        return True
    cadre = cadre_of(user)
    return cadre is not None and application.cadre_id == cadre.id


def load_application(klass: TrainingClass, application_id: int) -> Application:
    """An application of this class, or 404 (an id of another class is not found here)."""
    application = db.session.get(Application, application_id)
    if application is None or application.class_id != klass.id:
        abort(404)
    return application
