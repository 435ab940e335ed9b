"""A double tap never gives a 500 and never creates two (issue 16, item 1).

Each create form carries a one-time token (app/core/once.py): the same form sent twice goes
where the first submission led and writes nothing again. Two submissions that race each other
both pass the page's own checks; the database's unique key refuses the second, and
app/core/refusal.py turns it into a clear message with 409, nothing half-written. The race is
made here by breaking the page's check (so it runs on SQLite too), and for real on PostgreSQL.
"""

import io
import os
import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.courses.models import Course, CourseAttachment, CourseLesson
from app.people.models import Cadre, Position, Unit
from tests.conftest import PASSWORD

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def _token(client, url) -> str:
    """The one-time token of the form a browser would be shown at `url`."""
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="once" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="once" value="([^"]+)"', page)
    assert found, "the form carries no one-time token"
    return found.group(1)


def _count(db, model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _cadre_form(db, son_ha, **more):
    position = db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))
    return {"full_name": "Đinh Thị Bích", "gender": "F", "birth": "05/02/1985",
            "ethnicity_code": "18", "position_id": position,
            "commune_id": son_ha["new:son-ky"].id, "village_id": "", "phone": "", **more}


USER_FORM = {"username": "giangvien2", "full_name": "Phạm Thị Ngọc", "phone": "", "email": "",
             "roles": ["trainer"], "active": "y", "password": "mat-khau-dai",
             "confirm": "mat-khau-dai"}
COURSE_FORM = {"title": "Kỹ năng họp dân", "code": "GNBV-09", "slug": "",
               "topics": ["chuong-trinh"], "summary": "Họp dân.", "audience": "", "hours": "4",
               "description": "A."}


# --- the same form sent twice -------------------------------------------------------------


def test_double_tap_on_new_cadre_adds_one(client, db, users, login, son_ha):
    login("coordinator")
    data = _cadre_form(db, son_ha, once=_token(client, "/cadres/new"))
    first = client.post("/cadres/new", data=data)
    second = client.post("/cadres/new", data=data)
    assert first.status_code == 302
    assert second.status_code == 303 and second.location == first.location
    assert _count(db, Cadre) == 1
    page = client.get(second.location).get_data(as_text=True)
    assert "đã được gửi và lưu trước đó" in page


def test_double_tap_on_new_account_creates_one(client, db, users, login):
    login("admin")
    data = {**USER_FORM, "once": _token(client, "/admin/users/new")}
    assert client.post("/admin/users/new", data=data).status_code == 302
    again = client.post("/admin/users/new", data=data)
    assert again.status_code == 303
    assert _count(db, User, User.username == "giangvien2") == 1


def test_double_tap_on_new_village_adds_one(client, db, users, login, son_ha):
    login("coordinator")
    commune = son_ha["new:son-linh"]
    url = f"/units/{commune.id}/villages/new"
    data = {"name": "Nước Lăng", "category": "thôn", "once": _token(client, url)}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 303
    assert _count(db, Unit, Unit.parent_id == commune.id) == 1


def test_double_tap_on_new_course_creates_one(client, db, users, login):
    login("trainer")
    data = {**COURSE_FORM, "once": _token(client, "/courses/new")}
    first = client.post("/courses/new", data=data)
    second = client.post("/courses/new", data=data)
    assert first.status_code == 303 and second.status_code == 303
    assert second.location == first.location
    assert _count(db, Course) == 1


def test_double_tap_on_new_lesson_creates_one_lesson(client, db, login, make_course):
    """Before: two lessons "Bài ba" and "Bài ba" (slug bai-ba-2)."""
    course = make_course(lessons=("Bài một",))
    login("trainer")
    url = f"/courses/{course.slug}/edit/lessons/new"
    data = {"title": "Bài ba", "body": "Nội dung.", "action": "save", "once": _token(client, url)}
    assert client.post(url, data=data).status_code == 303
    again = client.post(url, data=data)
    assert again.status_code == 303
    assert _count(db, CourseLesson, CourseLesson.course_id == course.id) == 2
    # a new form (a new token) adds a lesson again, as the trainer means it
    assert client.post(url, data={**data, "once": _token(client, url)}).status_code == 303
    assert _count(db, CourseLesson, CourseLesson.course_id == course.id) == 3


def test_a_token_of_another_shape_is_no_token(client, db, login, make_course):
    course = make_course(lessons=(), quiz=False, status="draft")
    login("trainer")
    url = f"/courses/{course.slug}/edit/lessons/new"
    for token in ("x", "'; drop table form_tokens; --", "a" * 500):
        response = client.post(url, data={"title": f"Bài {len(token)}", "body": "A.",
                                          "action": "save", "once": token})
        assert response.status_code == 303
    assert _count(db, CourseLesson, CourseLesson.course_id == course.id) == 3


# --- two submissions racing: the page's check passed twice, the database's key refuses ---


def _refused(response, words, field=None):
    """409 with the message; with `field`, on the form shown again, at that field (what was
    typed kept), not on an error page."""
    text = response.get_data(as_text=True)
    assert response.status_code == 409, text[:500]
    assert words in text
    if field:
        error = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', text, re.S)
        assert error and words in error.group(1), text[:2000]
    return text


def test_racing_new_cadre_is_a_clear_409(client, db, users, login, son_ha, monkeypatch):
    from app.people import views

    login("coordinator")
    assert client.post("/cadres/new", data=_cadre_form(db, son_ha)).status_code == 302
    monkeypatch.setattr(views, "_duplicate", lambda form, data, exclude_id=None: False)
    _refused(client.post("/cadres/new", data=_cadre_form(db, son_ha)),
             "Cán bộ cùng họ tên, ngày sinh và xã vừa được ghi nhận", field="full_name")
    assert _count(db, Cadre) == 1


def test_racing_new_account_is_a_clear_409(client, db, users, login, monkeypatch):
    from app.auth.forms import NewUserForm

    login("admin")
    assert client.post("/admin/users/new", data=USER_FORM).status_code == 302
    monkeypatch.setattr(NewUserForm, "validate_unique", lambda self, exclude_id=None: True)
    _refused(client.post("/admin/users/new", data={**USER_FORM, "username": "GiangVien2"}),
             "Tên đăng nhập này đã có người dùng.", field="username")
    assert _count(db, User, func.lower(User.username) == "giangvien2") == 1


def test_racing_account_link_is_a_clear_409(client, db, users, login, make_cadre, monkeypatch):
    from app.auth import service as auth_service

    first, second = make_cadre("Đinh Văn A", gender="M"), make_cadre("Đinh Văn B", gender="M")
    login("coordinator")
    form = {"username": "dinhvana", "password": "mat-khau-dai"}
    assert client.post(f"/cadres/{first.id}/account", data=form).status_code == 302
    # a double tap of the same link changes nothing
    assert client.post(f"/cadres/{first.id}/account", data=form).status_code == 302
    monkeypatch.setattr(auth_service, "find_by_username", lambda username: None)
    _refused(client.post(f"/cadres/{second.id}/account", data=form),
             "Tên đăng nhập này đã có người dùng.", field="username")
    assert _count(db, User, User.username == "dinhvana") == 1
    assert db.session.get(Cadre, second.id).user_id is None


def test_racing_new_village_is_a_clear_409(client, db, users, login, son_ha, monkeypatch):
    from app.people import units_views

    login("coordinator")
    commune = son_ha["new:son-linh"]
    url = f"/units/{commune.id}/villages/new"
    assert client.post(url, data={"name": "Nước Lăng", "category": "thôn"}).status_code == 302
    taken = db.session.scalar(select(Unit.code).where(Unit.parent_id == commune.id))
    monkeypatch.setattr(units_views, "_name_taken", lambda *args: False)
    _refused(client.post(url, data={"name": "Nước Lăng", "category": "thôn"}),
             "Xã vừa có thôn/bản tên này", field="name")  # the same name: at its field
    monkeypatch.setattr(units_views, "_next_code", lambda commune: taken)
    _refused(client.post(url, data={"name": "Nước Lăng Hạ", "category": "thôn"}),
             "Mã đơn vị này vừa được dùng")  # another name, the code taken
    assert _count(db, Unit, Unit.parent_id == commune.id) == 1


def test_racing_course_slug_is_a_clear_409(client, db, users, login, monkeypatch):
    from app.courses import service

    login("trainer")
    assert client.post("/courses/new", data=COURSE_FORM).status_code == 303
    monkeypatch.setattr(service, "slug_taken", lambda slug, exclude_id=None: False)
    monkeypatch.setattr(service, "code_taken", lambda code, exclude_id=None: False)
    _refused(client.post("/courses/new", data={**COURSE_FORM, "code": "GNBV-10"}),
             "Mã đường dẫn này vừa có khóa học khác dùng", field="slug")
    assert _count(db, Course) == 1


def test_racing_new_lesson_with_one_token_is_a_clear_409(client, db, login, make_course,
                                                          monkeypatch):
    from app.core import once

    course = make_course(lessons=(), quiz=False, status="draft")
    login("trainer")
    url = f"/courses/{course.slug}/edit/lessons/new"
    data = {"title": "Bài ba", "body": "A.", "action": "save", "once": _token(client, url)}
    assert client.post(url, data=data).status_code == 303
    monkeypatch.setattr(once, "repeat_of", lambda form: None)  # the twin did not see it yet
    _refused(client.post(url, data=data), "Biểu mẫu này vừa được gửi")
    assert _count(db, CourseLesson, CourseLesson.course_id == course.id) == 1


def test_racing_new_lesson_from_two_tabs_is_shown_at_the_title(client, db, login, make_course,
                                                               monkeypatch):
    """Two tabs (two tokens) add a lesson of one title at once: both pick the same free slug,
    the database keeps one, the other form comes back with the message at its title."""
    from app.courses import service

    course = make_course(lessons=(), quiz=False, status="draft")
    login("trainer")
    url = f"/courses/{course.slug}/edit/lessons/new"
    data = {"title": "Bài ba", "body": "A.", "action": "save"}
    assert client.post(url, data={**data, "once": _token(client, url)}).status_code == 303
    monkeypatch.setattr(service, "unique_lesson_slug", lambda course, title: "bai-ba")
    text = _refused(client.post(url, data={**data, "once": _token(client, url)}),
                    "Khóa học vừa có bài cùng tên được thêm", field="title")
    assert 'value="Bài ba"' in text
    assert _count(db, CourseLesson, CourseLesson.course_id == course.id) == 1


def test_racing_upload_of_the_same_name_is_a_clear_409(client, db, login, make_course,
                                                        upload_dir, monkeypatch):
    from app.courses import service

    course = make_course(lessons=(), quiz=False, status="draft")
    login("trainer")

    def post():
        return client.post(f"/courses/{course.slug}/edit/files",
                           data={"file": (io.BytesIO(PDF), "bieu-mau.pdf")},
                           content_type="multipart/form-data")

    assert post().status_code == 303
    original = service.attach

    def attach_unseen(actor, course, checked, stored):  # the twin's row not seen yet
        course.attachments = []
        return original(actor, course, checked, stored)

    monkeypatch.setattr(service, "attach", attach_unseen)
    _refused(post(), "Khóa học vừa nhận một tệp cùng tên")
    assert _count(db, CourseAttachment) == 1
    kept = db.session.scalar(select(CourseAttachment.stored_name))
    stored = sorted(p.name for p in Path(upload_dir, "courses").iterdir())
    assert stored == [kept]  # the refused copy is not left behind


# --- for real, on PostgreSQL: two requests at the same moment ------------------------------


def _at_once(app, posts):
    """Run each `post()` in its own thread, released together; their responses."""
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def run(i, post):
        with app.app_context():
            barrier.wait(timeout=10)
            responses[i] = post()

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return responses


@pytest.mark.skipif(not ON_POSTGRES, reason="TEST_DATABASE_URL is not PostgreSQL")
def test_two_taps_at_once_on_postgresql(app, db, users, son_ha, make_course, upload_dir):
    course = make_course(lessons=(), quiz=False, status="draft")
    clients = []
    for _ in range(2):
        c = app.test_client()
        c.post("/auth/login", data={"login": "trainer", "password": PASSWORD})
        clients.append(c)
    url = f"/courses/{course.slug}/edit/lessons/new"
    data = {"title": "Bài ba", "body": "A.", "action": "save", "once": _token(clients[0], url)}
    responses = _at_once(app, [lambda c=c: c.post(url, data=dict(data)) for c in clients])
    assert sorted(r.status_code for r in responses) in ([303, 303], [303, 409])
    assert _count(db, CourseLesson, CourseLesson.course_id == course.id) == 1

    def upload(c):
        return c.post(f"/courses/{course.slug}/edit/files",
                      data={"file": (io.BytesIO(PDF), "bieu-mau.pdf")},
                      content_type="multipart/form-data")

    responses = _at_once(app, [lambda c=c: upload(c) for c in clients])
    assert all(r.status_code in (303, 409) for r in responses)
    assert _count(db, CourseAttachment) == 1

    for c in clients:
        c.post("/auth/logout")
        c.post("/auth/login", data={"login": "coordinator", "password": PASSWORD})
    forms = [_cadre_form(db, son_ha) for _ in clients]
    responses = _at_once(app, [lambda c=c, f=f: c.post("/cadres/new", data=f)
                               for c, f in zip(clients, forms)])
    assert sorted(r.status_code for r in responses) in ([302, 400], [302, 409])
    assert _count(db, Cadre) == 1
