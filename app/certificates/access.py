"""Who may do what with certificates (object checks; the routes declare the roles).

- A class's eligibility list: coordinators and the class's trainers (`classes.access.may_print`);
  its trainers and coordinators confirm the results; only coordinators issue, revoke, reissue
  and print the class's certificates and the register.
- One certificate's PDF: coordinators, and the learner who holds it (nobody else's: 404, so a
  code is not confirmed to exist).
- /verify is public.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from app.certificates import codes
from app.certificates.models import Certificate
from app.classes import access as class_access
from app.classes.models import TrainingClass
from app.extensions import db
from app.people.models import Cadre


def may_see_class(user, klass: TrainingClass) -> bool:
    return class_access.may_print(user, klass)


def require_see_class(user, klass: TrainingClass) -> None:
    if not may_see_class(user, klass):
        abort(403)


def holds(user, certificate: Certificate) -> bool:
    """The user's account is the holder's."""
    return certificate.cadre_id is not None and db.session.scalar(
        select(Cadre.user_id).where(Cadre.id == certificate.cadre_id)) == user.id


def may_download(user, certificate: Certificate) -> bool:
    return user.is_coordinator or holds(user, certificate)


def find(code: str | None) -> Certificate | None:
    normal = codes.normalise(code)
    if normal is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == normal))


def load_certificate(code: str) -> Certificate:
    """The certificate of a URL's code, or 404."""
    found = find(code)
    if found is None:
        abort(404)
    return found
