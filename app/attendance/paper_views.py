"""The attendance papers: the sign-in sheet (blank, to sign) and the attendance report (the
filled matrix) for the class's trainers and coordinators; the allowance list for coordinators.
Thin views: load and authorise, call the builder (`sheets.py`, `report.py`, `allowance.py`),
send the file; a paper that must not be printed is refused on the class page (409)."""

from __future__ import annotations

import io

from flask import current_app, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from app.attendance import access, completion, queries, report, settings, sheets
from app.attendance.views import bp
from app.auth.decorators import role_required
from app.auth.roles import STAFF
from app.classes import enrolment
from app.classes.access import load_class
from app.classes.models import ClassSession, TrainingClass
from app.classes.pages import detail_page, refused
from app.classes.paper_views import XLSX
from app.core.refusal import Refusal
from app.documents.models import org_info
from app.extensions import db
from app.numbers import parse_id

PDF = "application/pdf"


class UnknownSession(Refusal):
    status = 404


def _class(class_id: int) -> TrainingClass:
    klass = load_class(class_id)
    access.require_see(current_user, klass)
    return klass


def chosen_sessions(klass: TrainingClass, value: str | None) -> tuple[list[ClassSession], bool]:
    """The sessions `?session=` names: all of them when absent (or "all"), else the one
    session of this class; a malformed id is refused (400), another class's or an unknown
    session too (404)."""
    if value is None or value.strip() in ("", "all"):
        return list(klass.sessions), True
    session_id = parse_id(value.strip())
    if session_id is None:
        raise UnknownSession(_("“%(value)s” không phải mã buổi học: chọn một buổi của lớp "
                               "hoặc in cho tất cả các buổi.", value=value[:40]), 400)
    session = next((s for s in klass.sessions if s.id == session_id), None)
    if session is None:
        raise UnknownSession(_("Buổi học số %(id)s không thuộc lớp %(code)s.", id=session_id,
                               code=klass.code))
    return [session], False


def _file(klass: TrainingClass, data: bytes, name: str, ext: str):
    code = "".join(ch for ch in klass.code if ch.isprintable())
    return send_file(io.BytesIO(data), mimetype=PDF if ext == "pdf" else XLSX,
                     as_attachment=ext != "pdf", download_name=f"{name}-{code}.{ext}",
                     max_age=0)


def _send(class_id: int, build, name: str, ext: str):
    """The file `build(klass)` gives, or the class page with the refusal (409)."""
    klass = _class(class_id)
    try:
        data = build(klass)
    except sheets.SheetRefused as exc:
        why = refused(exc)
        return detail_page(load_class(class_id), why.message, why.status)
    return _file(klass, data, name, ext)


@bp.route("/<int:class_id>/sign-in-sheet.pdf")
@role_required(*STAFF)
def sign_in_sheet(class_id: int):
    klass = _class(class_id)
    sessions, every = chosen_sessions(klass, request.args.get("session"))
    printer = current_app.extensions.get(sheets.PRINTER)
    if printer is None:
        return _send(class_id, lambda k: sheets.sign_in_pdf(
            k, enrolment.admitted_cadres(k), sessions, org_info(), every=every,
            title=settings.current().sheet_title), "danh-sach-ky", "pdf")
    # A recorded print (the photos feature): the print and its cells are written with it.
    response = _send(class_id, lambda k: printer(
        current_user, k, enrolment.admitted_cadres(k), sessions, org_info(), every=every,
        title=settings.current().sheet_title), "danh-sach-ky", "pdf")
    db.session.commit()
    return response


def _report_data(klass: TrainingClass) -> report.Matrix:
    learners = completion.class_completion(klass)
    marks = queries.marks_of([s.id for s in klass.sessions])
    return report.matrix(klass, learners, marks)


@bp.route("/<int:class_id>/attendance.pdf")
@role_required(*STAFF)
def attendance_pdf(class_id: int):
    return _send(class_id, lambda k: report.report_pdf(k, _report_data(k), org_info()),
                 "diem-danh", "pdf")


@bp.route("/<int:class_id>/attendance.xlsx")
@role_required(*STAFF)
def attendance_xlsx(class_id: int):
    return _send(class_id, lambda k: report.report_xlsx(k, _report_data(k), org_info()),
                 "diem-danh", "xlsx")
