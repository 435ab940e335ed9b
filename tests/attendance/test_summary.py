"""The attendance summary equals a recount of the marks after every kind of write: the
marking page (first save, changes, two sessions of one date), a phone's operations (superseded,
duplicate, held then approved or declined, a conflict settled), a coordinator's correction of a
finished class, a photo of the signed sheet confirmed, a session added or removed or moved, an
application withdrawn; and migration 0028's fill gives the same rows."""

import importlib
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text

from app.attendance import marking, ops
from app.attendance.marking import Entry
from app.attendance.models import AttendanceSummary, MarkedSession
from app.classes import service
from app.classes.models import ClassSession
from tests.attendance.conftest import by_name, first, last
from tests.attendance.opkit import op, send, started
from tests.attendance.summarykit import assert_exact, stored


def _save(db, actor, klass, sessions, statuses, now, **kw):
    """Save every learner's mark in these sessions: `statuses` by cadre name (present else)."""
    entries = {s.id: {a.id: Entry(statuses.get(a.cadre.full_name, "present"), "")
                      for a in klass.applications if a.status == "admitted"}
               for s in sessions}
    marking.save(actor, klass, entries, now, **kw)
    db.session.commit()


def test_the_marking_page_keeps_the_summary(db, users, running, now):
    klass, applications = running()
    morning, afternoon = klass.sessions[0], klass.sessions[1]  # yesterday's two
    people = by_name(applications)
    _save(db, users["trainer"], klass, [morning], {"Phạm Văn Ba": "late"}, now)
    rows = assert_exact()
    assert len(rows) == 4
    ba = rows[people["Phạm Văn Ba"].id]
    assert (ba["present"], ba["late"], ba["days_1"], ba["days_2"], ba["days_3"]) == (0, 1, 0,
                                                                                    1, 1)
    # the afternoon of the same date: one day more for nobody, a session more for everyone
    _save(db, users["trainer"], klass, [afternoon], {"Đinh Văn Út": "absent"}, now)
    rows = assert_exact()
    ut = rows[people["Đinh Văn Út"].id]
    assert (ut["present"], ut["absent"], ut["days_1"], ut["days_8"], ut["days_9"]) == (1, 1, 1,
                                                                                      1, 1)
    # a change back and forth, in one save of both sessions
    _save(db, users["coordinator"], klass, [morning, afternoon], {"Phạm Văn Ba": "excused"},
          now)
    rows = assert_exact()
    assert rows[people["Phạm Văn Ba"].id]["excused"] == 2
    # a note alone changes no count and writes no summary statement
    marking.save(users["trainer"], klass, {morning.id: {people["Hồ Thị An"].id:
                                                        Entry("present", "đến sớm")}}, now,
                 partial=True)
    db.session.commit()
    assert assert_exact() == rows


def test_operations_in_any_order_superseded_duplicate_held_and_settled(db, users, running):
    klass, applications = running()
    session = first(klass)
    people = by_name(applications)
    hoa, an, ba = people["Đinh Thị Hoa"], people["Hồ Thị An"], people["Phạm Văn Ba"]
    at = started(session) + timedelta(minutes=5)
    later = op(session, hoa, "late", taken=at + timedelta(minutes=3))
    earlier = op(session, hoa, "present", taken=at)
    send(users["trainer"], [later], at + timedelta(hours=1))
    answers = send(users["trainer"], [earlier, later], at + timedelta(hours=2))
    assert [a["result"] for a in answers] == ["superseded", "duplicate"]
    assert assert_exact()[hoa.id]["late"] == 1
    # held (arrived days late), then approved; another declined
    held = op(session, an, "excused", taken=at)
    declined = op(session, ba, "absent", taken=at)
    send(users["trainer"], [held, declined], at + timedelta(days=3))
    assert an.id not in assert_exact()
    waiting = {o.op_id: o for o in ops.pending([session.id])}
    ops.decide(users["coordinator"], waiting[held["op_id"]], True, at + timedelta(days=3))
    ops.decide(users["coordinator"], waiting[declined["op_id"]], False, at + timedelta(days=3))
    db.session.commit()
    rows = assert_exact()
    assert rows[an.id]["excused"] == 1 and ba.id not in rows
    # two people disagree; the coordinator keeps the beaten mark
    mine = op(session, hoa, "absent", taken=at + timedelta(minutes=10))
    send(users["coordinator"], [mine], at + timedelta(hours=3))
    assert assert_exact()[hoa.id]["absent"] == 1
    (found,) = ops.conflicts([session.id])
    ops.settle(users["coordinator"], found.loser, at + timedelta(hours=4))
    db.session.commit()
    assert assert_exact()[hoa.id]["late"] == 1


def test_a_coordinators_correction_and_a_photo_confirmed(db, users, running, now):
    klass, applications = running()
    morning, afternoon = klass.sessions[0], klass.sessions[1]
    _save(db, users["trainer"], klass, [morning], {}, now)
    klass.status = "finished"
    db.session.commit()
    _save(db, users["coordinator"], klass, [morning], {"Đinh Thị Hoa": "absent"}, now,
          reason="Danh sách ký cho thấy chị Hoa vắng")
    assert assert_exact()[by_name(applications)["Đinh Thị Hoa"].id]["absent"] == 1
    # a photographed page holds two of the rows (sheetphotos.service.confirm saves this way)
    two = {a.id: Entry("late", "") for a in applications[:2]}
    marking.save(users["coordinator"], klass, {afternoon.id: two}, now, partial=True,
                 source="photo", reason="Nhập từ ảnh danh sách ký")
    db.session.commit()
    rows = assert_exact()
    assert [rows[a.id]["late"] for a in applications] == [1, 1, 0, 0]


def test_sessions_added_removed_or_moved_and_an_application_withdrawn(db, users, running,
                                                                       now):
    klass, applications = running()
    morning, afternoon = klass.sessions[0], klass.sessions[1]
    _save(db, users["trainer"], klass, [morning, afternoon], {}, now)
    before = assert_exact()
    assert {r["days_1"] for r in before.values()} == {1}  # two sessions, one date
    service.delete_session(users["coordinator"], klass, last(klass))  # never marked
    db.session.commit()
    assert assert_exact() == before
    with pytest.raises(MarkedSession):  # a marked session is not removed
        service.delete_session(users["coordinator"], klass, morning)
    db.session.rollback()
    assert assert_exact() == before
    # a marked session moved to another date (no page does it; the rows follow anyway)
    db.session.get(ClassSession, afternoon.id).date = morning.date - timedelta(days=1)
    db.session.commit()
    rows = assert_exact()
    assert {r["days_1"] for r in rows.values()} == {2}
    # withdrawn after being marked: the marks and their row stay (the reports count only
    # the admitted)
    application = applications[0]
    application.status = "withdrawn"
    db.session.commit()
    assert assert_exact() == rows


def test_marks_deleted_by_the_orm_leave_no_row(db, users, running, now):
    from app.attendance.models import AttendanceMark

    klass, applications = running()
    _save(db, users["trainer"], klass, [first(klass)], {}, now)
    mark = db.session.scalar(select(AttendanceMark).where(
        AttendanceMark.application_id == applications[0].id))
    db.session.delete(mark)
    db.session.commit()
    assert applications[0].id not in assert_exact()


def test_migration_0028_fills_the_same_rows(db, users, running, now):
    klass, applications = running()
    _save(db, users["trainer"], klass, klass.sessions[:2], {"Hồ Thị An": "late",
                                                            "Đinh Văn Út": "absent"}, now)
    kept = assert_exact()
    db.session.execute(delete(AttendanceSummary))
    migration = importlib.import_module("migrations.versions.0028_attendance_summary")
    db.session.execute(text(migration.fill_sql()))
    db.session.commit()
    assert stored() == kept
