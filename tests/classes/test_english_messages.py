"""The classes' domain messages follow the reader's language (the `lang` cookie); what is
written to the database (application reasons and notes, the audit log) stays Vietnamese."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.classes.models import Application, TrainingClass
from app.timeutil import local_today
from tests.classes.conftest import confirm_fields


@pytest.fixture()
def english(client):
    client.set_cookie("lang", "en")
    return client


def test_refused_applications_say_why_in_english(english, login, make_class, learner_cadre):
    today = local_today()
    closed = make_class(apply_until=today - timedelta(days=1))
    running = make_class(status="running")
    cancelled = make_class(status="cancelled")
    login("learner")
    expected = {
        closed: "Applications have closed (the deadline was",
        running: "The class is in progress and no longer takes applications.",
        cancelled: "The class has been cancelled and takes no applications.",
    }
    for klass, message in expected.items():
        response = english.post(f"/classes/{klass.id}/apply")
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert message in page
        assert "Đã hết hạn đăng ký" not in page and "không nhận đăng ký" not in page


def test_an_invalid_status_change_is_explained_in_english(english, login, make_class):
    klass = make_class(status="planned")
    login("coordinator")
    assert english.post(f"/classes/{klass.id}/status", data={"target": "open"}).status_code == 302
    response = english.post(f"/classes/{klass.id}/status", data={"target": "finished"})
    assert response.status_code == 409
    assert ("The class cannot go from “Open for applications” to “Finished”; from this status "
            "it can only go to: “In preparation”, “Allocated”, “Cancelled”."
            in response.get_data(as_text=True))
    response = english.post(f"/classes/{klass.id}/status", data={"target": "cancelled"})
    assert response.status_code == 400
    assert "Please give the reason for cancelling the class." in response.get_data(as_text=True)
    # the audit log keeps its Vietnamese summary
    page = english.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "từ “Đang chuẩn bị” sang “Đang mở đăng ký”" in page


def test_class_edits_and_sessions_refused_in_english(english, login, make_class):
    finished = make_class(status="finished")
    login("coordinator")
    response = english.post(f"/classes/{finished.id}/sessions", data={
        "date": finished.start_date.strftime("%d/%m/%Y"), "part": "morning"})
    assert response.status_code == 409
    assert "Sessions cannot be added to a class that is “Finished”." in response.get_data(
        as_text=True)
    planned = make_class(status="planned", with_sessions=False)
    response = english.post(f"/classes/{planned.id}/sessions", data={
        "date": (planned.end_date + timedelta(days=3)).strftime("%d/%m/%Y"),
        "part": "morning"})
    assert response.status_code == 400
    assert "The session date must be within the class dates, from" in response.get_data(
        as_text=True)
    # a session with only a start time: "from 13:00"
    assert english.post(f"/classes/{planned.id}/sessions", data={
        "date": planned.start_date.strftime("%d/%m/%Y"), "part": "afternoon",
        "starts_at": "13:00"}).status_code == 302
    page = english.get(f"/classes/{planned.id}/sessions").get_data(as_text=True)
    assert "from 13:00" in page and "từ 13:00" not in page


def test_nomination_problems_in_english(english, db, login, make_class, make_cadre, son_ha):
    klass = make_class()
    cancelled = make_class(status="cancelled")
    inactive = make_cadre("Phạm Văn Bốc", gender="M", active=False)
    far = make_cadre("Hồ Thị Mai", commune=son_ha["new:son-linh"])
    login("coordinator")
    response = english.post(f"/classes/{klass.id}/nominate",
                            data={"cadre_ids": [inactive.id, far.id]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This cadre is no longer followed (inactive)." in page
    assert "is not one of the communes invited to this class" in page
    response = english.post(f"/classes/{cancelled.id}/nominate", data={"cadre_ids": [far.id]})
    assert response.status_code == 409
    assert "The class has been cancelled and takes no nominations." in response.get_data(
        as_text=True)
    assert db.session.scalar(select(Application.id)) is None


def test_allocation_reasons_shown_in_english_and_stored_in_vietnamese(
        english, db, login, make_class, make_cadre, apply_for):
    klass = make_class(capacity=2)
    ok = make_cadre("Đinh Thị Hoa")
    inactive = make_cadre("Phạm Văn Bốc", gender="M")
    apply_for(klass, [ok, inactive])
    inactive.active = False
    db.session.commit()
    login("coordinator")
    preview = english.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert "This cadre is no longer followed (inactive)." in preview
    fields = confirm_fields(preview)
    # the page was read in English, the allocation confirmed in Vietnamese: same result
    english.delete_cookie("lang")
    response = english.post(f"/classes/{klass.id}/allocation", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.get(TrainingClass, klass.id).status == "allocated"
    rejected = db.session.scalar(select(Application).where(Application.cadre_id == inactive.id))
    assert rejected.status == "rejected"
    assert rejected.note == "Cán bộ đã ngừng theo dõi (không còn hoạt động)."
    assert rejected.reasons == ["Không đủ điều kiện: Cán bộ đã ngừng theo dõi (không còn hoạt "
                                "động)."]


def test_an_override_without_a_seat_is_refused_in_english(english, db, login, make_class,
                                                          make_cadre, apply_for):
    klass = make_class(status="allocated", capacity=1)
    admitted, waiting = apply_for(klass, [make_cadre("Đinh Thị Hoa"), make_cadre("Hồ Thị Ba")])
    admitted.status, klass.admitted_count = "admitted", 1
    waiting.status, waiting.waitlist_rank = "waitlisted", 1
    db.session.commit()
    login("coordinator")
    url = f"/classes/{klass.id}/applications/{{}}/override"
    response = english.post(url.format(waiting.id), data={"action": "admit",
                                                          "reason": "Cần người gấp"})
    assert response.status_code == 409
    assert ("The class is full (1 seat(s)); move someone to the waiting list before admitting "
            "another person." in response.get_data(as_text=True))
    response = english.post(url.format(admitted.id), data={"action": "admit",
                                                           "reason": "Cần người gấp"})
    assert response.status_code == 409
    assert ("Only someone on the waiting list can be admitted (now: admitted)."
            in response.get_data(as_text=True))
