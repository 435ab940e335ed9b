"""Two coordinators confirming the same photographed page at the same moment: it is written
once, the second is told it was confirmed (PostgreSQL row locks: the test runs only when
TEST_DATABASE_URL is PostgreSQL)."""

import io
import os

import pytest
from sqlalchemy import func, select

from app.attendance.marking import Entry
from app.attendance.models import AttendanceEvidence, AttendanceMark
from app.audit.models import AuditEntry
from app.core.refusal import Refusal
from app.sheetphotos.models import SheetReading
from app.timeutil import utcnow
from tests.race import race
from tests.sheetphotos.conftest import photo_of

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="TEST_DATABASE_URL is not PostgreSQL")


def _confirm(user_id, class_id, reading_id, entries):
    def job():
        from flask import current_app

        from app.auth.models import User
        from app.classes.models import TrainingClass
        from app.extensions import db
        from app.sheetphotos import service

        service.confirm(db.session.get(User, user_id), db.session.get(TrainingClass, class_id),
                        db.session.get(SheetReading, reading_id), entries, {}, utcnow(),
                        current_app.config["UPLOAD_DIR"])
    return job


def test_two_confirmations_at_once_write_the_page_once(app, client, db, users, running,
                                                       printed, make_user):
    klass, applications = running()
    pdf, sheet = printed(klass)
    photo, _cells = photo_of(pdf, sheet, seed=4)
    response = client.post(f"/classes/{klass.id}/sheet-photos/new",
                           data={"photos": [(io.BytesIO(photo.jpeg), "a.jpg")]},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    reading_id = db.session.scalar(select(SheetReading.id))
    first = klass.sessions[0]
    entries = {first.id: {a.id: Entry("present") for a in applications}}
    second = make_user("dieuphoi2", roles=("coordinator",))
    outcome = race(app, [_confirm(users["coordinator"].id, klass.id, reading_id, entries),
                         _confirm(second.id, klass.id, reading_id, entries)], Refusal)
    assert (outcome.ok, outcome.refused, outcome.errors) == (1, 1, [])
    assert "đã được xác nhận" in outcome.messages[0]
    db.session.expire_all()

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    assert count(AttendanceMark) == len(applications)
    assert count(AuditEntry, AuditEntry.action == "sheetphotos.confirm") == 1
    assert count(AttendanceEvidence, AttendanceEvidence.session_id == first.id) == 1
