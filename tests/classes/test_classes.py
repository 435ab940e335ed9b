"""Creating, editing, copying classes; sessions; status changes; bad input."""

from datetime import date

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.classes.models import ClassSession, TrainingClass


def _form(son_ha, users, **overrides):
    data = {"code": "TH-2026-01", "title": "Lớp tập huấn giảm nghèo", "course_id": "",
            "place": "Hội trường UBND xã Sơn Kỳ", "start_date": "2026-12-01",
            "end_date": "2026-12-02", "capacity": "30", "apply_from": "2026-11-01",
            "apply_until": "2026-11-25", "description": "", "trainer_ids": [users["trainer"].id],
            "unit_ids": [son_ha["new:son-ky"].id, son_ha["new:son-ha"].id],
            "min_attendance_pct": "80", "daily_rate": "100000", "min_women_pct": "50",
            "max_per_unit": "", "weight_woman": "3", "weight_village_leader": "2",
            "weight_not_trained": "1", "make_sessions": "y"}
    data.update(overrides)
    return data


def test_coordinator_creates_a_class_with_sessions(client, db, son_ha, users, login):
    login("coordinator")
    response = client.post("/classes/new", data=_form(son_ha, users))
    assert response.status_code == 302
    klass = db.session.scalar(select(TrainingClass))
    assert klass.code == "TH-2026-01" and klass.status == "planned" and klass.capacity == 30
    assert klass.daily_rate == 100000 and klass.min_women_share == 0.5
    assert [(s.date.day, s.part) for s in klass.sessions] == [
        (1, "morning"), (1, "afternoon"), (2, "morning"), (2, "afternoon")]
    assert [u.username for u in klass.trainers] == ["trainer"]
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Lớp tập huấn giảm nghèo" in page and "01/12/2026" in page


def test_bad_input_gets_messages_at_the_field_and_nothing_written(client, db, son_ha, users,
                                                                  login):
    login("coordinator")
    cases = [
        ({"capacity": "0"}, "Số chỗ phải là số nguyên lớn hơn 0."),
        ({"capacity": "-5"}, "Số chỗ phải là số nguyên lớn hơn 0."),
        ({"end_date": "2026-11-30"}, "Ngày kết thúc phải trùng hoặc sau ngày bắt đầu."),
        ({"apply_until": "2026-10-01"}, "Hạn cuối đăng ký phải trùng hoặc sau ngày mở đăng ký."),
        ({"apply_until": "2026-12-05"}, "Hạn cuối đăng ký không được sau ngày bắt đầu lớp."),
        ({"apply_from": "2026-12-03", "apply_until": ""},
         "Ngày mở đăng ký không được sau ngày bắt đầu lớp."),
        ({"unit_ids": []}, "Vui lòng chọn ít nhất một xã được mời."),
        ({"min_women_pct": "120"}, "Tỷ lệ nữ phải từ 0 đến 100."),
        ({"trainer_ids": [users["learner"].id]}, "Chỉ chọn được tài khoản có vai trò giảng viên."),
    ]
    for overrides, message in cases:
        response = client.post("/classes/new", data=_form(son_ha, users, **overrides))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, overrides
        assert message in page, overrides
        assert 'value="Lớp tập huấn giảm nghèo"' in page  # what was typed stays
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 0


def test_duplicate_code_and_capacity_below_admitted(client, db, son_ha, users, login,
                                                    make_class):
    existing = make_class(code="TH-2026-01")
    login("coordinator")
    response = client.post("/classes/new", data=_form(son_ha, users))
    assert response.status_code == 400
    assert "Mã lớp TH-2026-01 đã được dùng cho lớp khác." in response.get_data(as_text=True)
    existing.admitted_count = 2
    db.session.commit()
    response = client.post(f"/classes/{existing.id}/edit",
                           data=_form(son_ha, users, capacity="1", code="TH-2026-01"))
    assert response.status_code == 400
    assert "Đã có 2 người được triệu tập" in response.get_data(as_text=True)


def test_sessions_must_stay_inside_the_class_dates(client, db, login, make_class, son_ha,
                                                   users):
    klass = make_class(start=date(2026, 12, 1), days=2)
    login("coordinator")
    response = client.post(f"/classes/{klass.id}/sessions",
                           data={"date": "2026-12-05", "part": "morning"})
    assert response.status_code == 400
    assert "Ngày học phải trong thời gian lớp" in response.get_data(as_text=True)
    response = client.post(f"/classes/{klass.id}/sessions",
                           data={"date": "2026-12-01", "part": "morning"})
    assert response.status_code == 400 and "Lớp đã có buổi sáng" in response.get_data(True)
    response = client.post(f"/classes/{klass.id}/sessions", data={
        "date": "2026-12-01", "part": "afternoon", "starts_at": "15:00", "ends_at": "14:00"})
    assert response.status_code == 400
    # Shortening the class would leave sessions outside it: refused on the date field.
    response = client.post(f"/classes/{klass.id}/edit", data=_form(
        son_ha, users, code=klass.code, start_date="2026-12-01", end_date="2026-12-01",
        apply_until="", apply_from=""))
    assert response.status_code == 400
    assert "Có buổi học ngoài thời gian lớp (02/12/2026)" in response.get_data(as_text=True)
    first = klass.sessions[0]
    assert client.post(f"/classes/{klass.id}/sessions/{first.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ClassSession)) == 3


def test_copy_shifts_sessions_and_keeps_settings(client, db, login, make_class, son_ha, users):
    source = make_class(start=date(2026, 12, 1), days=2, daily_rate=150000)
    login("coordinator")
    page = client.get(f"/classes/{source.id}/copy").get_data(as_text=True)
    assert 'value="L-002"' in page
    response = client.post(f"/classes/{source.id}/copy", data=_form(
        son_ha, users, code="L-002", start_date="2027-01-04", end_date="2027-01-05",
        apply_from="", apply_until="", daily_rate="150000"))
    assert response.status_code == 302
    copy = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "L-002"))
    assert copy.status == "planned" and copy.daily_rate == 150000
    assert [s.date for s in copy.sessions] == [date(2027, 1, 4)] * 2 + [date(2027, 1, 5)] * 2


def test_status_changes_are_checked_and_audited(client, db, login, make_class):
    klass = make_class(status="planned")
    login("coordinator")
    assert client.post(f"/classes/{klass.id}/status", data={"target": "open"}).status_code == 302
    response = client.post(f"/classes/{klass.id}/status", data={"target": "finished"})
    assert response.status_code == 409
    assert "Không thể chuyển lớp từ “Đang mở đăng ký” sang “Đã kết thúc”" in response.get_data(
        as_text=True)
    response = client.post(f"/classes/{klass.id}/status", data={"target": "cancelled"})
    assert response.status_code == 400 and "Vui lòng ghi lý do hủy lớp." in response.get_data(
        as_text=True)
    assert client.post(f"/classes/{klass.id}/status", data={
        "target": "cancelled", "reason": "Trùng lịch"}).status_code == 302
    db.session.refresh(klass)
    assert klass.status == "cancelled" and klass.cancel_reason == "Trùng lịch"
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "class.status")
                                 .order_by(AuditEntry.id)).all()
    assert [e.data["to"] for e in entries] == ["open", "cancelled"]
    assert entries[-1].reason == "Trùng lịch"


def test_database_refuses_what_the_code_must_never_do(db, make_class):
    import pytest
    from sqlalchemy.exc import IntegrityError

    klass = make_class(capacity=2)
    for bad in ({"capacity": 0}, {"admitted_count": 3}, {"end_date": date(2000, 1, 1)},
                {"status": "weird"}):
        for key, value in bad.items():
            setattr(klass, key, value)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_busy_or_conflicting_database_gives_a_clear_409_not_a_500(client, db, login, son_ha,
                                                                   users, make_class,
                                                                   make_cadre, monkeypatch):
    """SQLite busy (OperationalError) or a constraint hit by a simultaneous change
    (IntegrityError) in the nominate, import, edit and status views: rolled back, 409."""
    import io

    from sqlalchemy.exc import IntegrityError, OperationalError

    from app.classes import enrolment, service

    klass = make_class()
    cadre = make_cadre("Đinh Thị Bận")
    login("coordinator")
    busy = OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
    clash = IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
    message = "Có người khác vừa thay đổi lớp này cùng lúc; chưa lưu gì."
    csv = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Thôn/Bản,Xã,Số điện thoại\n"
    cases = [
        ("nominate", enrolment, lambda: client.post(f"/classes/{klass.id}/nominate",
                                                   data={"cadre_ids": [cadre.id]})),
        ("nominate_from_file", enrolment, lambda: client.post(
            f"/classes/{klass.id}/nominate/import",
            data={"file": (io.BytesIO(csv.encode()), "de-cu.csv")},
            content_type="multipart/form-data")),
        ("update_class", enrolment, lambda: client.post(
            f"/classes/{klass.id}/edit", data=_form(son_ha, users, code=klass.code,
                                                    title="Tên mới", apply_from="",
                                                    apply_until="",
                                                    start_date=klass.start_date.isoformat(),
                                                    end_date=klass.end_date.isoformat()))),
        ("change_status", service, lambda: client.post(f"/classes/{klass.id}/status",
                                                       data={"target": "planned"})),
    ]
    for name, module, post in cases:
        for error in (busy, clash):
            def fail(*_args, error=error, **_kwargs):
                db.session.add(AuditEntry(action="half.written", object_type="class",
                                          summary="x"))
                db.session.flush()
                raise error

            with monkeypatch.context() as patch:
                patch.setattr(module, name, fail)
                response = post()
            assert response.status_code == 409, (name, error)
            assert message in response.get_data(as_text=True), name
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "half.written")) == 0
    assert db.session.get(TrainingClass, klass.id).title == "Lớp tập huấn thử"
    assert db.session.get(TrainingClass, klass.id).status == "open"
