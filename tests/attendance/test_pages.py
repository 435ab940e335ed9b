"""The attendance pages through the client: marking a session, the key-back sheet, who may
do what, bad input (a message at the row, 4xx, nothing written), the class page's completion,
and the number of queries."""

import re

import pytest
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark
from app.audit.models import AuditEntry
from tests.attendance.conftest import by_name, first, last


def _url(klass, session):
    return f"/classes/{klass.id}/sessions/{session.id}/attendance"


def _form(applications, status="present", shown="", **changes):
    """The marking page's form: every learner `status` except {name: status} in changes."""
    data = {}
    for a in applications:
        data[f"s-{a.id}"] = changes.get(a.cadre.full_name, status)
        data[f"w-{a.id}"] = shown
    return data


def _statuses(db, session, applications):
    db.session.expire_all()
    names = {a.id: a.cadre.full_name for a in applications}
    return {names[m.application_id]: m.status for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session.id))}


def _count(db):
    return db.session.scalar(select(func.count()).select_from(AttendanceMark))


def _text(response):
    return response.get_data(as_text=True)


def test_the_trainer_marks_a_session_in_name_order(client, login, users, running, db):
    klass, applications = running()
    session = first(klass)
    login(users["trainer"])
    page = _text(client.get(_url(klass, session)))
    names = re.findall(r'<span class="fw-semibold">\d+\. ([^<]+)</span>', page)
    assert names == ["Hồ Thị An", "Phạm Văn Ba", "Đinh Thị Hoa", "Đinh Văn Út"]
    assert "Tất cả có mặt" in page and " checked" not in page
    prefilled = _text(client.get(_url(klass, session) + "?all=present"))
    assert prefilled.count("checked data-present") == 4
    response = client.post(_url(klass, session), data=_form(
        applications, **{"Phạm Văn Ba": "late"}))
    assert response.status_code == 303
    page = _text(client.get(response.location))
    assert "3 có mặt, 1 muộn, 0 có phép, 0 vắng (4 mới, 0 sửa)" in page
    assert _statuses(db, session, applications)["Phạm Văn Ba"] == "late"
    # the same form sent again (a double tap): nothing changes
    again = client.post(_url(klass, session), data=_form(applications, **{"Phạm Văn Ba": "late"}),
                        follow_redirects=True)
    assert "Không có gì thay đổi" in _text(again)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action.startswith("attendance."))) == 1


def test_a_note_is_saved_and_shown(client, login, users, running, db):
    klass, applications = running()
    session = first(klass)
    hoa = by_name(applications)["Đinh Thị Hoa"]
    login(users["coordinator"])
    data = _form(applications, **{"Đinh Thị Hoa": "excused"})
    data[f"n-{hoa.id}"] = "  Con ốm,  có giấy  "
    client.post(_url(klass, session), data=data)
    note = db.session.scalar(select(AttendanceMark.note).where(
        AttendanceMark.application_id == hoa.id))
    assert note == "Con ốm, có giấy"
    assert 'value="Con ốm, có giấy"' in _text(client.get(_url(klass, session)))


@pytest.mark.parametrize("who", ["other trainer", "learner"])
def test_another_class_trainer_or_a_learner_is_refused(client, login, users, make_user,
                                                       running, db, who):
    klass, applications = running()
    session = first(klass)
    user = make_user("gv2", roles=("trainer",)) if who == "other trainer" else users["learner"]
    login(user)
    assert client.get(_url(klass, session)).status_code == 403
    assert client.post(_url(klass, session), data=_form(applications)).status_code == 403
    assert client.get(f"/classes/{klass.id}/attendance/keyback").status_code == 403
    assert _count(db) == 0


def test_a_session_not_started_is_shown_but_not_saved(client, login, users, running, db):
    klass, applications = running()
    session = last(klass)
    login(users["trainer"])
    page = _text(client.get(_url(klass, session)))
    assert "Buổi học này chưa bắt đầu (bắt đầu lúc 13:30" in page
    assert "Lưu điểm danh" not in page
    response = client.post(_url(klass, session), data=_form(applications))
    assert response.status_code == 409
    assert "chưa bắt đầu" in _text(response)
    assert _count(db) == 0


def test_a_session_of_another_class_is_not_found(client, login, users, running):
    klass, _ = running()
    other, _ = running(names=[("Hồ Văn Khác", "M")])
    login(users["coordinator"])
    assert client.get(_url(klass, first(other))).status_code == 404


def test_bad_rows_are_shown_at_the_row_and_nothing_is_saved(client, login, users, running, db,
                                                            make_cadre, apply_for):
    klass, applications = running()
    session = first(klass)
    (stranger,) = apply_for(klass, [make_cadre("Hồ Văn Lạ", gender="M")])  # not admitted
    an, ut = by_name(applications)["Hồ Thị An"], by_name(applications)["Đinh Văn Út"]
    login(users["trainer"])
    data = _form(applications, **{"Hồ Thị An": "vanished", "Phạm Văn Ba": "late"})
    del data[f"s-{ut.id}"]
    data[f"s-{stranger.id}"] = "present"
    response = client.post(_url(klass, session), data=data)
    page = _text(response)
    assert response.status_code == 422
    assert "Chưa lưu gì: 3 dòng cần sửa (xem ở từng học viên)" in page
    row_an = page[page.index(f'id="hv-{an.id}"'):page.index(f'id="hv-{an.id}"') + 3000]
    assert "“vanished” không phải trạng thái điểm danh" in row_an
    row_ut = page[page.index(f'id="hv-{ut.id}"'):]
    assert "Chưa điểm danh: chọn có mặt" in row_ut[:3000]
    assert "Người này không có trong danh sách được triệu tập" in page
    ba = by_name(applications)["Phạm Văn Ba"]
    assert f'id="s-{ba.id}-late" value="late" autocomplete="off" checked' in page  # kept
    assert _count(db) == 0


def test_a_finished_class_a_coordinator_corrects_with_a_reason(client, login, users, running,
                                                              db):
    klass, applications = running()
    session = first(klass)
    login(users["trainer"])
    client.post(_url(klass, session), data=_form(applications))
    klass.status = "finished"
    db.session.commit()
    changed = _form(applications, shown="present", **{"Đinh Văn Út": "absent"})
    page = _text(client.get(_url(klass, session)))
    assert "chỉ cán bộ điều phối" in page and "Lưu điểm danh" not in page
    assert client.post(_url(klass, session), data=changed).status_code == 403
    client.post("/auth/logout")
    login(users["coordinator"])
    response = client.post(_url(klass, session), data=changed)
    assert response.status_code == 422
    assert "hãy ghi lý do sửa điểm danh" in _text(response)
    assert _statuses(db, session, applications)["Đinh Văn Út"] == "present"
    response = client.post(_url(klass, session),
                           data={**changed, "reason": "Theo danh sách ký đã thu"})
    assert response.status_code == 303
    assert _statuses(db, session, applications)["Đinh Văn Út"] == "absent"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "attendance.change"))
    assert entry.reason == "Theo danh sách ký đã thu" and entry.user_id == users["coordinator"].id
    assert "Theo danh sách ký đã thu" in _text(client.get(_url(klass, session)))  # the log


def _sheet(klass, applications, codes: dict, shown=None):
    """The key-back form: {(session index, name): code}."""
    people = by_name(applications)
    data = {f"c-{klass.sessions[i].id}-{people[name].id}": code
            for (i, name), code in codes.items()}
    for (i, name), status in (shown or {}).items():
        data[f"w-{klass.sessions[i].id}-{people[name].id}"] = status
    return data


def test_the_coordinator_keys_back_two_sessions_at_once(client, login, users, running, db):
    klass, applications = running(status="finished")
    login(users["coordinator"])
    page = _text(client.get(f"/classes/{klass.id}/attendance/keyback"))
    assert page.count('class="keyback-cell') == 4 * 4  # yesterday's and today's sessions
    names = [a.cadre.full_name for a in applications]
    codes = {(0, n): "c" for n in names} | {(1, n): "c" for n in names}
    codes[(0, "Phạm Văn Ba")] = "M"
    codes[(1, "Đinh Văn Út")] = "v"
    codes[(1, "Đinh Thị Hoa")] = "p"
    response = client.post(f"/classes/{klass.id}/attendance/keyback",
                           data=_sheet(klass, applications, codes))
    assert response.status_code == 303
    assert _statuses(db, klass.sessions[0], applications)["Phạm Văn Ba"] == "late"
    assert _statuses(db, klass.sessions[1], applications) == {
        "Hồ Thị An": "present", "Phạm Văn Ba": "present", "Đinh Thị Hoa": "excused",
        "Đinh Văn Út": "absent"}
    page = _text(client.get(response.location))
    assert "Đã lưu điểm danh 2 buổi: 8 điểm danh mới" in page
    row = page[page.index("Đinh Văn Út</td>"):]
    assert "1/6" in row[:2000] and "thiếu 4 buổi" in row[:2000]


def test_a_bad_code_on_the_sheet_saves_nothing_and_keeps_what_was_typed(client, login, users,
                                                                        running, db):
    klass, applications = running(status="finished")
    login(users["coordinator"])
    names = [a.cadre.full_name for a in applications]
    codes = {(0, n): "c" for n in names}
    codes[(0, "Hồ Thị An")] = "k"
    codes[(1, "Phạm Văn Ba")] = "m"  # the next column barely begun: the others are missing
    response = client.post(f"/classes/{klass.id}/attendance/keyback",
                           data=_sheet(klass, applications, codes))
    page = _text(response)
    assert response.status_code == 422
    assert "Chưa lưu gì: 4 ô cần sửa." in page
    assert "Hồ Thị An, sáng" in page and "“k” không phải trạng thái điểm danh" in page
    assert "Đinh Thị Hoa, chiều" in page and "Chưa điểm danh" in page
    ba = by_name(applications)["Phạm Văn Ba"]
    assert f'name="c-{klass.sessions[1].id}-{ba.id}" value="m"' in page
    assert _count(db) == 0


def test_the_class_page_shows_completion_to_staff_and_to_the_learner(
        client, login, users, running, db, learner_cadre, apply_for, admit):
    klass, applications = running()
    klass.capacity = 5
    (own,) = admit(klass, apply_for(klass, [learner_cadre]))
    applications = [*applications, own]
    login(users["trainer"])
    for session in klass.sessions[:2]:
        client.post(_url(klass, session), data=_form(
            applications, **{"Đinh Văn Út": "absent", "Đinh Thị Lanh": "late"}))
    page = _text(client.get(f"/classes/{klass.id}"))
    assert "Điểm danh và hoàn thành" in page
    row = page[page.index("Đinh Văn Út</td>"):]
    assert "0/6 buổi" in row[:800] and "thiếu 5 buổi" in row[:800]
    client.post("/auth/logout")
    login(users["learner"])
    page = _text(client.get(f"/classes/{klass.id}"))
    assert "Điểm danh của tôi" in page
    assert "Đã dự 2/6 buổi (33%)" in page and "thiếu 3 buổi" in page
    assert "Đinh Văn Út" not in page  # only their own


def test_a_session_with_marks_cannot_be_deleted(client, login, users, running, db):
    klass, applications = running()
    session = first(klass)
    login(users["coordinator"])
    client.post(_url(klass, session), data=_form(applications))
    response = client.post(f"/classes/{klass.id}/sessions/{session.id}/delete",
                           follow_redirects=True)
    assert "Buổi học này đã có điểm danh (4 học viên" in _text(response)
    assert _count(db) == 4


def _queries(count_queries, client, url):
    client.get(url)  # warm the caches (templates, the signed-in user)
    with count_queries() as n:
        assert client.get(url).status_code == 200
    return n()


def test_the_pages_use_a_constant_number_of_queries(client, login, users, running, db,
                                                    count_queries):
    login(users["coordinator"])
    measured = []
    for names in ([("Hồ Văn Một", "M")], [(f"Hồ Thị Người {chr(65 + i)}", "F")
                                          for i in range(15)]):
        klass, applications = running(names=names)
        for session in klass.sessions[:2]:
            client.post(_url(klass, session), data=_form(applications))
        db.session.expire_all()
        measured.append((_queries(count_queries, client, _url(klass, first(klass))),
                         _queries(count_queries, client,
                                  f"/classes/{klass.id}/attendance/keyback"),
                         _queries(count_queries, client, f"/classes/{klass.id}")))
    assert measured[0] == measured[1]


def test_the_pages_and_refusals_in_english_the_audit_log_in_vietnamese(client, login, users,
                                                                       running, db):
    klass, applications = running()
    client.set_cookie("lang", "en")
    login(users["trainer"])
    page = _text(client.get(_url(klass, first(klass))))
    assert "All present" in page and ">Late</label>" in page and ">Excused</label>" in page
    response = client.post(_url(klass, last(klass)), data=_form(applications))
    assert "This session has not started yet (it starts at 13:30" in _text(response)
    data = _form(applications, **{"Hồ Thị An": "k"})
    assert "“k” is not an attendance status" in _text(client.post(_url(klass, first(klass)),
                                                                  data=data))
    client.post(_url(klass, first(klass)), data=_form(applications))
    later = _form(applications, shown="present", **{"Hồ Thị An": "late"})
    client.post(_url(klass, first(klass)), data=later)
    summaries = db.session.scalars(select(AuditEntry.summary).where(
        AuditEntry.action.startswith("attendance.")).order_by(AuditEntry.id)).all()
    assert "4 học viên (4 có mặt)" in summaries[0]
    assert "Hồ Thị An: Có mặt → Đi muộn" in summaries[1]
    page = _text(client.get(f"/classes/{klass.id}"))
    assert "Attendance and completion" in page and "4 session(s) short" in page
