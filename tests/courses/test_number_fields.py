"""Numbers typed the Vietnamese way in the course form (hours) and the quiz settings."""

import re

import pytest
from sqlalchemy import select

from app.courses.models import Course
from tests.courses.test_workspace import COURSE_FORM


def _field_error(page: str, name: str) -> str | None:
    match = re.search(rf'id="{name}-error"[^>]*>\s*(.*?)\s*</div>', page, re.S)
    return match.group(1) if match else None


def _input(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize("typed, hours", [("1,5", 1.5), ("1.5", 1.5), ("12", 12),
                                          ("0,5", 0.5), ("", None), ("2,0", 2)])
def test_hours_are_read_with_a_decimal_comma(client, login, db, users, typed, hours):
    login("trainer")
    response = client.post("/courses/new", data={**COURSE_FORM, "hours": typed})
    assert response.status_code == 303, _field_error(response.get_data(as_text=True), "hours")
    assert db.session.scalar(select(Course.hours)) == hours


def test_hours_are_shown_with_a_decimal_comma(client, login, db, users):
    login("trainer")
    client.post("/courses/new", data={**COURSE_FORM, "hours": "1,5"})
    course = db.session.scalar(select(Course))
    page = client.get(f"/courses/{course.slug}/edit/info").get_data(as_text=True)
    assert 'value="1,5"' in _input(page, "hours")
    assert 'inputmode="decimal"' in _input(page, "hours")
    assert 'type="number"' not in page
    assert "1,5 giờ" in client.get(f"/courses/{course.slug}").get_data(as_text=True)
    # the form posts back what it shows
    data = {**COURSE_FORM, "hours": "1,5", "code": course.code}
    assert client.post(f"/courses/{course.slug}/edit/info", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(Course, course.id).hours == 1.5


@pytest.mark.parametrize("typed, message", [
    ("1,25", "Chỉ ghi tối đa 1 chữ số sau dấu phẩy, như 1,5."),
    ("-1", "Số giờ từ 0,5 đến 999."),
    ("0", "Số giờ từ 0,5 đến 999."),
    ("1.000", "Không rõ “1.000” là 1000 hay 1; hãy ghi 1000 hoặc 1."),
    ("1,2,3", "Không đọc được số “1,2,3”; hãy ghi như 1,5."),
    ("bốn", "Không đọc được số “bốn”; hãy ghi như 1,5."),
])
def test_bad_hours_are_refused_at_the_field(client, login, db, users, typed, message):
    login("trainer")
    response = client.post("/courses/new", data={**COURSE_FORM, "hours": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, "hours") == message
    assert f'value="{typed}"' in _input(page, "hours")
    assert 'value="Kỹ năng họp dân"' in page
    assert db.session.scalar(select(Course.id)) is None


def test_quiz_settings_read_percent_and_counts(client, login, db, make_course):
    course = make_course(quiz=False)
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/quiz",
                           data={"pass_mark": "80%", "max_attempts": " 2 "})
    assert response.status_code == 303
    db.session.expire_all()
    quiz = db.session.get(Course, course.id).quiz
    assert (quiz.pass_mark, quiz.max_attempts) == (80, 2)
    page = client.get(f"/courses/{course.slug}/edit/quiz").get_data(as_text=True)
    assert 'value="80"' in _input(page, "pass_mark")
    assert 'inputmode="numeric"' in _input(page, "max_attempts")


@pytest.mark.parametrize("name, typed, message", [
    ("pass_mark", "70,5", "Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như 50."),
    ("pass_mark", "-10", "Điểm đạt từ 0 đến 100 (%)."),
    ("pass_mark", "%", "Không đọc được số “%”; hãy ghi như 50."),
    ("max_attempts", "2,5", "Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như 3."),
    ("max_attempts", "ba", "Không đọc được số “ba”; hãy ghi như 3."),
    ("max_attempts", "", "Vui lòng nhập số lần làm bài tối đa."),
])
def test_bad_quiz_settings_are_refused_at_the_field(client, login, db, make_course, name,
                                                    typed, message):
    course = make_course(pass_mark=60, max_attempts=3)
    login("trainer")
    data = {"pass_mark": "70", "max_attempts": "2", name: typed}
    response = client.post(f"/courses/{course.slug}/edit/quiz", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, name) == message
    assert f'value="{typed}"' in _input(page, name)
    db.session.expire_all()
    quiz = db.session.get(Course, course.id).quiz
    assert (quiz.pass_mark, quiz.max_attempts) == (60, 3)
