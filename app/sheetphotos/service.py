"""Reading photos of signed sheets and confirming what they propose.

Plain domain code: the acting user, the class, the photo's bytes, the key for the QR codes,
the upload folder and `now` are passed in; flush only, the view commits once.

- `read_photo`: the photo is checked by content (`attendance.evidence.check`: an image,
  decoded and encoded again without its metadata, scaled to 2,000 px), the page is found and
  read (`reader.py`), the photo is stored and a `SheetReading` written, unconfirmed. Reading a
  page again replaces its unconfirmed result. A photo whose QR code cannot be read is kept
  and the person picks the page (`choose_page`).
- `proposals`: the page's learners × sessions, each with what the photo shows and what it
  proposes against the marks saved (`attendance.photo_proposals`).
- `confirm`: the marks a person confirmed go through `attendance.marking.save` (the domain
  service of the phone page), audited as coming from the photo; the photo becomes each
  session's evidence. The reading is locked first: two people confirming the same page at
  once write it once, the second is told it was confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from reportlab.lib.units import mm
from sqlalchemy import select

from app.attendance import evidence, marking
from app.attendance.completion import admitted_applications
from app.attendance.marking import Entry
from app.attendance.models import AttendanceMark
from app.attendance.photo_proposals import Proposal, propose
from app.audit.models import record
from app.classes.models import TrainingClass
from app.core.locking import lock_row
from app.core.refusal import Refusal
from app.courses import uploads
from app.documents import pdf
from app.extensions import db
from app.sheetphotos import codes, prints, reader
from app.sheetphotos.models import SheetPrint, SheetReading
from app.timeutil import format_local

CORNER_LABELS = {"top left": "trên bên trái", "top right": "trên bên phải",
                 "bottom right": "dưới bên phải", "bottom left": "dưới bên trái"}


class PhotoRefused(Refusal):
    """A photo that cannot be read, with what to do (400/422), or a page that cannot be
    confirmed (409)."""

    status = 422


def page_mm() -> tuple[float, float]:
    """The sign-in sheet's page (A4 landscape) in mm."""
    width, height = pdf.page_size("landscape")
    return round(width / mm, 2), round(height / mm, 2)


def _corners(found) -> str:
    return ", ".join(CORNER_LABELS[c] for c in found) or _("không góc nào")


def _unreadable(exc: reader.Unreadable, name: str) -> PhotoRefused:
    if exc.reason == "small":
        return PhotoRefused(_("Ảnh %(name)s quá nhỏ để đọc chữ ký (cần ảnh rộng ít nhất "
                              "%(px)s điểm ảnh). Hãy chụp lại bằng camera của điện thoại, "
                              "không gửi ảnh thu nhỏ.", name=name, px=reader.MIN_SIDE))
    if exc.reason == "far":
        return PhotoRefused(_("Trang giấy trong ảnh %(name)s quá nhỏ (chụp quá xa). Hãy chụp "
                              "gần hơn để trang giấy chiếm gần hết khung ảnh.", name=name))
    if exc.reason == "two_pages":
        return PhotoRefused(_("Ảnh %(name)s có hai trang giấy. Hãy chụp mỗi trang một ảnh.",
                              name=name))
    return PhotoRefused(_("Ảnh %(name)s không thấy đủ bốn ô vuông đen ở bốn góc trang (thấy "
                          "%(n)s: %(found)s). Hãy chụp lại cả trang, đủ bốn góc, không để "
                          "ngón tay hay vật khác che góc.", name=name, n=len(exc.found),
                          found=_corners(exc.found)))


def check_photo(name: str, data: bytes, max_bytes: int, max_pixels: int) -> uploads.CheckedFile:
    """The photo checked by content: a JPG or PNG (a PDF, a HEIC photo or anything else is
    refused with what to do instead)."""
    kind, looks = uploads.sniff(data)
    if kind == "pdf":
        raise PhotoRefused(_("Tệp %(name)s là PDF, không phải ảnh chụp. Hãy chụp từng trang "
                             "danh sách đã ký bằng điện thoại rồi gửi ảnh JPG hoặc PNG (bản "
                             "quét PDF vẫn đính kèm được làm minh chứng ở trang điểm danh).",
                             name=name), 400)
    if looks in ("heic", "avif"):
        raise PhotoRefused(_("Ảnh %(name)s ở định dạng HEIC của iPhone. Hãy gửi ảnh JPG: trên "
                             "iPhone chọn Cài đặt › Camera › Định dạng › Tương thích nhất, "
                             "hoặc chia sẻ ảnh qua Zalo/thư rồi tải ảnh đó lên.", name=name),
                           400)
    checked = evidence.check(name, data, max_bytes, max_pixels)
    if checked.kind not in ("jpg", "png"):
        raise PhotoRefused(_("Tệp %(name)s không phải ảnh chụp (JPG, PNG).", name=name), 400)
    return checked


@dataclass
class ReadOutcome:
    reading: SheetReading
    replaced: list[str] = field(default_factory=list)  # photo files to remove after commit
    warning: str = ""


def _locate(gray, name: str) -> reader.Located:
    try:
        return reader.locate(gray, page_mm())
    except reader.Unreadable as exc:
        raise _unreadable(exc, name) from exc


def _page_code(klass: TrainingClass, texts: list[str], key: bytes,
               name: str) -> codes.PageCode | None:
    """The page the QR code names; None when no QR code was read (the person picks the page);
    refused when it belongs to another class or is not this app's."""
    if not texts:
        return None
    for text in texts:
        code = codes.parse(key, text)
        if code is None:
            continue
        if code.class_id != klass.id:
            raise PhotoRefused(_("Ảnh %(name)s là trang danh sách ký của một lớp khác (mã lớp "
                                 "số %(other)s), không phải lớp %(code)s. Hãy tải ảnh lên ở "
                                 "trang của lớp đó.", name=name, other=code.class_id,
                                 code=klass.code), 409)
        return code
    if any(codes.is_ours(t) for t in texts):
        raise PhotoRefused(_("Mã QR trên ảnh %(name)s không phải do phần mềm này in (mã không "
                             "khớp). Hãy in danh sách ký từ trang của lớp rồi chụp trang đã "
                             "ký.", name=name), 409)
    raise PhotoRefused(_("Ảnh %(name)s có mã QR nhưng không phải mã của danh sách ký. Hãy "
                         "chụp trang danh sách ký in từ phần mềm này.", name=name))


def _print_of(klass: TrainingClass, print_id: int) -> SheetPrint:
    found = db.session.get(SheetPrint, print_id)
    if found is None or found.class_id != klass.id:
        raise PhotoRefused(_("Không tìm thấy lần in danh sách ký này của lớp %(code)s.",
                             code=klass.code), 404)
    return found


def _analyse(sheet: SheetPrint, page: int, gray, located: reader.Located) -> dict:
    cells = sheet.cells_of(page)
    read = reader.read_cells(gray, located, page_mm(), [box for _c, _s, box in cells])
    return {"homography": located.homography.tolist(), "found": list(located.found),
            "cells": [[cadre, session, r.decision, r.ink]
                      for (cadre, session, _box), r in zip(cells, read.cells, strict=True)]}


def _replace_unconfirmed(reading: SheetReading) -> list[str]:
    """Drop the unconfirmed readings of the same page (read again); their photos' names."""
    old = db.session.scalars(select(SheetReading).where(
        SheetReading.print_id == reading.print_id, SheetReading.page == reading.page,
        SheetReading.status == "read", SheetReading.id != reading.id)).all()
    names = [r.photo_name for r in old]
    for r in old:
        db.session.delete(r)
    return names


def read_photo(actor, klass: TrainingClass, name: str, data: bytes, *, key: bytes,
               upload_dir: str, max_bytes: int, max_pixels: int) -> ReadOutcome:
    """Read one photo of a page of the class's sheet into an unconfirmed reading."""
    problem = marking.class_problem(actor, klass)
    if problem:
        raise problem
    checked = check_photo(name, data, max_bytes, max_pixels)
    name = checked.original_name
    gray = reader.decode(checked.data)
    located = _locate(gray, name)
    texts = reader.read_qr(gray, located, prints.qr_box_mm(page_mm()))
    code = _page_code(klass, texts, key, name)
    sheet = None
    if code is not None:
        sheet = _print_of(klass, code.print_id)
        if code.page > sheet.pages:
            raise PhotoRefused(_("Mã QR ghi trang %(page)s nhưng lần in này chỉ có %(pages)s "
                                 "trang.", page=code.page, pages=sheet.pages), 409)
    stored = evidence.store(upload_dir, checked)
    reading = SheetReading(class_id=klass.id, original_name=name, photo_name=stored,
                           photo_sha256=checked.sha256, read_by_id=getattr(actor, "id", None),
                           result={"homography": located.homography.tolist(),
                                   "found": list(located.found), "cells": []})
    if sheet is not None:
        reading.print_id, reading.page = sheet.id, code.page
        reading.result = _analyse(sheet, code.page, gray, located)
    db.session.add(reading)
    db.session.flush()
    outcome = ReadOutcome(reading)
    if sheet is not None:
        outcome.replaced = _replace_unconfirmed(reading)
    if located.missing:
        outcome.warning = _("Chỉ thấy ba góc (thiếu góc %(corner)s): kết quả vẫn đọc được "
                            "nhưng hãy xem kỹ các ô gần góc đó.",
                            corner=_corners(located.missing))
    return outcome


def photo_bytes(upload_dir: str, reading: SheetReading) -> bytes:
    try:
        return evidence.path_of(upload_dir, reading.photo_name).read_bytes()
    except (OSError, ValueError) as exc:
        raise PhotoRefused(_("Không tìm thấy tệp ảnh %(name)s trên máy chủ; hãy tải ảnh lên "
                             "lại.", name=reading.original_name), 409) from exc


def photo_gray(upload_dir: str, reading: SheetReading):
    return reader.decode(photo_bytes(upload_dir, reading))


def choose_page(actor, klass: TrainingClass, reading: SheetReading, print_id: int, page: int,
                upload_dir: str) -> list[str]:
    """The person says which printed page the photo is (its QR code could not be read); the
    photo is read as that page. Returns the replaced readings' photos."""
    problem = marking.class_problem(actor, klass)
    if problem:
        raise problem
    if reading.status != "read":
        raise _confirmed(reading)
    sheet = _print_of(klass, print_id)
    if not 1 <= page <= sheet.pages:
        raise PhotoRefused(_("Lần in này có %(pages)s trang; hãy chọn một trang từ 1 đến "
                             "%(pages)s.", pages=sheet.pages), 422)
    gray = photo_gray(upload_dir, reading)
    located = _locate(gray, reading.original_name)
    reading.print_id, reading.page = sheet.id, page
    reading.result = _analyse(sheet, page, gray, located)
    db.session.flush()
    return _replace_unconfirmed(reading)


# --------------------------------------------------------------------------- proposals


@dataclass
class Row:
    """A learner's row of the page: their admitted application (None: no longer admitted),
    the name as printed, and a proposal per session (in the page's session order)."""

    cadre_id: int
    name: str
    application: object | None
    cells: list[tuple[int | None, Proposal]]


@dataclass
class PageView:
    sessions: list  # the ClassSession of each column (None for a sheet without sessions)
    rows: list[Row]
    added: list  # learners admitted since the print (not on the sheet)
    begun: set  # the ids of the sessions that have begun (only they are marked)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(reader.DECISIONS, 0)
        for row in self.rows:
            for _session, proposal in row.cells:
                out[proposal.decision] += 1
        return out


def page_view(klass: TrainingClass, reading: SheetReading, now: datetime) -> PageView:
    """The page's learners × sessions with what the photo shows and proposes against the
    marks saved (a few queries: the admitted applications, the names, the marks); a session
    that has not begun proposes nothing."""
    cells = reading.result.get("cells", [])
    admitted = admitted_applications(klass)
    by_cadre = {a.cadre_id: a for a in admitted}
    session_ids = list(dict.fromkeys(c[1] for c in cells))
    by_id = {s.id: s for s in klass.sessions}
    begun = {s.id for s in klass.sessions if marking.has_begun(s, now)}
    marks = {(m.session_id, m.application_id): m.status for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id.in_(
            [s for s in session_ids if s is not None])))}
    rows: dict[int, Row] = {}
    from app.people.models import Cadre

    names = {c.id: c.full_name for c in db.session.scalars(select(Cadre).where(
        Cadre.id.in_({c[0] for c in cells})))}
    for cadre_id, session_id, decision, _ink in cells:
        application = by_cadre.get(cadre_id)
        row = rows.setdefault(cadre_id, Row(cadre_id, names.get(cadre_id, ""), application, []))
        existing = marks.get((session_id, application.id)) if application else None
        proposal = propose(decision, existing)
        if session_id not in begun:
            proposal = Proposal(decision, existing, None, False)
        row.cells.append((session_id, proposal))
    on_sheet = set()
    if reading.sheet_print is not None:
        on_sheet = {c[1] for c in reading.sheet_print.layout.get("cells", [])}
    added = [a for a in admitted if a.cadre_id not in on_sheet]
    return PageView([by_id.get(s) for s in session_ids], list(rows.values()), added, begun)


def as_json(reading: SheetReading) -> dict:
    return {"reading_id": reading.id, "print_id": reading.print_id, "page": reading.page,
            "status": reading.status, "corners_found": reading.result.get("found", []),
            "cells": [{"cadre_id": c[0], "session_id": c[1], "decision": c[2]}
                      for c in reading.result.get("cells", [])]}


# --------------------------------------------------------------------------- confirming


def _confirmed(reading: SheetReading) -> PhotoRefused:
    return PhotoRefused(_("Trang này đã được xác nhận lúc %(at)s; không ghi lại lần nữa. Muốn "
                          "sửa, hãy sửa ở trang điểm danh của buổi học.",
                          at=format_local(reading.confirmed_at) if reading.confirmed_at
                          else ""), 409)


def confirm(actor, klass: TrainingClass, reading: SheetReading,
            chosen: dict[int, dict[int, Entry]], shown: dict[tuple[int, int], Entry],
            now: datetime, upload_dir: str) -> tuple[list, list[str]]:
    """Write the marks a person confirmed (`chosen`: session id -> application id -> Entry,
    cells left empty are not in it; `shown`: what their page showed as the saved mark,
    Entry("") for none: a mark saved meanwhile by someone else stands) through
    `marking.save`, keep the photo as each session's evidence, and mark the reading confirmed.
    Returns what marking saved and the evidence files written (removed if the commit fails)."""
    locked = lock_row(SheetReading, reading.id)
    if locked is None:
        raise PhotoRefused(_("Kết quả đọc ảnh này không còn (đã có ảnh mới của cùng trang)."),
                           409)
    if locked.status != "read":
        raise _confirmed(locked)
    if locked.print_id is None:
        raise PhotoRefused(_("Hãy chọn trang của ảnh trước khi xác nhận."), 422)
    page_sessions = {c[1] for c in locked.result.get("cells", [])}
    entries = {sid: row for sid, row in chosen.items() if sid in page_sessions and row}
    saved = []
    if entries:
        saved = marking.save(actor, klass, entries, now, partial=True, source="photo",
                             shown=shown)
    written = []
    data = photo_bytes(upload_dir, locked)
    photo = uploads.CheckedFile(filename=f"{Path(locked.photo_name).stem}.jpg",
                                original_name=locked.original_name,
                                kind=locked.photo_name.rsplit(".", 1)[-1],
                                mime_type="image/jpeg" if locked.photo_name.endswith("jpg")
                                else "image/png", data=data)
    for session in klass.sessions:
        if session.id in page_sessions and marking.has_begun(session, now):
            name = evidence.store(upload_dir, photo)
            written.append(name)
            evidence.attach(actor, klass, session, photo, name, now)
    locked.status, locked.confirmed_at = "confirmed", now
    locked.confirmed_by_id = getattr(actor, "id", None)
    record(actor, "sheetphotos.confirm", "class", klass.id,
           f"Xác nhận điểm danh từ ảnh chụp danh sách ký lớp {klass.code}, trang "
           f"{locked.page} (lần in số {locked.print_id}): "
           f"{sum(s.created + s.changed for s in saved)} điểm danh ghi",
           data={"reading": locked.id, "print": locked.print_id, "page": locked.page,
                 "source": "photo", "sha256": locked.photo_sha256})
    db.session.flush()
    return saved, written
