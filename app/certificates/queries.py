"""Lists of certificates for pages (constant numbers of queries)."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from app.certificates.models import Certificate
from app.classes.access import scope_condition
from app.classes.models import TrainingClass
from app.core import written
from app.extensions import db
from app.people.scope import scope_of
from app.vietnamese import name_sort_key


def of_class(class_id: int) -> list[Certificate]:
    """Every certificate of the class (revoked too), newest number last."""
    return list(db.session.scalars(select(Certificate).where(Certificate.class_id == class_id)
                                   .options(joinedload(Certificate.replaced_by))
                                   .order_by(Certificate.year, Certificate.seq)).unique())


def in_force_of_class(class_id: int) -> list[Certificate]:
    """The class's certificates in force, in Vietnamese name order (one page each)."""
    found = db.session.scalars(select(Certificate).where(
        Certificate.class_id == class_id, Certificate.revoked_at.is_(None))).unique().all()
    return sorted(found, key=lambda c: (name_sort_key(c.holder_name), c.id))


def of_cadre(cadre_id: int) -> list[Certificate]:
    """The certificates held by a cadre (a learner's, on their home page), newest first."""
    return list(db.session.scalars(_of_cadre(), {"cadre_id": cadre_id}).unique())


@cache
def _of_cadre() -> Select:
    """`of_cadre`'s statement, built once per process (the cadre a parameter): SQLAlchemy keeps
    a statement's cache key with it, so a request neither builds it nor works its key out."""
    return (select(Certificate).where(Certificate.cadre_id == bindparam("cadre_id"))
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc()))


def register_query(date_from: date | None, date_to: date | None, user) -> Select:
    """The register (sổ cấp): certificates issued in the period, by date and number, of the
    classes in the user's scope (a commune coordinator's: their commune's classes)."""
    query = select(Certificate).join(TrainingClass, TrainingClass.id == Certificate.class_id)\
        .where(scope_condition(scope_of(user)))
    if date_from is not None:
        query = query.where(Certificate.issued_on >= date_from)
    if date_to is not None:
        query = query.where(Certificate.issued_on <= date_to)
    return query.options(joinedload(Certificate.replaced_by)).order_by(
        Certificate.issued_on.asc(), Certificate.year, Certificate.seq, Certificate.id)


def register(date_from: date | None, date_to: date | None, user) -> list[Certificate]:
    """The whole register of the period (the printed book and the workbook)."""
    return list(db.session.scalars(register_query(date_from, date_to, user)).unique())


def recent_classes(user, limit: int = 20) -> list[TrainingClass]:
    """Finished classes of the user's scope, latest first (the register page links their
    eligibility lists)."""
    return list(db.session.scalars(select(TrainingClass).where(
        TrainingClass.status == "finished", scope_condition(scope_of(user)))
        .order_by(TrainingClass.end_date.desc())
        .limit(written.number(limit))).unique())
