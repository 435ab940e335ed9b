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

CONFIRM = {"confirm": "yes"}
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
    client.post(f"/courses/{course.slug}/edit/lessons/{two.id}/delete", data=CONFIRM)
    client.post(f"/courses/{course.slug}/edit/lessons/{one.id}/delete", data=CONFIRM)
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
    client.post(f"/courses/{course.slug}/edit/quiz/questions/{second.id}/delete", data=CONFIRM)
    db.session.expire_all()
    assert [q.text for q in course.quiz.questions] == ["Câu một?"]
    client.post(f"/courses/{course.slug}/edit/quiz/delete", data=CONFIRM)
    db.session.expire_all()
    assert course.quiz is None


# --- files -------------------------------------------------------------------------------


def _png(width, height=600, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _jpeg(width, height=600) -> bytes:
    """A small JPEG with EXIF, XMP and a comment."""
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh"  # Make
    image.save(out, "JPEG", exif=exif, comment=b"GPS 21.03,105.85",
               xmp=b"<x:xmpmeta>GPS</x:xmpmeta>")
    return out.getvalue()


def _png_with_metadata(width, height=600) -> bytes:
    """A small PNG with text chunks (tEXt, iTXt) and data after its end."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 21.03,105.85")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, "PNG", pnginfo=info)
    return out.getvalue() + b"HIDDEN trailing data"


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
    # served with the original name and the right type, downloaded, in a sandbox
    served = client.get(f"/courses/{course.slug}/files/bieu-mau-so-1.pdf")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert "Bi%E1%BB%83u" in served.headers["Content-Disposition"]
    assert "private" in served.headers["Cache-Control"]
    policy = [p.strip() for p in served.headers["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert served.headers["X-Content-Type-Options"] == "nosniff"

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
    # a small image is encoded again too: its metadata and anything after it are gone
    small = _png_with_metadata(400)
    assert _upload(client, course, "nho.png", small).status_code == 303
    item = db.session.scalar(select(CourseAttachment).where(CourseAttachment.filename == "nho.png"))
    stored = uploads.path_of(upload_dir, item.stored_name).read_bytes()
    assert b"GPS" not in stored and b"tEXt" not in stored and b"iTXt" not in stored
    assert b"HIDDEN" not in stored and stored.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (400, 600) and not image.text and not image.getexif()
    _upload(client, course, "anh.jpg", _jpeg(800))
    item = db.session.scalar(select(CourseAttachment).where(CourseAttachment.filename == "anh.jpg"))
    with Image.open(uploads.path_of(upload_dir, item.stored_name)) as image:
        assert not image.getexif()  # metadata dropped
        assert "comment" not in image.info and "xmp" not in image.info


def test_same_name_replaces_the_file(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    _upload(client, course, "mau.pdf", PDF)
    first = db.session.scalar(select(CourseAttachment)).stored_name
    # another name that folds to the same link name replaces the file, and says so
    again = _upload(client, course, "Mẫu.pdf", PDF + b"% v2\n")
    assert again.status_code == 303
    page = client.get(again.location).get_data(as_text=True)
    assert "Đã thay tệp mau.pdf bằng tệp vừa tải lên (Mẫu.pdf)" in page
    db.session.expire_all()
    items = db.session.scalars(select(CourseAttachment)).all()
    assert len(items) == 1 and items[0].stored_name != first
    assert not uploads.path_of(upload_dir, first).exists()
    client.post(f"/courses/{course.slug}/edit/files/{items[0].id}/delete", data=CONFIRM)
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
    # the domain check also refuses files above the limit (e.g. from a package)
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check("lon.pdf", PDF + b"0" * 100, max_bytes=50)
    assert str(caught.value).startswith("Tệp lon.pdf nặng ") and "; tối đa " in str(caught.value)
    assert uploads.check("vua.pdf", PDF, max_bytes=len(PDF)).kind == "pdf"  # at the limit


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


# --- malformed Markdown in the editor ----------------------------------------------------

NESTED_TABS = "\n".join("\t" * i + "- x" for i in range(300))


@pytest.mark.parametrize("action", ["preview", "save"])
def test_unrenderable_lesson_is_refused_at_the_field(client, login, db, make_course, action):
    course = make_course(lessons=(), status="draft")
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/lessons/new", data={
        "title": "Bài lồng sâu", "body": NESTED_TABS, "action": action})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="body-error"' in page
    assert "Dòng 21: thụt lề hoặc danh sách/trích dẫn lồng nhau quá sâu" in page
    assert "\t" * 299 + "- x" in page  # the trainer's text is still in the form
    assert db.session.scalar(select(func.count(CourseLesson.id))) == 0


def test_preview_checks_the_length_too(client, login, make_course):
    course = make_course(lessons=(), status="draft")
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/lessons/new", data={
        "title": "Dài", "body": "a" * 100_001, "action": "preview"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bài học quá dài (tối đa 100.000 ký tự)" in page and "preview-title" not in page


def test_unrenderable_description_is_refused(client, login, db, make_course):
    course = make_course()
    login("trainer")
    data = {**COURSE_FORM, "code": course.code, "title": course.title,
            "description": "Giới thiệu\n\n" + "- " * 40 + "x"}
    response = client.post(f"/courses/{course.slug}/edit/info", data=data)
    assert response.status_code == 400
    assert "Dòng 3: thụt lề hoặc danh sách" in response.get_data(as_text=True)


def test_lesson_saved_before_the_checks_still_shows(client, login, db, make_course):
    """A lesson stored before these checks (or by a bug) is shown as plain text to readers,
    never as an error page."""
    course = make_course(lessons=("Một",))
    lesson = course.lessons[0]
    lesson.body_md, lesson.html_hash = NESTED_TABS, ""
    db.session.commit()
    login("trainer")
    page = client.get(f"/courses/{course.slug}/lessons/1")
    assert page.status_code == 200
    assert "<p>- x<br>\t- x<br>" in page.get_data(as_text=True)


# --- destructive actions need a confirmation ---------------------------------------------


def test_deleting_asks_for_confirmation_first(client, login, db, make_course, upload_dir):
    course = make_course(lessons=("Một", "Hai"))
    login("trainer")
    _upload(client, course, "mau.pdf", PDF)
    db.session.expire_all()
    lesson, question = course.lessons[0], course.quiz.questions[0]
    attachment = course.attachments[0]
    base = f"/courses/{course.slug}/edit"
    urls = {
        f"{base}/lessons/{lesson.id}/delete": ("Xóa bài “Một”?", "Xóa bài"),
        f"{base}/files/{attachment.id}/delete": ("Xóa tệp mau.pdf?", "Xóa tệp"),
        f"{base}/quiz/questions/{question.id}/delete": ("Xóa câu hỏi 1?", "Xóa câu hỏi"),
        f"{base}/quiz/delete": ("Xóa bài kiểm tra?", "Xóa bài kiểm tra"),
    }
    workspace = client.get(base).get_data(as_text=True)
    quiz_page = client.get(f"{base}/quiz").get_data(as_text=True)
    for url, (question_text, button) in urls.items():
        assert f'href="{url}"' in workspace + quiz_page, url  # a link, not a one-tap POST
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.get_data(as_text=True)
        assert question_text in text and f'action="{url}"' in text
        assert 'name="confirm" value="yes"' in text and button in text
        # a POST without the confirmation does nothing
        assert client.post(url).status_code == 400, url
    db.session.expire_all()
    assert len(course.lessons) == 2 and len(course.attachments) == 1
    assert course.quiz is not None and len(course.quiz.questions) == 2
    # confirmed: done
    for url in urls:
        assert client.post(url, data=CONFIRM).status_code == 303, url
    db.session.expire_all()
    assert [x.title for x in course.lessons] == ["Hai"]
    assert course.attachments == [] and course.quiz is None


def test_hiding_a_lesson_with_progress_says_so(client, login, db, make_course, users):
    course = make_course(lessons=("Một", "Hai"))
    enrollment, _ = progress.enroll(users["learner"], course)
    progress.mark_done(enrollment, course.lessons[0])
    db.session.commit()
    login("trainer")
    page = client.get(f"/courses/{course.slug}/edit/lessons/{course.lessons[0].id}/delete")
    text = page.get_data(as_text=True)
    assert "Ẩn bài “Một”?" in text and "tiến độ của học viên được giữ" in text


# --- quiz questions keep every choice ------------------------------------------------------


def test_question_editor_keeps_every_choice(client, login, db, make_course):
    from app.courses.service import ChoiceData, QuestionData

    course = make_course(quiz=True, questions=[QuestionData(
        "Tám lựa chọn?", [ChoiceData(f"L{i}", i == 7) for i in range(8)])])
    question = course.quiz.questions[0]
    login("trainer")
    page = client.get(f"/courses/{course.slug}/edit/quiz/questions/{question.id}")
    text = page.get_data(as_text=True)
    for i in range(8):
        assert f'value="L{i}"' in text
    assert 'name="choices-9-text"' in text and 'name="choices-10-text"' not in text  # + 2 empty
    # saving what the form shows keeps all eight, in order
    data = {"text": "Tám lựa chọn?", "choices-7-correct": "y",
            **{f"choices-{i}-text": f"L{i}" for i in range(8)}, "choices-8-text": "L8"}
    assert client.post(f"/courses/{course.slug}/edit/quiz/questions/{question.id}",
                       data=data).status_code == 303
    db.session.expire_all()
    assert [c.text for c in question.choices] == [f"L{i}" for i in range(9)]
    assert [c.correct for c in question.choices] == [False] * 7 + [True, False]
    # more than ten filled: refused with a message, nothing dropped
    data.update({f"choices-{i}-text": f"L{i}" for i in range(11)})
    refused = client.post(f"/courses/{course.slug}/edit/quiz/questions/{question.id}", data=data)
    assert refused.status_code == 400
    assert "Mỗi câu hỏi có tối đa 10 lựa chọn." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert len(question.choices) == 9
    new = client.get(f"/courses/{course.slug}/edit/quiz/questions/new").get_data(as_text=True)
    assert 'name="choices-3-text"' in new and 'name="choices-4-text"' not in new


# --- a trainer of another course may touch nothing -----------------------------------------


def _workspace_routes():
    """Every route of the workspace blueprint (read from a bare app at collection time)."""
    from flask import Flask

    from app.courses.workspace_views import bp

    app = Flask("workspace-routes")
    app.register_blueprint(bp, url_prefix="/courses")
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("course_edit.") or rule.endpoint == "course_edit.create":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            out.append((rule.rule, method))
    return out


WORKSPACE_ROUTES = _workspace_routes()


def test_the_route_list_covers_the_workspace():
    rules = {rule for rule, _method in WORKSPACE_ROUTES}
    for part in ("/edit/files", "/edit/files/<int:attachment_id>/delete",
                 "/edit/lessons/<int:lesson_id>/move", "/edit/lessons/<int:lesson_id>/restore",
                 "/edit/quiz/questions/<int:question_id>", "/edit/quiz/questions/new",
                 "/edit/quiz/questions/<int:question_id>/move", "/edit/status",
                 "/edit/quiz/questions/<int:question_id>/delete", "/edit/learners"):
        assert "/courses/<slug>" + part in rules, part
    assert len(WORKSPACE_ROUTES) >= 25


def test_the_route_list_matches_the_app(app):
    real = {(r.rule, m) for r in app.url_map.iter_rules() if r.endpoint.startswith("course_edit.")
            and r.endpoint != "course_edit.create" for m in r.methods & {"GET", "POST"}}
    assert real == set(WORKSPACE_ROUTES)


@pytest.mark.parametrize(("rule", "method"), WORKSPACE_ROUTES)
def test_trainer_of_another_course_is_refused(client, login, db, make_course, make_user,
                                              rule, method):
    course = make_course(lessons=("Một", "Hai"))
    attachment = CourseAttachment(filename="mau.pdf", original_name="mau.pdf",
                                  stored_name="1" * 32 + ".pdf", kind="pdf",
                                  mime_type="application/pdf", size=10, sha256="0" * 64)
    course.attachments.append(attachment)
    service.remove_lesson(None, course, course.lessons[1])  # nobody did it: deleted
    db.session.commit()
    before = service.content_hash(course)
    values = {"<slug>": course.slug, "<int:lesson_id>": str(course.lessons[0].id),
              "<int:attachment_id>": str(attachment.id),
              "<int:question_id>": str(course.quiz.questions[0].id)}
    url = rule
    for key, value in values.items():
        url = url.replace(key, value)
    login(make_user("gv-khac", roles=("trainer",)))
    data = {"confirm": "yes", "action": "up", "title": "X", "body": "Y", "text": "Z",
            "pass_mark": "1", "max_attempts": "1", "choices-0-text": "A",
            "choices-0-correct": "y", "choices-1-text": "B"}
    if rule.endswith("/edit/files"):
        data["file"] = (io.BytesIO(PDF), "x.pdf")
    response = client.open(url, method=method, data=data if method == "POST" else None)
    assert response.status_code == 403, (method, url)
    db.session.expire_all()
    assert service.content_hash(course) == before and course.status == "published"


def test_ids_of_another_course_are_not_found(client, login, db, make_course, make_user):
    """A trainer of course A cannot reach course B's lessons, questions or files by putting
    their ids under A's address (404, nothing changed)."""
    mine = make_course("cua-toi", trainers=[make_user("gv-a", roles=("trainer",))])
    theirs = make_course("cua-nguoi-khac", lessons=("Một", "Hai"))
    attachment = CourseAttachment(filename="mau.pdf", original_name="mau.pdf",
                                  stored_name="2" * 32 + ".pdf", kind="pdf",
                                  mime_type="application/pdf", size=10, sha256="0" * 64)
    theirs.attachments.append(attachment)
    db.session.commit()
    before = service.content_hash(theirs)
    lesson, question = theirs.lessons[0].id, theirs.quiz.questions[0].id
    login("gv-a")
    base = f"/courses/{mine.slug}/edit"
    for method, url, data in [
        ("GET", f"{base}/lessons/{lesson}", None),
        ("POST", f"{base}/lessons/{lesson}", {"title": "Đổi", "body": "Đổi", "action": "save"}),
        ("POST", f"{base}/lessons/{lesson}/move", {"action": "down"}),
        ("POST", f"{base}/lessons/{lesson}/delete", CONFIRM),
        ("POST", f"{base}/quiz/questions/{question}/delete", CONFIRM),
        ("POST", f"{base}/quiz/questions/{question}/move", {"action": "down"}),
        ("POST", f"{base}/files/{attachment.id}/delete", CONFIRM),
    ]:
        assert client.open(url, method=method, data=data).status_code == 404, (method, url)
    db.session.expire_all()
    assert service.content_hash(theirs) == before
    assert len(theirs.attachments) == 1
