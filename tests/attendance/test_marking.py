"""Taking attendance in the domain (`marking.save`): marking and re-marking, the audit log,
all or nothing on bad input, sessions that have not started, finished classes, two pages open
at once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.attendance import marking
from app.attendance.marking import AttendanceError, Entry
from app.attendance.models import AttendanceMark
from app.audit.models import AuditEntry
from tests.attendance.conftest import by_name, first, last, upcoming_now


def _marks(db, session):
    db.session.expire_all()
    return db.session.scalars(select(AttendanceMark).where(
        AttendanceMark.session_id == session.id)).all()


def _statuses(db, session, applications):
    db.session.expire_all()
    names = {a.id: a.cadre.full_name for a in applications}
    return {names[m.application_id]: m.status for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session.id))}


def _audit(db, action=None):
    query = select(AuditEntry).where(AuditEntry.action.startswith("attendance.")) \
        .order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return db.session.scalars(query).all()


def _all(applications, status="present", **changes):
    """Entries for every learner: `status`, except {application id: status} in `changes`."""
    return {a.id: Entry(changes.get(a.cadre.full_name, status), "") for a in applications}


def _save(db, actor, klass, session, entries, now, **kw):
    results = marking.save(actor, klass, {session.id: entries}, now, **kw)
    db.session.commit()
    return results[0]


def test_first_save_marks_everyone_with_one_audit_entry(db, users, running, now):
    klass, applications = running()
    session = first(klass)
    saved = _save(db, users["trainer"], klass, session,
                  _all(applications, **{"Phạm Văn Ba": "late", "Đinh Văn Út": "absent"}), now)
    assert (saved.created, saved.changed) == (4, 0)
    assert _statuses(db, session, applications) == {
        "Hồ Thị An": "present", "Phạm Văn Ba": "late", "Đinh Thị Hoa": "present",
        "Đinh Văn Út": "absent"}
    (entry,) = _audit(db)
    assert entry.action == "attendance.mark" and entry.user_id == users["trainer"].id
    assert "2 có mặt, 1 đi muộn, 1 vắng không phép" in entry.summary
    mark = db.session.scalar(select(AttendanceMark).limit(1))
    assert mark.marked_by_id == users["trainer"].id and mark.marked_at == now


def test_saving_twice_changes_nothing(db, users, running, now):
    klass, applications = running()
    session = first(klass)
    entries = _all(applications)
    _save(db, users["trainer"], klass, session, entries, now)
    before = len(_audit(db))
    again = _save(db, users["trainer"], klass, session, entries, now + timedelta(minutes=1),
                  shown={(session.id, a.id): Entry("", "") for a in applications})
    assert (again.created, again.changed) == (0, 0) and not again.wrote
    assert len(_audit(db)) == before
    assert {m.marked_at for m in _marks(db, session)} == {now}


def test_a_change_after_the_first_save_is_audited_with_old_and_new(db, users, running, now):
    klass, applications = running()
    session = first(klass)
    hoa = by_name(applications)["Đinh Thị Hoa"]
    _save(db, users["trainer"], klass, session, _all(applications), now)
    shown = {(session.id, a.id): Entry("present", "") for a in applications}
    later = now + timedelta(hours=1)
    saved = _save(db, users["coordinator"], klass, session,
                  {**_all(applications), hoa.id: Entry("excused", "Ốm, có giấy xin phép")},
                  later, shown=shown)
    assert (saved.created, saved.changed) == (0, 1)
    (change,) = _audit(db, "attendance.change")
    assert change.user_id == users["coordinator"].id
    assert change.data["old"] == {"status": "present", "note": ""}
    assert change.data["new"] == {"status": "excused", "note": "Ốm, có giấy xin phép"}
    assert "Đinh Thị Hoa: Có mặt → Vắng có phép" in change.summary
    mark = db.session.scalar(select(AttendanceMark).where(
        AttendanceMark.application_id == hoa.id))
    assert (mark.status, mark.note, mark.marked_at, mark.marked_by_id) == (
        "excused", "Ốm, có giấy xin phép", later, users["coordinator"].id)


@pytest.mark.parametrize(("change", "expected"), [
    ("not admitted", "không có trong danh sách được triệu tập"),
    ("unknown status", "“maybe” không phải trạng thái điểm danh"),
    ("missing learner", "Chưa điểm danh"),
    ("long note", "tối đa 200"),
])
def test_one_bad_row_writes_nothing(db, users, running, make_cadre, apply_for, now, change,
                                    expected):
    klass, applications = running()
    session = first(klass)
    entries = _all(applications)
    an = by_name(applications)["Hồ Thị An"]
    if change == "not admitted":
        (waiting,) = apply_for(klass, [make_cadre("Hồ Văn Chờ", gender="M")])
        entries[waiting.id] = Entry("present", "")
        key = waiting.id
    elif change == "unknown status":
        entries[an.id] = Entry("maybe", "")
        key = an.id
    elif change == "missing learner":
        del entries[an.id]
        key = an.id
    else:
        entries[an.id] = Entry("present", "x" * 201)
        key = an.id
    with pytest.raises(AttendanceError) as refused:
        marking.save(users["trainer"], klass, {session.id: entries}, now)
    db.session.rollback()
    assert refused.value.status == 422
    assert expected in refused.value.problems[(session.id, key)]
    assert list(refused.value.problems) == [(session.id, key)]
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 0
    assert _audit(db) == []


def test_a_session_of_another_class_is_refused(db, users, running, now):
    klass, applications = running()
    other, _ = running(names=[("Hồ Văn Khác", "M")])
    with pytest.raises(AttendanceError) as refused:
        marking.save(users["trainer"], klass, {first(other).id: _all(applications)}, now)
    assert refused.value.status == 404
    assert "không thuộc lớp" in refused.value.message


def test_a_session_that_has_not_started_is_refused(db, users, running, now):
    klass, applications = running()
    with pytest.raises(AttendanceError) as refused:
        marking.save(users["trainer"], klass, {last(klass).id: _all(applications)}, now)
    assert refused.value.status == 409
    assert "chưa bắt đầu (bắt đầu lúc 13:30" in refused.value.message


def test_a_session_starts_at_its_start_time_in_vietnam(db, running):
    klass, _ = running()
    session = first(klass)
    before = upcoming_now(klass)  # 07:29 in Vietnam
    assert not marking.has_begun(session, before)
    assert marking.has_begun(session, before + timedelta(minutes=1))


@pytest.mark.parametrize(("status", "message"), [
    ("cancelled", "Lớp đã hủy"), ("open", "Lớp chưa xét chọn")])
def test_no_marks_in_a_cancelled_or_unallocated_class(db, users, running, now, status,
                                                      message):
    klass, applications = running(status=status)
    with pytest.raises(AttendanceError) as refused:
        marking.save(users["coordinator"], klass, {first(klass).id: _all(applications)}, now)
    assert refused.value.status == 409 and message in refused.value.message


def test_a_finished_class_is_corrected_by_a_coordinator_with_a_reason(db, users, running, now):
    klass, applications = running()
    session = first(klass)
    _save(db, users["trainer"], klass, session, _all(applications), now)
    klass.status = "finished"
    db.session.commit()
    hoa = by_name(applications)["Đinh Thị Hoa"]
    entries = {**_all(applications), hoa.id: Entry("absent", "")}
    with pytest.raises(AttendanceError) as refused:
        marking.save(users["trainer"], klass, {session.id: entries}, now)
    assert refused.value.status == 403 and "chỉ cán bộ điều phối" in refused.value.message
    db.session.rollback()
    with pytest.raises(AttendanceError) as refused:
        marking.save(users["coordinator"], klass, {session.id: entries}, now)
    assert (refused.value.status, refused.value.field) == (422, "reason")
    db.session.rollback()
    _save(db, users["coordinator"], klass, session, entries, now,
          reason="Danh sách ký cho thấy chị Hoa vắng")
    (change,) = _audit(db, "attendance.change")
    assert change.reason == "Danh sách ký cho thấy chị Hoa vắng"
    assert _statuses(db, session, applications)["Đinh Thị Hoa"] == "absent"


def test_keying_a_finished_class_back_for_the_first_time_needs_no_reason(db, users, running,
                                                                         now):
    klass, applications = running(status="finished")
    saved = marking.save(users["coordinator"], klass, {
        first(klass).id: _all(applications), klass.sessions[1].id: _all(applications, "late")},
        now)
    db.session.commit()
    assert [s.created for s in saved] == [4, 4]
    assert [e.action for e in _audit(db)] == ["attendance.mark", "attendance.mark"]


def test_a_learner_changed_meanwhile_by_someone_else_keeps_that_change(db, users, running,
                                                                       now):
    """Two pages opened on the same marks: each save writes only what its user changed."""
    klass, applications = running()
    session = first(klass)
    people = by_name(applications)
    _save(db, users["trainer"], klass, session, _all(applications), now)
    page = {(session.id, a.id): Entry("present", "") for a in applications}  # both pages
    # the coordinator marks Út absent; the trainer, on the page opened before, marks Ba late
    _save(db, users["coordinator"], klass, session,
          _all(applications, **{"Đinh Văn Út": "absent"}), now, shown=page)
    saved = _save(db, users["trainer"], klass, session,
                  _all(applications, **{"Phạm Văn Ba": "late"}), now, shown=page)
    assert (saved.changed, saved.kept) == (1, 1)
    statuses = _statuses(db, session, applications)
    assert statuses["Đinh Văn Út"] == "absent" and statuses["Phạm Văn Ba"] == "late"
    # both changed Hoa: the last write wins, both are in the audit log
    hoa = people["Đinh Thị Hoa"]
    for actor, status in ((users["coordinator"], "excused"), (users["trainer"], "late")):
        _save(db, actor, klass, session, {hoa.id: Entry(status, "")}, now, shown=page)
    assert _statuses(db, session, applications)["Đinh Thị Hoa"] == "late"
    changes = [(e.data["old"]["status"], e.data["new"]["status"]) for e in
               _audit(db, "attendance.change") if e.data["application"] == hoa.id]
    assert changes == [("present", "excused"), ("excused", "late")]


@pytest.mark.parametrize(("typed", "status"), [
    ("c", "present"), ("X", "present"), (" m ", "late"), ("P", "excused"), ("v", "absent"),
    ("Có mặt", "present"), ("muộn", "late"), ("Vắng có phép", "excused"),
    ("absent", "absent"), ("k", None), ("", None), ("cm", None)])
def test_codes_typed_on_the_key_back_sheet(typed, status):
    assert marking.status_of(typed) == status
