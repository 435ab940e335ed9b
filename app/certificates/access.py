"""Who may do what with certificates (object checks; the routes declare the roles).

- A class's eligibility list: coordinators and the class's trainers (`classes.access.may_print`);
  its trainers and coordinators confirm the results; only coordinators issue, revoke, reissue
  and print the class's certificates and the register.
- One certificate's PDF: the coordinators whose scope holds its class (`classes.access.
  in_scope`: a commune coordinator only for a class of their commune), and the learner who
  holds it (nobody else's: 404, so a code is not confirmed to exist). Its page, revoking and
  reissuing: those coordinators (403 for the others). The register lists the certificates of
  the classes in the coordinator's scope (`queries.register`).
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


def may_manage(user, certificate: Certificate) -> bool:
    """A coordinator whose scope holds the certificate's class."""
    klass = db.session.get(TrainingClass, certificate.class_id)
    return user.is_coordinator and klass is not None and class_access.in_scope(user, klass)


def may_download(user, certificate: Certificate) -> bool:
    return holds(user, certificate) or may_manage(user, certificate)


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


def load_managed(code: str, user) -> Certificate:
    """The certificate of a URL's code for its page, revoking and reissuing: 404 when there is
    none, 403 when its class is outside the coordinator's scope."""
    found = load_certificate(code)
    if not may_manage(user, found):
        abort(403)
    return found
