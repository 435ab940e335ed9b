"""Trainer workspace: create and edit courses and lessons with a preview, reorder, files,
quiz questions, publish/unpublish/archive, and who may do it."""

import io
import zipfile

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.courses import progress, service, uploads
from app.courses.models import Course, CourseAttachment, CourseLesson

COURSE_FORM = {"title": "Kỹ năng họp dân", "code": "GNBV-09", "slug": "",
               "topics": ["chuong-trinh", "thong-tin"], "summary": "Họp dân hiệu quả.",
               "audience": "Trưởng thôn", "hours": "4", "description": "## Giới thiệu\n\nA."}


def test_trainer_creates_a_course_and_owns_it(client, login, db, users):
    login("trainer")
    assert client.get("/courses/new").status_code == 200
    response = client.post("/courses/new", data=COURSE_FORM)
    assert response.status_code == 303
    course = db.session.scalar(select(Course))
    assert course.slug == "ky-nang-hop-dan" and course.status == "draft"
    assert course.topics == ["chuong-trinh", "thong-tin"] and course.hours == 4
    assert [t.username for t in course.trainers] == ["trainer"]
    assert "<h2" in course.description_html
    assert response.location.endswith("/courses/ky-nang-hop-dan/edit")


def test_create_course_errors_at_the_field(client, login, make_course):
    make_course("co-roi", quiz=False)
    login("trainer")
    response = client.post("/courses/new", data={**COURSE_FORM, "topics": [], "code": "CO-ROI",
                                                 "slug": "new"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vui lòng chọn ít nhất một chủ đề của kế hoạch." in page
    assert "Kỹ năng họp dân" in page  # what was typed stays
    response = client.post("/courses/new", data={**COURSE_FORM, "code": "CO-ROI",
                                                 "slug": "new"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Mã khóa học CO-ROI đã được dùng." in page
    assert "Không dùng được “new”" in page
    response = client.post("/courses/new", data={**COURSE_FORM, "slug": "co-roi"})
    assert "đã có khóa học khác dùng" in response.get_data(as_text=True)


def test_only_editors_may_edit(client, login, make_course, make_user):
    course = make_course()
    urls = [f"/courses/{course.slug}/edit", f"/courses/{course.slug}/edit/info",
            f"/courses/{course.slug}/edit/quiz", f"/courses/{course.slug}/edit/learners",
            f"/courses/{course.slug}/edit/lessons/new"]
    other = make_user("gv-khac", roles=("trainer",))
    login(other)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/courses/{course.slug}/edit/status",
                       data={"action": "archive"}).status_code == 403
    client.post("/auth/logout")
    login("learner")
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.post("/auth/logout")
    for name in ("trainer", "coordinator", "admin"):
        login(name)
        for url in urls:
            assert client.get(url).status_code == 200, (name, url)
        client.post("/auth/logout")


def test_coordinator_assigns_trainers(client, login, db, make_course, make_user, users):
    course = make_course()
    second = make_user("gv-hai", roles=("trainer",), full_name="Đinh Văn Hai")
    login("coordinator")
    page = client.get(f"/courses/{course.slug}/edit/info").get_data(as_text=True)
    assert "Đinh Văn Hai" in page
    data = {**COURSE_FORM, "code": course.code, "title": course.title,
            "trainers": [str(second.id)]}
    assert client.post(f"/courses/{course.slug}/edit/info", data=data).status_code == 303
    db.session.expire_all()
    assert [t.username for t in course.trainers] == ["gv-hai"]
    client.post("/auth/logout")
    login("trainer")  # no longer a trainer of the course
    assert client.get(f"/courses/{course.slug}/edit").status_code == 403


def test_lesson_preview_does_not_save(client, login, db, make_course):
    course = make_course(lessons=(), status="draft")
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/lessons/new", data={
        "title": "Bài mới", "body": "## Mục\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                                    "<script>alert(1)</script>", "action": "preview"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Xem trước (chưa lưu)" in page and "<table" in page
    assert "<script>alert(1)</script>" not in page.split("Xem trước")[1].split("<form")[0]
    assert "mã HTML không được phép" in page  # warned at the field
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the text stays in the textarea
    assert db.session.scalar(select(func.count(CourseLesson.id))) == 0
    saved = client.post(f"/courses/{course.slug}/edit/lessons/new", data={
        "title": "Bài mới", "body": "Nội dung.", "action": "save"})
    assert saved.status_code == 303
    assert db.session.scalar(select(func.count(CourseLesson.id))) == 1


def test_lesson_errors_keep_the_text(client, login, make_course):
    course = make_course(lessons=(), status="draft")
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/lessons/new",
                           data={"title": "", "body": "Nội dung dài tôi đã viết."})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vui lòng nhập tên bài." in page and "Nội dung dài tôi đã viết." in page


def test_edit_reorder_and_remove_lessons(client, login, db, make_course, users):
    course = make_course(lessons=("Một", "Hai", "Ba"))
    one, two, three = course.lessons
    enrollment, _ = progress.enroll(users["learner"], course)
    progress.mark_done(enrollment, two)
    db.session.commit()
    login("trainer")
    edit = client.post(f"/courses/{course.slug}/edit/lessons/{one.id}",
                       data={"title": "Một (sửa)", "body": "**Mới**", "action": "save"})
    assert edit.status_code == 303
    db.session.expire_all()
    assert one.title == "Một (sửa)" and "<strong>Mới</strong>" in one.html_cache
    client.post(f"/courses/{course.slug}/edit/lessons/{three.id}/move", data={"action": "up"})
    db.session.expire_all()
    assert [x.title for x in course.active_lessons] == ["Một (sửa)", "Ba", "Hai"]
    bad = client.post(f"/courses/{course.slug}/edit/lessons/{three.id}/move",
                      data={"action": "sideways"})
    assert bad.status_code == 400
    # "Hai" has progress: hidden, not deleted; "Một" has none: deleted
    client.post(f"/courses/{course.slug}/edit/lessons/{two.id}/delete")
    client.post(f"/courses/{course.slug}/edit/lessons/{one.id}/delete")
    db.session.expire_all()
    assert [x.title for x in course.active_lessons] == ["Ba"]
    assert two.archived_at is not None and db.session.get(CourseLesson, one.id) is None
    assert progress.done_ids(enrollment) == {two.id}
    page = client.get(f"/courses/{course.slug}/edit").get_data(as_text=True)
    assert "Bài đã ẩn" in page
    client.post(f"/courses/{course.slug}/edit/lessons/{two.id}/restore")
    db.session.expire_all()
    assert [x.title for x in course.active_lessons] == ["Ba", "Hai"]


def test_publish_unpublish_archive(client, login, db, make_course):
    course = make_course(status="draft", lessons=())
    login("trainer")
    refused = client.post(f"/courses/{course.slug}/edit/status", data={"action": "publish"})
    assert refused.status_code == 422
    assert "Khóa học chưa có bài học nào." in refused.get_data(as_text=True)
    service.add_lesson(None, course, "Một", "Nội dung.")
    db.session.commit()
    ok = client.post(f"/courses/{course.slug}/edit/status", data={"action": "publish"})
    assert ok.status_code == 303
    db.session.expire_all()
    assert course.status == "published" and course.version == 1
    client.post(f"/courses/{course.slug}/edit/status", data={"action": "unpublish"})
    db.session.expire_all()
    assert course.status == "draft"
    client.post(f"/courses/{course.slug}/edit/status", data={"action": "archive"})
    db.session.expire_all()
    assert course.status == "archived"
    assert client.post(f"/courses/{course.slug}/edit/status",
                       data={"action": "destroy"}).status_code == 400
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"course.publish", "course.unpublish", "course.archive"} <= actions


def test_quiz_editing(client, login, db, make_course):
    course = make_course(quiz=False)
    login("trainer")
    assert client.get(f"/courses/{course.slug}/edit/quiz/questions/new").status_code == 302
    bad = client.post(f"/courses/{course.slug}/edit/quiz",
                      data={"pass_mark": "120", "max_attempts": "0"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Điểm đạt từ 0 đến 100 (%)." in page and "Số lần làm bài từ 1 đến 100." in page
    assert client.post(f"/courses/{course.slug}/edit/quiz",
                       data={"pass_mark": "80", "max_attempts": "2"}).status_code == 303
    url = f"/courses/{course.slug}/edit/quiz/questions/new"
    no_correct = client.post(url, data={"text": "Câu?", "choices-0-text": "A",
                                        "choices-1-text": "B"})
    assert no_correct.status_code == 400
    assert "Cần đánh dấu ít nhất một lựa chọn đúng." in no_correct.get_data(as_text=True)
    one_choice = client.post(url, data={"text": "Câu?", "choices-0-text": "A",
                                        "choices-0-correct": "y"})
    assert "Mỗi câu hỏi cần ít nhất 2 lựa chọn." in one_choice.get_data(as_text=True)
    ok = client.post(url, data={"text": "Câu một?", "explanation": "Vì A.",
                                "choices-0-text": "A", "choices-0-correct": "y",
                                "choices-1-text": "", "choices-2-text": "B",
                                "choices-3-text": "C", "choices-3-correct": "y"})
    assert ok.status_code == 303
    client.post(url, data={"text": "Câu hai?", "choices-0-text": "X", "choices-0-correct": "y",
                           "choices-1-text": "Y"})
    db.session.expire_all()
    first, second = course.quiz.questions
    assert [(c.text, c.correct) for c in first.choices] == [("A", True), ("B", False),
                                                            ("C", True)]
    assert first.multiple and not second.multiple
    page = client.get(f"/courses/{course.slug}/edit/quiz/questions/{first.id}")
    assert 'value="C"' in page.get_data(as_text=True)
    client.post(f"/courses/{course.slug}/edit/quiz/questions/{second.id}/move",
                data={"action": "up"})
    db.session.expire_all()
    assert [q.text for q in course.quiz.questions] == ["Câu hai?", "Câu một?"]
    client.post(f"/courses/{course.slug}/edit/quiz/questions/{second.id}/delete")
    db.session.expire_all()
    assert [q.text for q in course.quiz.questions] == ["Câu một?"]
    client.post(f"/courses/{course.slug}/edit/quiz/delete")
    db.session.expire_all()
    assert course.quiz is None


# --- files -------------------------------------------------------------------------------


def _png(width, height=600, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _jpeg(width, height=600) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh"  # Make
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client, course, name, data):
    return client.post(f"/courses/{course.slug}/edit/files",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_upload_is_checked_by_content(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    response = _upload(client, course, "Biểu mẫu số 1.pdf", PDF)
    assert response.status_code == 303
    item = db.session.scalar(select(CourseAttachment))
    assert (item.filename, item.original_name, item.kind) == ("bieu-mau-so-1.pdf",
                                                              "Biểu mẫu số 1.pdf", "pdf")
    stored = uploads.path_of(upload_dir, item.stored_name)
    assert stored.read_bytes() == PDF and "bieu" not in item.stored_name
    # served with the original name and the right type, to a learner who is enrolled
    served = client.get(f"/courses/{course.slug}/files/bieu-mau-so-1.pdf")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert "inline" in served.headers["Content-Disposition"]
    assert "Bi%E1%BB%83u" in served.headers["Content-Disposition"]
    assert "private" in served.headers["Cache-Control"]

    disguised = _upload(client, course, "cai-dat.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300)
    assert disguised.status_code == 422
    assert "không phải loại được phép (nội dung là EXE)" in disguised.get_data(as_text=True)
    renamed = _upload(client, course, "anh.pdf", _png(100))
    assert renamed.status_code == 422
    assert "có đuôi .pdf nhưng nội dung là ảnh PNG" in renamed.get_data(as_text=True)
    zipped = _upload(client, course, "tai-lieu.docx", b"PK\x03\x04" + b"\x00" * 100)
    assert zipped.status_code == 422
    empty = _upload(client, course, "rong.pdf", b"")
    assert empty.status_code in (400, 422)
    assert db.session.scalar(select(func.count(CourseAttachment.id))) == 1

    word = _upload(client, course, "Hướng dẫn.docx", _docx())
    assert word.status_code == 303
    served = client.get(f"/courses/{course.slug}/files/huong-dan.docx")
    assert served.mimetype.endswith("wordprocessingml.document")
    assert served.headers["Content-Disposition"].startswith("attachment")


def test_images_are_resized_and_stripped(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    assert _upload(client, course, "So do.png", _png(3000, 1500)).status_code == 303
    item = db.session.scalar(select(CourseAttachment).where(
        CourseAttachment.filename == "so-do.png"))
    assert (item.width, item.height) == (1280, 640)
    with Image.open(uploads.path_of(upload_dir, item.stored_name)) as image:
        assert image.size == (1280, 640)
    small = _png(400)
    _upload(client, course, "nho.png", small)
    item = db.session.scalar(select(CourseAttachment).where(CourseAttachment.filename == "nho.png"))
    assert uploads.path_of(upload_dir, item.stored_name).read_bytes() == small  # untouched
    _upload(client, course, "anh.jpg", _jpeg(800))
    item = db.session.scalar(select(CourseAttachment).where(CourseAttachment.filename == "anh.jpg"))
    with Image.open(uploads.path_of(upload_dir, item.stored_name)) as image:
        assert not image.getexif()  # metadata dropped


def test_same_name_replaces_the_file(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    _upload(client, course, "mau.pdf", PDF)
    first = db.session.scalar(select(CourseAttachment)).stored_name
    _upload(client, course, "mau.pdf", PDF + b"% v2\n")
    db.session.expire_all()
    items = db.session.scalars(select(CourseAttachment)).all()
    assert len(items) == 1 and items[0].stored_name != first
    assert not uploads.path_of(upload_dir, first).exists()
    client.post(f"/courses/{course.slug}/edit/files/{items[0].id}/delete")
    assert db.session.scalar(select(func.count(CourseAttachment.id))) == 0
    assert not uploads.path_of(upload_dir, items[0].stored_name).exists()


@pytest.fixture()
def small_limit(app):
    old = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    yield
    app.config["MAX_CONTENT_LENGTH"] = old


def test_oversize_upload(client, login, db, make_course, small_limit):
    course = make_course()
    login("trainer")
    response = _upload(client, course, "lon.pdf", PDF + b"0" * 60_000)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Tệp quá lớn: tối đa 0,05 MB." in page
    assert 'id="file-error"' in page  # at the field, on the course workspace
    assert db.session.scalar(select(func.count(CourseAttachment.id))) == 0
    assert uploads.check  # the domain check also refuses files above the limit
    with pytest.raises(uploads.UploadError):
        uploads.check("lon.pdf", PDF + b"0" * 100, max_bytes=50)


def test_files_need_access(client, login, make_course, db, users, upload_dir):
    course = make_course()
    login("trainer")
    _upload(client, course, "mau.pdf", PDF)
    client.post("/auth/logout")
    login("learner")  # not enrolled
    assert client.get(f"/courses/{course.slug}/files/mau.pdf").status_code == 403
    progress.enroll(users["learner"], course)
    db.session.commit()
    assert client.get(f"/courses/{course.slug}/files/mau.pdf").status_code == 200
    assert client.get(f"/courses/{course.slug}/files/khong-co.pdf").status_code == 404
    client.post("/auth/logout")
    assert client.get(f"/courses/{course.slug}/files/mau.pdf").status_code == 302  # sign in


def test_lesson_links_to_missing_files_warn_and_block_publish(client, login, db, make_course):
    course = make_course(status="draft")
    login("trainer")
    lesson = course.lessons[0]
    response = client.post(f"/courses/{course.slug}/edit/lessons/{lesson.id}", data={
        "title": lesson.title, "body": "Xem [mẫu](files/mau.pdf)", "action": "save"},
        follow_redirects=True)
    assert "files/mau.pdf nhưng khóa học chưa có tệp này" in response.get_data(as_text=True)
    refused = client.post(f"/courses/{course.slug}/edit/status", data={"action": "publish"})
    assert refused.status_code == 422
    _upload(client, course, "mau.pdf", PDF)
    assert client.post(f"/courses/{course.slug}/edit/status",
                       data={"action": "publish"}).status_code == 303
    db.session.expire_all()
    assert 'href="/courses/khoa-moi/files/mau.pdf"' in course.lessons[0].html_cache
