"""Who the viewer is to a class and what they may do with it (object checks; the routes
declare the roles). Mirrors `app/courses/access.py`.

- A coordinator (or admin) runs the classes of their scope (`in_scope`, after
  `app/people/scope.py`): all of them for the whole province, for a commune coordinator
  those that invite only their commune (or its villages). `load_class` holds every route to
  it: on a route declared for coordinators only, a class outside the scope is refused (403).
- A trainer is related to the classes they teach.
- A learner is related to a class they applied for (any status), or to one they may apply
  for now (it takes applications and invites their commune).
Anyone else gets 403 from the view.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from flask import abort, current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import and_, exists, select, true
from sqlalchemy.orm import joinedload

from app.auth.roles import COORDINATORS
from app.classes.enrolment import eligibility_problem
from app.classes.models import Application, TrainingClass, class_units
from app.extensions import db
from app.people.scope import Scope, scope_of
from app.timeutil import local_today

Relation = Literal["coordinator", "trainer", "learner"]

# The applications page reads the class with its course (its title heads the page).
PAGE_LOADS = (joinedload(TrainingClass.course),)


def load_class(class_id: int, *options) -> TrainingClass:
    """The class of a URL, or 404 (flaskr's `get_post`); the view then asks `relation`.
    `options`: loader options for what the page shows of it (the class page reads it first:
    `queries.read_for_page`, found here in the session).

    A coordinator outside whose scope the class lies is refused here (403), once for every
    route: on a route declared for coordinators only (applications, nominating, the forms,
    papers...), and on a shared route when they are nothing else to the class (its trainer,
    say)."""
    klass = db.get_or_404(TrainingClass, class_id, options=options)
    if not has_request_context() or not current_user.is_authenticated \
            or not current_user.is_coordinator or in_scope(current_user, klass):
        return klass
    view = current_app.view_functions.get(request.endpoint)
    roles = getattr(view, "access", None)
    coordinators_only = isinstance(roles, frozenset) and roles <= set(COORDINATORS)
    if coordinators_only or relation(current_user, klass, local_today()) is None:
        abort(403)
    return klass


def in_scope(user, klass: TrainingClass) -> bool:
    """The class is one the coordinator runs: everything for the whole province; for a
    commune coordinator, a class that invites only units of their commune."""
    return scope_of(user).covers_class(klass)


def scope_condition(scope: Scope):
    """SQL condition on TrainingClass for the lists: `in_scope` in SQL."""
    if scope.whole:
        return true()
    invited = class_units.c.class_id == TrainingClass.id
    return and_(exists().where(invited),
                ~exists().where(invited, class_units.c.unit_id.notin_(sorted(scope.unit_ids))))


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
    if user.is_coordinator and in_scope(user, klass):
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
    """The class's papers (admitted list, sign-in sheets): its coordinators and trainers."""
    return (user.is_coordinator and in_scope(user, klass)) or (
        user.has_role("trainer") and klass.has_trainer(user))


def may_withdraw(user, application: Application) -> bool:
    """Coordinators withdraw anyone; a learner only their own application."""
    if user.is_coordinator and in_scope(user, klass_of(application)):
        return True
    cadre = cadre_of(user)
    return cadre is not None and application.cadre_id == cadre.id


def klass_of(application: Application) -> TrainingClass:
    return application.training_class


def load_application(klass: TrainingClass, application_id: int) -> Application:
    """An application of this class, or 404 (an id of another class is not found here)."""
    application = db.session.get(Application, application_id)
    if application is None or application.class_id != klass.id:
        abort(404)
    return application
