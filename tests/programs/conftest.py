"""Fixtures for the programs tests: the reference lists as `flask setup` loads them."""

from types import SimpleNamespace

import pytest

from tests.classes.conftest import make_class  # noqa: F401 - the classes' factory, reused


@pytest.fixture()
def reference(db):
    """The two programs, the component, activity types and funding sources, committed."""
    from sqlalchemy import select

    from app.programs.models import ActivityType, Component, FundingSource, Program
    from app.programs.reference import ensure_reference

    ensure_reference()
    db.session.commit()
    programs = {p.code: p for p in db.session.scalars(select(Program))}
    return SimpleNamespace(
        old=programs["gnbv-2021-2025"], new=programs["mtqg-2026-2035"],
        component=db.session.scalar(select(Component)),
        types={t.code: t for t in db.session.scalars(select(ActivityType))},
        funds={f.code: f for f in db.session.scalars(select(FundingSource))})
