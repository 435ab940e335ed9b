"""Which audit entries a user may read: the one decision (`visible_to`).

- An admin reads every entry.
- A coordinator reads the entries about the objects they may manage, plus those about their own
  account. The features that own those objects say which, by registering a rule for their
  object type in `init_app` (`register(app, "cadre", rule)`): `rule(user)` gives an SQL
  condition on `AuditEntry.object_id` (for example `AuditEntry.object_id.in_(<the ids of the
  cadres of the user's unit>)`), or None for every object of that type. Today coordinators
  manage every cadre, unit, class, session, course and plan, so the features register None;
  a scope by unit plugs in there, in one place per object type, and this page follows.
- Anyone else reads nothing here.

The audit log sits below every feature (it is written by all of them), so it asks the rules
of the features above instead of importing them, as `classes.enrolment.trained_before` does.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import and_, false, or_, true

from app.audit.models import AuditEntry

Rule = Callable[[object], object]
_KEY = "audit_scopes"


def register(app, object_type: str, rule: Rule | None = None) -> None:
    """Coordinators read the entries about `object_type` that `rule(user)` selects (None: all)."""
    app.extensions.setdefault(_KEY, {})[object_type] = rule


def object_types() -> list[str]:
    """The object types coordinators may read entries about (the filter's choices)."""
    return sorted(current_app.extensions.get(_KEY, {}))


def visible_to(user):
    """The SQL condition on AuditEntry selecting what `user` may read."""
    if user.has_role("admin"):
        return true()
    if not user.has_role("coordinator"):
        return false()
    parts = [and_(AuditEntry.object_type == "user", AuditEntry.object_id == user.id)]
    for object_type, rule in current_app.extensions.get(_KEY, {}).items():
        condition = AuditEntry.object_type == object_type
        narrower = rule(user) if rule is not None else None
        parts.append(condition if narrower is None else and_(condition, narrower))
    return or_(*parts)
