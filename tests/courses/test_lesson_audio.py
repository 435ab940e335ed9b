"""Lesson audio: recognised by its first bytes (MP3, M4A, OGG, WAV), at most 5 MB, stored as a
course file through the attachment upload, played with the browser's own player, carried by
the packages; not audio or too large: a clear message, 400/413, nothing stored."""

import io
import struct
import wave
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.courses import package, progress, service, uploads
from app.courses.models import CourseAttachment, CourseLesson

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def wav(seconds: float = 0.5) -> bytes:
    """A real WAV file: 8 kHz mono 8-bit silence."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80" * int(8000 * seconds))
    return out.getvalue()


def mp3(frames: int = 20, id3: bool = True) -> bytes:
    """MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each), after an ID3v2 tag."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x00" if id3 else b""
    return tag + frame * frames


def m4a() -> bytes:
    ftyp = b"ftypM4A \x00\x00\x02\x00M4A isom"
    return struct.pack(">I", 8 + len(ftyp)) + ftyp + struct.pack(">I", 8) + b"mdat"


def ogg() -> bytes:
    return b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1e\x01vorbis" + b"\x00" * 30


@pytest.mark.parametrize(("name", "data", "kind", "mime"), [
    ("bai-1.wav", wav(), "wav", "audio/wav"),
    ("bai-1.mp3", mp3(), "mp3", "audio/mpeg"),
    ("khong-the.mp3", mp3(id3=False), "mp3", "audio/mpeg"),
    ("bai-1.m4a", m4a(), "m4a", "audio/mp4"),
    ("bai-1.ogg", ogg(), "ogg", "audio/ogg"),
])
def test_audio_is_recognised_by_its_first_bytes(name, data, kind, mime):
    checked = uploads.check(name, data, 20 * MB, kinds=uploads.AUDIO_KINDS)
    assert (checked.kind, checked.mime_type, checked.data) == (kind, mime, data)


@pytest.mark.parametrize(("name", "data", "found"), [
    ("bai.mp3", "Đây là văn bản, không phải âm thanh.".encode(), "KHÔNG RÕ"),
    ("bai.mp3", PDF, "PDF"),
    ("anh.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00heicmif1", "HEIC"),
    ("bai.wav", b"RIFF\x24\x00\x00\x00AVI LIST", "AVI"),
    ("aac.mp3", b"\xff\xf1\x50\x80" + b"\x00" * 100, "AAC"),  # ADTS, not MPEG audio
])
def test_what_is_not_audio_is_refused(name, data, found):
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check(name, data, 20 * MB, kinds=uploads.AUDIO_KINDS)
    assert caught.value.status == 400
    assert f"không phải tệp âm thanh (nội dung là {found})" in caught.value.message
    assert "Chỉ nhận MP3, M4A, OGG, WAV." in caught.value.message


def test_audio_over_five_megabytes_is_refused_with_413():
    data = mp3(frames=(5 * MB) // 417 + 10)
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check("dai.mp3", data, 20 * MB)  # any upload path: the audio limit holds
    assert caught.value.status == 413
    assert "tối đa 5 MB" in caught.value.message and "sóng yếu" in caught.value.message
    assert uploads.check("vua.mp3", mp3(frames=(5 * MB) // 417 - 30), 20 * MB).kind == "mp3"


def test_audio_with_a_wrong_name_is_refused():
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check("bai.pdf", wav(), 20 * MB)
    assert "có đuôi .pdf nhưng nội dung là âm thanh WAV" in caught.value.message


# --- the trainer's upload and the lesson page ---------------------------------------------


def upload(client, course, lesson, name, data):
    return client.post(f"/courses/{course.slug}/edit/lessons/{lesson.id}/audio",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def stored_files(upload_dir):
    folder = Path(upload_dir) / "courses"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_trainer_uploads_audio_and_learners_play_it(client, login, db, make_course, users,
                                                    upload_dir):
    course = make_course()
    lesson = course.lessons[0]
    login("trainer")
    page = client.get(f"/courses/{course.slug}/edit/lessons/{lesson.id}").get_data(as_text=True)
    assert "Âm thanh của bài" in page and "Tối đa 5 MB" in page
    response = upload(client, course, lesson, "Bài 1 – giọng đọc.wav", wav())
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    assert lesson.audio.filename == "bai-1-giong-doc.wav" and lesson.audio.kind == "wav"
    assert len(stored_files(upload_dir)) == 1
    client.post("/auth/logout")

    progress.enroll(users["learner"], course)
    db.session.commit()
    login("learner")
    page = client.get(f"/courses/{course.slug}/lessons/1").get_data(as_text=True)
    src = f"/courses/{course.slug}/files/bai-1-giong-doc.wav"
    assert f'<audio controls preload="none" class="w-100" src="{src}">' in page
    played = client.get(src)
    assert played.status_code == 200 and played.mimetype == "audio/wav"
    assert played.data == wav()
    assert not played.headers.get("Content-Disposition", "").startswith("attachment")
    assert "sandbox" in played.headers["Content-Security-Policy"]
    part = client.get(src, headers={"Range": "bytes=0-3"})  # the player seeks
    assert part.status_code == 206 and part.data == b"RIFF"
    assert client.get(f"/courses/{course.slug}/lessons/2").get_data(as_text=True).count(
        "<audio") == 0


def test_the_audio_is_for_those_who_may_read_the_lesson(client, login, db, make_course,
                                                        make_user, upload_dir):
    course = make_course()
    lesson = course.lessons[0]
    login("trainer")
    assert upload(client, course, lesson, "bai.mp3", mp3()).status_code == 303
    client.post("/auth/logout")
    src = f"/courses/{course.slug}/files/bai.mp3"
    assert client.get(src).status_code in (302, 401)  # anonymous: sign in first
    login(make_user("hoc-vien-khac"))  # a learner not enrolled: as the lesson, refused
    assert client.get(src).status_code == 403
    assert client.get(f"/courses/{course.slug}/lessons/1").status_code == 303


@pytest.mark.parametrize(("name", "data", "status", "message"), [
    ("bai.mp3", PDF, 400, "không phải tệp âm thanh (nội dung là PDF)"),
    ("ghi-chu.mp3", "chỉ là chữ".encode(), 400, "không phải tệp âm thanh"),
    ("dai.mp3", mp3(frames=(6 * MB) // 417), 413, "tối đa 5 MB"),
])
def test_bad_audio_is_refused_and_nothing_is_stored(client, login, db, make_course, upload_dir,
                                                    name, data, status, message):
    course = make_course()
    lesson = course.lessons[0]
    before = service.content_hash(course)
    login("trainer")
    response = upload(client, course, lesson, name, data)
    assert response.status_code == status
    text = response.get_data(as_text=True)
    assert message in text and 'id="file-error"' in text
    db.session.expire_all()
    assert lesson.audio is None and service.content_hash(course) == before
    assert db.session.scalar(select(func.count(CourseAttachment.id))) == 0
    assert stored_files(upload_dir) == []


def test_an_upload_over_the_request_limit_is_a_413_at_the_field(app, client, login, db,
                                                               make_course, upload_dir):
    course = make_course()
    lesson = course.lessons[0]
    login("trainer")
    old = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = MB
    try:
        response = upload(client, course, lesson, "bai.mp3", mp3(frames=(2 * MB) // 417))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = old
    assert response.status_code == 413
    assert "Tệp quá lớn: tối đa 1 MB" in response.get_data(as_text=True)
    assert stored_files(upload_dir) == []


def test_no_file_chosen(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/lessons/{course.lessons[0].id}/audio",
                           data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Vui lòng chọn tệp âm thanh để tải lên." in response.get_data(as_text=True)


def test_removing_and_deleting_the_audio(client, login, db, make_course, upload_dir):
    course = make_course()
    lesson = course.lessons[0]
    login("trainer")
    assert upload(client, course, lesson, "bai.ogg", ogg()).status_code == 303
    response = client.post(f"/courses/{course.slug}/edit/lessons/{lesson.id}/audio/remove")
    assert response.status_code == 303
    db.session.expire_all()
    assert lesson.audio is None and len(course.attachments) == 1  # the file stays
    assert upload(client, course, lesson, "bai.ogg", ogg()).status_code == 303
    db.session.expire_all()
    attachment = course.attachments[0]
    confirm = client.get(f"/courses/{course.slug}/edit/files/{attachment.id}/delete")
    assert "“Bài một” đang dẫn tới tệp này" in confirm.get_data(as_text=True)
    deleted = client.post(f"/courses/{course.slug}/edit/files/{attachment.id}/delete",
                          data={"confirm": "yes"})
    assert deleted.status_code == 303
    db.session.expire_all()
    assert db.session.get(CourseLesson, lesson.id).audio_id is None
    assert stored_files(upload_dir) == []


# --- packages ----------------------------------------------------------------------------


def test_package_lesson_audio_round_trips(db, upload_dir, write_package, pkg, tmp_path):
    files = pkg.good()
    files["lessons/01-mot.md"] = "---\ntitle: \"Bài một\"\naudio: bai-mot.mp3\n---\n\nNội dung.\n"
    files["files/bai-mot.mp3"] = mp3()
    packages, problems = package.read_packages(write_package("khoa-thu", files), 20 * MB)
    assert problems == []
    package.import_packages(None, packages, upload_dir, publish=True)
    db.session.commit()
    course = service.by_slug("khoa-thu")
    assert course.lessons[0].audio.filename == "bai-mot.mp3" and course.lessons[1].audio is None
    exported = package.export_course(course, tmp_path / "out", upload_dir)
    assert "audio: \"bai-mot.mp3\"" in (exported / "lessons/01-mot.md").read_text("utf-8")
    assert (exported / "files/bai-mot.mp3").read_bytes() == mp3()
    again, problems = package.read_packages(tmp_path / "out", 20 * MB)
    assert problems == []
    assert package.import_packages(None, again, upload_dir).unchanged == ["khoa-thu"]


def test_package_audio_must_be_an_audio_file_of_the_package(db, write_package, pkg):
    files = pkg.good()
    files["lessons/01-mot.md"] = "---\ntitle: \"Bài một\"\naudio: khong-co.mp3\n---\n\nA.\n"
    files["lessons/02-hai.md"] = "---\ntitle: \"Bài hai\"\naudio: mau.pdf\n---\n\nB.\n"
    files["files/mau.pdf"] = PDF
    files["files/qua-lon.mp3"] = mp3(frames=(6 * MB) // 417)
    packages, problems = package.read_packages(write_package("khoa-thu", files), 20 * MB)
    assert packages == []
    shown = [str(p) for p in problems]
    assert "packages/khoa-thu/lessons/01-mot.md:3: “audio: khong-co.mp3” phải là tệp âm thanh " \
           "của thư mục files/." in shown
    assert "packages/khoa-thu/lessons/02-hai.md:3: “audio: mau.pdf” phải là tệp âm thanh " \
           "(MP3, M4A, OGG, WAV)." in shown
    assert any(p.startswith("packages/khoa-thu/files/qua-lon.mp3: Tệp âm thanh qua-lon.mp3 "
                            "nặng") and "tối đa 5 MB" in p for p in shown)
