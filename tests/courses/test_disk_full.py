"""A full disk on upload (ENOSPC while the file is written): a clear Vietnamese message at the
file field with 507, no half-written file left in the upload folder (neither under its name
nor as the temporary part), nothing recorded in the database. Every path that writes a course
file: the workspace's file upload, a lesson's audio, and a package import."""

import errno
import io
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core import storage
from app.courses.models import CourseAttachment, CourseLesson
from tests.courses.test_lesson_audio import wav

FULL = "Máy chủ đã hết chỗ lưu tệp nên chưa lưu được tệp này"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture()
def full_disk(monkeypatch):
    """The bytes reach the temporary file, then the disk is full (as when a write fills it)."""
    def fsync(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage.os, "fsync", fsync)


def _everything(upload_dir) -> list[str]:
    root = Path(upload_dir)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


def test_the_helper_leaves_nothing_behind(tmp_path, full_disk, app):
    with app.test_request_context(), pytest.raises(storage.StorageFull) as refused:
        storage.write_whole(tmp_path / "courses", "abc.pdf", PDF)
    assert refused.value.status == 507 and FULL in refused.value.message
    assert list((tmp_path / "courses").iterdir()) == []


def test_another_write_error_says_to_try_again(tmp_path, monkeypatch, app):
    def fsync(_fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(storage.os, "fsync", fsync)
    with app.test_request_context(), pytest.raises(storage.StorageFull) as refused:
        storage.write_whole(tmp_path, "abc.pdf", PDF)
    assert "không ghi được tệp này lúc này" in refused.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_course_file_on_a_full_disk(client, login, db, make_course, upload_dir, full_disk):
    course = make_course()
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/files",
                           data={"file": (io.BytesIO(PDF), "tai-lieu.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert FULL in page and 'id="file-error"' in page
    assert db.session.scalar(select(func.count(CourseAttachment.id))) == 0
    assert _everything(upload_dir) == []


def test_a_lesson_audio_on_a_full_disk(client, login, db, make_course, upload_dir, full_disk):
    course = make_course()
    lesson = course.lessons[0]
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/lessons/{lesson.id}/audio",
                           data={"file": (io.BytesIO(wav()), "bai-1.wav")},
                           content_type="multipart/form-data")
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert FULL in page and 'id="file-error"' in page
    db.session.expire_all()
    assert db.session.get(CourseLesson, lesson.id).audio is None
    assert db.session.scalar(select(func.count(CourseAttachment.id))) == 0
    assert _everything(upload_dir) == []


def test_a_package_import_on_a_full_disk(app, db, upload_dir, write_package, pkg, monkeypatch):
    files = pkg.good()
    files["files/mot.pdf"] = PDF
    files["files/hai.pdf"] = PDF + b"%"
    files["lessons/01-mot.md"] = pkg.lesson("Bài một", "[a](files/mot.pdf) [b](files/hai.pdf)")
    root = write_package("khoa-thu", files)
    written = []
    real = storage.os.fsync

    def fsync(fd):  # the first file fits, the second fills the disk
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(fd)
        return real(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    result = app.test_cli_runner().invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 1 and FULL in result.output
    assert written and _everything(upload_dir) == []  # the first file removed again
    from app.courses.models import Course

    assert db.session.scalar(select(func.count(Course.id))) == 0
