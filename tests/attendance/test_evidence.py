"""Scans or photos of the signed sheets, attached to a session as evidence: PDF, JPG or PNG
only, checked by content, not too large; deleting needs a coordinator and a reason."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.attendance import evidence
from app.attendance.models import AttendanceEvidence
from app.audit.models import AuditEntry
from tests.attendance.conftest import first, last


def _png(width=40, height=30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _upload(client, klass, session, name, data, back="keyback"):
    return client.post(f"/classes/{klass.id}/attendance/evidence", data={
        "session_id": str(session.id), "back": back, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def _files(db):
    db.session.expire_all()
    return db.session.scalars(select(AttendanceEvidence)).all()


def test_a_photo_of_the_sheet_is_attached_and_downloaded(client, login, users, running, db, app):
    klass, _ = running()
    login(users["trainer"])
    response = _upload(client, klass, first(klass), "danh sách ký.png", _png(), back="mark")
    assert response.status_code == 303
    assert response.location.endswith(f"/sessions/{first(klass).id}/attendance#ban-quet")
    (item,) = _files(db)
    assert (item.kind, item.original_name, item.session_id) == ("png", "danh sách ký.png",
                                                               first(klass).id)
    assert evidence.path_of(app.config["UPLOAD_DIR"], item.stored_name).exists()
    page = client.get(f"/classes/{klass.id}/sessions/{first(klass).id}/attendance")
    assert "danh sách ký.png" in page.get_data(as_text=True)
    download = client.get(f"/classes/attendance/evidence/{item.id}")
    assert download.status_code == 200 and download.mimetype == "image/png"
    assert download.headers["Content-Security-Policy"].startswith("sandbox")
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "attendance.evidence_add"))
    assert "danh sách ký.png" in entry.summary


@pytest.mark.parametrize(("name", "data", "message"), [
    ("ghi-chu.txt", "Danh sách".encode(), "không phải loại được phép"),
    ("scan.pdf", _png(), "có đuôi .pdf nhưng nội dung là ảnh PNG"),
    ("scan.pdf", b"%PDF-1.4\n<html><script>x</script>", "không phải PDF hoàn chỉnh"),
])
def test_a_file_that_is_not_a_pdf_or_an_image_is_refused(client, login, users, running, db,
                                                         name, data, message):
    klass, _ = running()
    login(users["coordinator"])
    response = _upload(client, klass, first(klass), name, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _files(db) == []


def test_an_office_file_is_refused_as_not_a_scan(client, login, users, running, db):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    klass, _ = running()
    login(users["coordinator"])
    response = _upload(client, klass, first(klass), "danh-sach.docx", out.getvalue())
    assert response.status_code == 422
    assert "chỉ nhận bản quét hoặc ảnh chụp danh sách ký: PDF, JPG, PNG" in \
        response.get_data(as_text=True)
    assert _files(db) == []


def test_a_file_too_large_is_refused_at_the_field(client, login, users, running, db, app):
    klass, _ = running()
    login(users["coordinator"])
    big = PDF + b"0" * evidence.MAX_BYTES
    response = _upload(client, klass, first(klass), "scan.pdf", big)
    assert response.status_code == 422
    assert "tối đa 10 MB" in response.get_data(as_text=True)
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024  # the request itself over the limit: 413
    try:
        response = _upload(client, klass, first(klass), "scan.pdf", PDF + b"0" * 1024 * 1024)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Tệp quá lớn: tối đa 1 MB." in page and "Bảng điểm danh lớp" in page
    assert _files(db) == []


def test_no_scan_for_a_session_not_started_or_by_another_trainer(client, login, users, running,
                                                                 make_user, db):
    klass, _ = running()
    login(users["trainer"])
    response = _upload(client, klass, last(klass), "scan.pdf", PDF)
    assert response.status_code == 409
    assert "chưa bắt đầu" in response.get_data(as_text=True)
    client.post("/auth/logout")
    login(make_user("gv2", roles=("trainer",)))
    assert _upload(client, klass, first(klass), "scan.pdf", PDF).status_code == 403
    assert _files(db) == []


def test_a_coordinator_deletes_a_scan_with_a_reason(client, login, users, running, db, app):
    klass, _ = running()
    login(users["trainer"])
    _upload(client, klass, first(klass), "scan.pdf", PDF)
    (item,) = _files(db)
    path = evidence.path_of(app.config["UPLOAD_DIR"], item.stored_name)
    url = f"/classes/attendance/evidence/{item.id}/delete"
    response = client.post(url, data={"reason": "Nhầm lớp"}, follow_redirects=True)
    assert "Chỉ cán bộ điều phối được xóa" in response.get_data(as_text=True)
    client.post("/auth/logout")
    login(users["coordinator"])
    response = client.post(url, data={"reason": ""}, follow_redirects=True)
    assert "Hãy ghi lý do xóa bản quét." in response.get_data(as_text=True)
    assert len(_files(db)) == 1 and path.exists()
    client.post(url, data={"reason": "Ảnh của lớp khác"})
    assert _files(db) == [] and not path.exists()
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "attendance.evidence_delete"))
    assert entry.reason == "Ảnh của lớp khác" and "scan.pdf" in entry.summary
    assert db.session.scalar(select(func.count()).select_from(AttendanceEvidence)) == 0


def test_a_scan_on_a_full_disk_is_a_clear_507_and_nothing_half_written(client, login, users,
                                                                       running, db, app,
                                                                       monkeypatch):
    import errno
    import os
    from pathlib import Path

    from app.core import storage

    def fsync(_fd):  # the bytes reach the temporary file, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage.os, "fsync", fsync)
    klass, _ = running()
    login(users["coordinator"])
    folder = Path(app.config["UPLOAD_DIR"]) / evidence.SUBDIR
    before = set(folder.iterdir()) if folder.exists() else set()  # the session's folder
    response = _upload(client, klass, first(klass), "scan.pdf", PDF)
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert "Máy chủ đã hết chỗ lưu tệp nên chưa lưu được tệp này" in page
    assert 'id="file-error"' in page and "Bảng điểm danh lớp" in page
    assert _files(db) == []
    assert (set(folder.iterdir()) if folder.exists() else set()) == before
