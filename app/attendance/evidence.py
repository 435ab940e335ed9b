"""Evidence of a session: scans or photos of its signed sheet (PDF, JPG or PNG), checked by
content with the course files' checks (`courses.uploads.check`: the name must agree with the
content, a PDF must be whole and carry no HTML, images are decoded and encoded again without
their metadata, such as a phone's GPS position), stored under UPLOAD_DIR/attendance with a
generated name. Adding and deleting are audited.

The file is written before the transaction commits; the view removes it again when the
commit fails (`remove`), and removes a deleted evidence's file after the commit.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _

from app.attendance import access
from app.attendance.marking import (
    AttendanceError,
    class_problem,
    has_begun,
    not_started,
    session_text,
)
from app.attendance.models import EVIDENCE_KINDS, AttendanceEvidence
from app.audit.models import record
from app.classes.models import ClassSession, TrainingClass
from app.core import storage
from app.courses import uploads
from app.extensions import db

SUBDIR = "attendance"
# Sheets are read for their signatures: photos keep up to this width (an A4 page scanned at
# about 240 dpi), wider than the course images.
MAX_WIDTH = 2000
MAX_BYTES = 10 * 1024 * 1024
ALLOWED_TEXT = "PDF, JPG, PNG"
_STORED = re.compile(r"[0-9a-f]{32}\.(pdf|jpg|png)")


def check(name: str, data: bytes, max_bytes: int, max_pixels: int) -> uploads.CheckedFile:
    """The file checked by content; only a PDF or an image is accepted (UploadError)."""
    checked = uploads.check(name, data, max_bytes, MAX_WIDTH, max_pixels)
    if checked.kind not in EVIDENCE_KINDS:
        raise uploads.UploadError(_(
            "Tệp %(name)s là %(found)s; chỉ nhận bản quét hoặc ảnh chụp danh sách ký: "
            "%(allowed)s.", name=checked.original_name, found=_(uploads.KINDS[checked.kind][2]),
            allowed=ALLOWED_TEXT))
    return checked


def store(upload_dir: str, checked: uploads.CheckedFile) -> str:
    """Write the file under a generated name (whole or not at all, app/core/storage.py: a
    full disk raises StorageFull); returns that name."""
    stored = f"{secrets.token_hex(16)}.{checked.kind}"
    storage.write_whole(Path(upload_dir) / SUBDIR, stored, checked.data)  # StorageFull
    return stored


def path_of(upload_dir: str, stored_name: str) -> Path:
    if not _STORED.fullmatch(stored_name or ""):
        raise ValueError("invalid stored name")
    return Path(upload_dir) / SUBDIR / stored_name


def remove(upload_dir: str, stored_names) -> None:
    """Delete stored files (after the transaction that dropped them committed, or when the one
    that added them failed)."""
    for name in stored_names:
        try:
            path_of(upload_dir, name).unlink(missing_ok=True)
        except (OSError, ValueError):
            continue


def attach(actor, klass: TrainingClass, session: ClassSession, checked: uploads.CheckedFile,
           stored_name: str, now: datetime) -> AttendanceEvidence:
    """Record an evidence file of a session of the class (stored already); the session must
    have started."""
    problem = _attach_problem(actor, klass, session, now)
    if problem:
        raise problem
    evidence = AttendanceEvidence(
        session_id=session.id, original_name=checked.original_name, kind=checked.kind,
        mime_type=checked.mime_type, size=len(checked.data), sha256=checked.sha256,
        stored_name=stored_name, uploaded_by_id=getattr(actor, "id", None))
    db.session.add(evidence)
    db.session.flush()
    record(actor, "attendance.evidence_add", "class_session", session.id,
           f"Thêm bản quét danh sách ký lớp {klass.code}, {session_text(session)}: "
           f"{checked.original_name}", data={"class": klass.id, "evidence": evidence.id,
                                             "sha256": checked.sha256})
    return evidence


def _attach_problem(actor, klass: TrainingClass, session: ClassSession,
                    now: datetime) -> AttendanceError | None:
    if session.class_id != klass.id:
        return AttendanceError(_("Buổi học này không thuộc lớp %(code)s.", code=klass.code), 404)
    problem = class_problem(actor, klass)
    if problem:
        return problem
    if not has_begun(session, now):
        return AttendanceError(not_started(session), 409)
    return None


def delete(actor, evidence: AttendanceEvidence, reason: str | None) -> str:
    """Delete an evidence record (coordinators; a reason is required); returns the stored name
    of its file, which the caller removes after the commit."""
    session = evidence.session
    klass = session.training_class
    if not access.may_delete_evidence(actor):
        raise AttendanceError(_("Chỉ cán bộ điều phối được xóa bản quét danh sách ký."), 403)
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError(_("Hãy ghi lý do xóa bản quét."), 422, field="reason")
    stored = evidence.stored_name
    record(actor, "attendance.evidence_delete", "class_session", session.id,
           f"Xóa bản quét danh sách ký lớp {klass.code}, {session_text(session)}: "
           f"{evidence.original_name}", reason=reason,
           data={"class": klass.id, "evidence": evidence.id, "sha256": evidence.sha256})
    db.session.delete(evidence)
    db.session.flush()
    return stored
