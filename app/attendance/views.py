"""Attendance pages: marking one session, keying the signed sheets back on one matrix, the
scans of the sheets (upload, download, delete). Thin views: parse, load and authorise
(`access.py`), call the domain (`marking.py`, `evidence.py`), commit once, render or redirect.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.attendance import access, completion, evidence, forms, marking, queries
from app.attendance.models import STATUS_BADGES, STATUS_SHORT, STATUSES
from app.auth.decorators import role_required
from app.auth.roles import STAFF
from app.classes.access import load_class
from app.classes.models import ClassSession, TrainingClass
from app.core.refusal import REFUSED, refusal
from app.core.storage import StorageFull
from app.courses import uploads
from app.courses.views import FILE_CSP
from app.extensions import db
from app.timeutil import utcnow
from app.vietnamese import format_date

bp = Blueprint("attendance", __name__)


def _refused(exc: Exception):
    return refusal(exc, conflict=_("Có người khác vừa lưu điểm danh này cùng lúc; chưa lưu gì. "
                                   "Vui lòng thử lại."))


def _class(class_id: int) -> TrainingClass:
    klass = load_class(class_id)
    access.require_see(current_user, klass)
    return klass


def _page_state(klass: TrainingClass) -> dict:
    """What the marking and key-back pages say about changing the marks."""
    problem = marking.class_problem(current_user, klass)
    return {"problem": problem.message if problem else None,
            "needs_reason": klass.is_closed and problem is None}


# --------------------------------------------------------------------------- one session


def _mark_page(klass: TrainingClass, session: ClassSession, form: forms.MarkForm, *,
               posted=None, problems=None, error: str | None = None, upload_form=None,
               status: int = 200, prefill: bool = False):
    now = utcnow()
    applications = completion.admitted_applications(klass)
    marks = queries.marks_of([session.id])
    posted = posted or {}
    problems = problems or {}
    rows = []
    for number, application in enumerate(applications, 1):
        mark = marks.get((session.id, application.id))
        shown = (mark.status, mark.note or "") if mark else ("", "")
        value = posted.get(application.id)
        if value is not None:
            chosen = (marking.status_of(value.status) or "", value.note or "")
        elif mark is None and prefill:
            chosen = ("present", "")
        else:
            chosen = shown
        rows.append({"number": number, "application": application, "mark": mark,
                     "shown": shown, "chosen": chosen,
                     "error": problems.get((session.id, application.id))})
    extra = [message for (sid, aid), message in problems.items()
             if sid == session.id and aid not in {a.id for a in applications}]
    begun = marking.has_begun(session, now)
    state = _page_state(klass)
    last = max(marks.values(), key=lambda m: m.marked_at, default=None)
    return render_template(
        "attendance/mark.html", klass=klass, session=session, rows=rows, form=form,
        begun=begun, not_started=marking.not_started(session), state=state,
        session_title=_session_words(session), max_upload=_max_upload(),
        editable=begun and state["problem"] is None, error=error, extra_problems=extra,
        unmarked=sum(1 for r in rows if r["mark"] is None), last=last,
        counts={s: sum(1 for m in marks.values() if m.status == s) for s in STATUSES},
        evidence=queries.evidence_of([session.id])[session.id],
        history=queries.history([session.id]), seen=queries.seen_ops(session.id),
        review=queries.review_counts([s.id for s in klass.sessions]),
        upload_form=upload_form or _upload_form(klass, session.id, "mark"),
        delete_form=forms.DeleteEvidenceForm(formdata=None),
        statuses=STATUSES, short=STATUS_SHORT, badges=STATUS_BADGES,
        labels={s: _(STATUS_SHORT[s]) for s in STATUSES},
    ), status


@bp.route("/<int:class_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@role_required(*STAFF)
def mark(class_id: int, session_id: int):
    klass = _class(class_id)
    session = access.load_session(klass, session_id)
    form = forms.MarkForm()
    if request.method == "GET":
        return _mark_page(klass, session, form, prefill=request.args.get("all") == "present")
    entries, shown = forms.session_entries(request.form)
    if not form.validate_on_submit():
        return _mark_page(klass, session, form, posted=entries, status=400)
    try:
        saved = marking.save(current_user, klass, {session.id: entries}, utcnow(),
                             shown={(session.id, aid): e for aid, e in shown.items()},
                             reason=form.reason.data, form_id=form.form_id.data)[0]
        db.session.commit()
    except REFUSED as exc:
        why = _refused(exc)
        if why.field == "reason":
            form.reason.errors = [why.message]
        klass = load_class(class_id)
        return _mark_page(klass, access.load_session(klass, session_id), form, posted=entries,
                          problems=getattr(why, "problems", None),
                          error=None if why.field else why.message, status=why.status)
    _flash_saved([saved])
    return redirect(url_for("attendance.mark", class_id=class_id, session_id=session_id), 303)


def _flash_saved(results: list[marking.Saved]) -> None:
    created = sum(r.created for r in results)
    changed = sum(r.changed for r in results)
    kept = sum(r.kept for r in results)
    if not created and not changed:
        flash(_("Không có gì thay đổi: điểm danh đã được lưu như vậy từ trước."), "info")
    elif len(results) == 1:
        counts = results[0].counts
        flash(_("Đã lưu điểm danh %(session)s: %(present)s có mặt, %(late)s muộn, %(excused)s "
                "có phép, %(absent)s vắng (%(new)s mới, %(changed)s sửa).",
                session=_session_words(results[0].session), new=created, changed=changed,
                **{s: counts[s] for s in STATUSES}), "success")
    else:
        flash(_("Đã lưu điểm danh %(n)s buổi: %(new)s điểm danh mới, %(changed)s sửa.",
                n=sum(1 for r in results if r.wrote), new=created, changed=changed), "success")
    if kept:
        flash(_("%(n)s học viên vừa được người khác sửa điểm danh sau khi bạn mở trang và bạn "
                "không sửa họ: giữ theo lần sửa của người đó.", n=kept), "warning")


def _session_words(session: ClassSession) -> str:
    return _("buổi %(part)s %(date)s", part=_(session.part_label).lower(),
             date=format_date(session.date))


# --------------------------------------------------------------------------- key-back sheet


def _keyback_page(klass: TrainingClass, form: forms.MarkForm, *, posted=None, problems=None,
                  error: str | None = None, upload_form=None, status: int = 200,
                  prefill: int | None = None):
    """The key-back sheet; `prefill`: a session whose empty cells show "c" (present)."""
    now = utcnow()
    sessions = list(klass.sessions)
    applications = completion.admitted_applications(klass)
    learners = completion.class_completion(klass, applications)
    marks = queries.marks_of([s.id for s in sessions])
    begun = {s.id: marking.has_begun(s, now) for s in sessions}
    posted = posted or {}
    problems = problems or {}
    names = {a.id: a.cadre.full_name for a in applications}
    by_id = {s.id: s for s in sessions}
    rows = []
    for number, row in enumerate(learners, 1):
        application = row.application
        cells = []
        for s in sessions:
            mark = marks.get((s.id, application.id))
            shown = marking.CODE_OF[mark.status] if mark else ""
            typed = posted.get(s.id, {}).get(application.id)
            if typed is not None:
                value = typed.status.strip()
            elif mark is None and s.id == prefill and begun[s.id]:
                value = "c"
            else:
                value = shown
            cells.append({"session": s, "value": value,
                          "shown": mark.status if mark else "", "begun": begun[s.id],
                          "error": problems.get((s.id, application.id))})
        rows.append({"number": number, "application": application, "cells": cells,
                     "completion": row.completion})
    listed = [(names.get(aid, _("Mã đơn %(id)s", id=aid)), by_id.get(sid), message)
              for (sid, aid), message in problems.items()]
    state = _page_state(klass)
    return render_template(
        "attendance/keyback.html", klass=klass, sessions=sessions, rows=rows, form=form,
        begun=begun, state=state, editable=state["problem"] is None and any(begun.values()),
        error=error, problems=listed, met=sum(1 for r in learners if r.completion.met),
        evidence=queries.evidence_of([s.id for s in sessions]), max_upload=_max_upload(),
        upload_form=upload_form or _upload_form(  # the latest session that has started
            klass, next((s.id for s in reversed(sessions) if begun[s.id]), None), "keyback"),
        delete_form=forms.DeleteEvidenceForm(formdata=None),
        history=queries.history([s.id for s in sessions], limit=100),
        review=queries.review_counts([s.id for s in sessions]),
    ), status


@bp.route("/<int:class_id>/attendance/keyback", methods=["GET", "POST"])
@role_required(*STAFF)
def keyback(class_id: int):
    klass = _class(class_id)
    form = forms.MarkForm()
    if request.method == "GET":
        return _keyback_page(klass, form, prefill=request.args.get("all", type=int))
    entries, shown = forms.sheet_entries(request.form)
    if not form.validate_on_submit():
        return _keyback_page(klass, form, posted=entries, status=400)
    try:
        results = marking.save(current_user, klass, entries, utcnow(), shown=shown,
                               reason=form.reason.data, form_id=form.form_id.data)
        db.session.commit()
    except REFUSED as exc:
        why = _refused(exc)
        if why.field == "reason":
            form.reason.errors = [why.message]
        problems = getattr(why, "problems", None)  # listed by the page, cell by cell
        return _keyback_page(load_class(class_id), form, posted=entries, problems=problems,
                             error=None if why.field or problems else why.message,
                             status=why.status)
    _flash_saved(results)
    return redirect(url_for("attendance.keyback", class_id=class_id), 303)


# --------------------------------------------------------------------------- evidence


def _upload_form(klass: TrainingClass, session_id: int | None, back: str,
                 formdata=None) -> forms.EvidenceForm:
    form = forms.EvidenceForm(formdata=formdata)
    form.session_id.choices = [(s.id, _capital(_session_words(s))) for s in klass.sessions]
    if formdata is None:
        form.session_id.data = session_id
        form.back.data = back
    return form


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _upload_error(klass: TrainingClass, form: forms.EvidenceForm, status: int):
    """The page the upload came from, with the form's errors at its fields."""
    session_id = form.session_id.data
    if form.back.data == "mark" and any(s.id == session_id for s in klass.sessions):
        session = access.load_session(klass, session_id)
        return _mark_page(klass, session, forms.MarkForm(formdata=None), upload_form=form,
                          status=status)
    return _keyback_page(klass, forms.MarkForm(formdata=None), upload_form=form, status=status)


@bp.route("/<int:class_id>/attendance/evidence", methods=["POST"])
@role_required(*STAFF)
def upload(class_id: int):
    klass = _class(class_id)
    form = _upload_form(klass, None, "keyback", formdata=request.form)
    form.file.data = request.files.get("file")
    if not form.validate():
        return _upload_error(klass, form, 400)
    session = next((s for s in klass.sessions if s.id == form.session_id.data), None)
    if session is None:
        form.session_id.errors = [_("Buổi học này không thuộc lớp %(code)s.", code=klass.code)]
        return _upload_error(klass, form, 404)
    config = current_app.config
    try:
        checked = evidence.check(form.file.data.filename or "", form.file.data.read(),
                                 min(evidence.MAX_BYTES, config["MAX_CONTENT_LENGTH"]),
                                 config["COURSE_IMAGE_MAX_PIXELS"])
    except uploads.UploadError as exc:
        form.file.errors = [exc.message]
        return _upload_error(klass, form, 422)
    upload_dir = config["UPLOAD_DIR"]
    try:
        stored = evidence.store(upload_dir, checked)
    except StorageFull as exc:  # the disk full: said at the field, nothing kept
        form.file.errors = [exc.message]
        return _upload_error(klass, form, exc.status)
    try:
        evidence.attach(current_user, klass, session, checked, stored, utcnow())
        db.session.commit()
    except REFUSED as exc:
        evidence.remove(upload_dir, [stored])
        why = _refused(exc)
        form.file.errors = [why.message]
        return _upload_error(load_class(class_id), form, why.status)
    except Exception:
        db.session.rollback()
        evidence.remove(upload_dir, [stored])
        raise
    flash(_("Đã thêm %(name)s vào %(session)s.", name=checked.original_name,
            session=_session_words(session)), "success")
    return _back(form.back.data, class_id, session.id)


def _max_upload() -> str:
    return uploads.format_mb(min(evidence.MAX_BYTES, current_app.config["MAX_CONTENT_LENGTH"]))


def _back(back: str | None, class_id: int, session_id: int):
    if back == "mark":
        return redirect(url_for("attendance.mark", class_id=class_id, session_id=session_id)
                        + "#ban-quet", 303)
    return redirect(url_for("attendance.keyback", class_id=class_id) + "#ban-quet", 303)


@bp.errorhandler(413)
def too_large(_error):
    """A request over MAX_CONTENT_LENGTH: the upload form says so at its file field."""
    db.session.rollback()
    message = _("Tệp quá lớn: tối đa %(n)s. Hãy chụp lại với độ phân giải thấp hơn hoặc nén "
                "tệp PDF rồi tải lên lại.", n=_max_upload())
    class_id = (request.view_args or {}).get("class_id")
    klass = db.session.get(TrainingClass, class_id) if class_id else None
    if request.endpoint == "attendance.upload" and klass is not None \
            and current_user.is_authenticated and access.may_see(current_user, klass):
        form = _upload_form(klass, None, "keyback")
        form.file.errors = [message]
        return _keyback_page(klass, forms.MarkForm(formdata=None), upload_form=form,
                             status=413)
    return render_template("core/error.html", code=413, message=message), 413


@bp.route("/attendance/evidence/<int:evidence_id>")
@role_required(*STAFF)
def evidence_file(evidence_id: int):
    item = access.load_evidence(evidence_id)
    access.require_see(current_user, item.session.training_class)
    try:
        path = evidence.path_of(current_app.config["UPLOAD_DIR"], item.stored_name)
    except ValueError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=item.mime_type, as_attachment=not item.is_image,
                         download_name=item.original_name, max_age=0)
    response.cache_control.private = True
    response.headers["Content-Security-Policy"] = FILE_CSP  # as a course file: runs nothing
    return response


@bp.route("/attendance/evidence/<int:evidence_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_evidence(evidence_id: int):
    item = access.load_evidence(evidence_id)
    klass = item.session.training_class
    access.require_see(current_user, klass)
    session_id, class_id = item.session_id, klass.id
    form = forms.DeleteEvidenceForm()
    back = request.form.get("back")
    try:
        if not form.validate_on_submit():
            raise marking.AttendanceError(_("Lý do quá dài."), 400)
        stored = evidence.delete(current_user, item, form.reason.data)
        db.session.commit()
    except REFUSED as exc:
        flash(_refused(exc).message, "danger")
        return _back(back, class_id, session_id)
    evidence.remove(current_app.config["UPLOAD_DIR"], [stored])
    flash(_("Đã xóa bản quét."), "success")
    return _back(back, class_id, session_id)
