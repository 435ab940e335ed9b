"""The class forms as a coordinator types into them: dates dd/mm/yyyy, Vietnamese messages for
unreadable input, and the refusals the issue lists (nothing written)."""

import re
from datetime import date

from sqlalchemy import func, select

from app.classes.models import Application, ClassSession, TrainingClass
from tests.classes.test_classes import _form


def _errors(page: str) -> list[str]:
    return re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+?)\s*<', page)


def test_dates_are_typed_and_shown_as_dd_mm_yyyy(client, db, login, son_ha, users):
    login("coordinator")
    response = client.post("/classes/new", data=_form(
        son_ha, users, start_date="01/12/2026", end_date="2/12/2026", apply_from="01/11/2026",
        apply_until="25/11/2026"))
    assert response.status_code == 302
    klass = db.session.scalar(select(TrainingClass))
    assert (klass.start_date, klass.end_date) == (date(2026, 12, 1), date(2026, 12, 2))
    assert klass.apply_until == date(2026, 11, 25)
    page = client.get(f"/classes/{klass.id}/edit").get_data(as_text=True)
    assert 'value="01/12/2026"' in page and 'value="25/11/2026"' in page
    assert 'type="date"' not in page  # not left to the browser's locale (mm/dd in English)
    sessions = client.get(f"/classes/{klass.id}/sessions").get_data(as_text=True)
    assert 'value="01/12/2026"' in sessions
    response = client.post(f"/classes/{klass.id}/sessions", data={
        "date": "02/12/2026", "part": "morning", "starts_at": "13:00", "ends_at": "14:00"})
    assert response.status_code == 400  # the morning of 2 Dec exists already
    assert "Lớp đã có buổi sáng ngày 02/12/2026." in response.get_data(as_text=True)


def test_unreadable_input_is_refused_in_vietnamese(client, db, login, son_ha, users,
                                                   make_class):
    login("coordinator")
    response = client.post("/classes/new", data=_form(
        son_ha, users, capacity="ba mươi", start_date="31/02/2026", weight_woman="nhiều"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = _errors(page)
    assert "Ngày không hợp lệ: 31/02/2026" in errors
    assert "Không đọc được số “ba mươi”; hãy ghi như 30." in errors
    assert "Số chỗ phải là số nguyên lớn hơn 0." not in errors  # one message per field
    assert "Không đọc được số “nhiều”; hãy ghi như 1,5." in errors
    assert "Not a valid" not in page
    assert 'value="ba mươi"' in page and 'value="31/02/2026"' in page  # what was typed stays
    klass = make_class(start=date(2026, 12, 1))
    response = client.post(f"/classes/{klass.id}/sessions", data={"date": "hôm qua",
                                                                   "part": "morning"})
    assert response.status_code == 400
    assert "Không đọc được ngày: hôm qua" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 1


def test_finished_or_cancelled_classes_take_no_nominations_or_edits(client, db, login,
                                                                     make_class, make_cadre,
                                                                     son_ha, users):
    cadre = make_cadre("Đinh Thị Hoa")
    cancelled = make_class(status="cancelled")
    finished = make_class(status="finished")
    login("coordinator")
    for klass, message in ((cancelled, "Lớp đã bị hủy, không nhận đề cử."),
                           (finished, "Lớp đã kết thúc, không nhận đề cử.")):
        response = client.post(f"/classes/{klass.id}/nominate", data={"cadre_ids": [cadre.id]})
        assert response.status_code == 409 and message in response.get_data(as_text=True)
    # the page itself says so, with no list to tick (a running class too)
    running = make_class(status="running")
    for klass, message in ((cancelled, "Lớp đã bị hủy, không nhận đề cử."),
                           (running, "Lớp đang học, không nhận đề cử.")):
        response = client.get(f"/classes/{klass.id}/nominate")
        page = response.get_data(as_text=True)
        assert response.status_code == 409 and message in page
        assert 'name="cadre_ids"' not in page and "Đinh Thị Hoa" not in page
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0
    response = client.post(f"/classes/{finished.id}/edit", data=_form(
        son_ha, users, code=finished.code, title="Đổi tên", apply_from="", apply_until="",
        start_date=finished.start_date.isoformat(), end_date=finished.end_date.isoformat()))
    assert response.status_code == 409
    assert "Lớp “Đã kết thúc” không sửa được nữa." in response.get_data(as_text=True)
    response = client.post(f"/classes/{finished.id}/sessions", data={
        "date": finished.start_date.strftime("%d/%m/%Y"), "part": "morning",
        "starts_at": "13:00", "ends_at": "14:00"})
    assert response.status_code == 409
    assert "Lớp “Đã kết thúc” không thêm buổi học được." in response.get_data(as_text=True)
    assert "Sửa lớp" not in client.get(f"/classes/{finished.id}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(TrainingClass, finished.id).title == "Lớp tập huấn thử"
    assert len(db.session.get(TrainingClass, finished.id).sessions) == 4


def test_copy_into_fewer_days_is_refused_at_the_date(client, db, login, make_class, son_ha,
                                                     users):
    source = make_class(start=date(2026, 12, 1), days=2)
    login("coordinator")
    response = client.post(f"/classes/{source.id}/copy", data=_form(
        son_ha, users, code="L-COPY", start_date="04/01/2027", end_date="04/01/2027",
        apply_from="", apply_until=""))
    assert response.status_code == 400
    assert "Có buổi học ngoài thời gian lớp (05/01/2027)" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 1
    assert db.session.scalar(select(func.count()).select_from(ClassSession)) == 4
