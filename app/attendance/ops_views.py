"""The phone's side of attendance: `POST /api/attendance/ops` (a batch of operations taken
offline), `GET /api/attendance/sync` (a fresh CSRF token and the pages to keep offline), the
service worker at its stable address `/sw.js`, and the coordinator's review of what waits
for approval and of two people who marked differently. Thin: the rules are in `ops.py`.

The JSON route answers JSON for every refusal a retry can fix or not (a CSRF token gone stale,
a batch that cannot be read, a conflict with another writer), so the phone keeps its queue
and says why; sign-in (302 to the login page) and roles (403) are as on every route.
"""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf

from app.attendance import access, ops, queries
from app.attendance.forms import ActionForm
from app.attendance.models import STATUS_BADGES, STATUS_LABELS, AttendanceOp
from app.auth.decorators import public, role_required
from app.auth.roles import COORDINATORS, STAFF
from app.classes.access import load_class
from app.core.refusal import REFUSED, refusal
from app.extensions import db
from app.i18n_markers import N_
from app.timeutil import utcnow

api = Blueprint("attendance_api", __name__)

# The static files a phone needs to open a marking page without a signal.
# The worker imports the queue and its IndexedDB helper (indexes 4 and 5).
OFFLINE_STATIC = ("css/site.css", "js/app.js", "js/attendance.js", "js/sync.js",
                  "js/queue.js", "vendor/idb-keyval/idb-keyval.js", "favicon.svg")
CSRF_MESSAGE = N_("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang "
                  "và thử lại.")


def _json(data: dict, status: int = 200):
    response = current_app.response_class(json.dumps(data, ensure_ascii=False), status,
                                          mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@api.errorhandler(CSRFError)
def _csrf(error):
    """A missing or stale token, or a request from another site: JSON, so the phone keeps its
    queue, fetches a fresh token (`sync`) and sends again."""
    db.session.rollback()
    return _json({"error": "csrf", "message": _(CSRF_MESSAGE), "detail": error.description},
                 400)


@api.route("/api/attendance/ops", methods=["POST"])
@role_required(*STAFF)
def post_ops():
    received = utcnow()
    data = request.get_json(silent=True)
    if data is None:
        return _json({"error": "bad_json", "message": _(
            "Dữ liệu gửi lên không phải JSON đọc được.")}, 400)
    try:
        batch = ops.read_batch(data)
    except ops.BatchError as exc:
        return _json({"error": exc.code, "message": exc.message}, exc.status)
    try:
        applied = ops.apply_ops(current_user, batch.ops, received, sent_at=batch.sent_at,
                                source="phone", client_id=batch.client_id)
        db.session.commit()
    except REFUSED as exc:
        why = refusal(exc)
        return _json({"error": "conflict", "message": why.message}, why.status)
    return _json({"received_at": received.isoformat() + "Z",
                  "results": [r.as_dict() for r in applied.results]})


@api.route("/api/attendance/sync")
@role_required(*STAFF)
def sync():
    """What the phone needs to send its queue and to work offline: a CSRF token for this
    sign-in, who is signed in, and the marking pages of the running classes they teach."""
    pages = [url_for("attendance.mark", class_id=s.class_id, session_id=s.id)
             for s in queries.offline_sessions(current_user)]
    return _json({"csrf_token": generate_csrf(), "user_id": current_user.id, "pages": pages})


@api.route("/sw.js")
@public
def service_worker():
    """The service worker, at a stable address (its scope is the whole site); it names the
    current hashed static files, so a new build installs a new worker."""
    static = [url_for("static", filename=name) for name in OFFLINE_STATIC]
    version = hashlib.sha256(" ".join(static).encode()).hexdigest()[:12]
    response = current_app.response_class(
        render_template("attendance/sw.js", static=static, version=version),
        mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


# --------------------------------------------------------------------------- review


def _review_page(klass, status: int = 200):
    session_ids = [s.id for s in klass.sessions]
    return render_template(
        "attendance/review.html", klass=klass, waiting=ops.pending(session_ids),
        conflicts=ops.conflicts(session_ids), form=ActionForm(formdata=None),
        decides=current_user.is_coordinator and access.may_change(current_user, klass),
        labels=STATUS_LABELS, badges=STATUS_BADGES), status


@api.route("/classes/<int:class_id>/attendance/review")
@role_required(*STAFF)
def review(class_id: int):
    klass = load_class(class_id)
    access.require_see(current_user, klass)
    return _review_page(klass)


def _op_of(op_pk: int):
    """An operation and its class, or 404 (scope and object checks as for its class)."""
    op = db.get_or_404(AttendanceOp, op_pk)
    klass = load_class(op.session.class_id)
    access.require_see(current_user, klass)
    return op, klass


def _back(klass):
    return redirect(url_for("attendance_api.review", class_id=klass.id), 303)


@api.route("/attendance/ops/<int:op_pk>/decide", methods=["POST"])
@role_required(*COORDINATORS)
def decide(op_pk: int):
    """Approve or decline an operation that waits (taken before its session, after the class,
    or sent too late)."""
    op, klass = _op_of(op_pk)
    decision = request.form.get("decision")
    if not ActionForm().validate_on_submit() or decision not in ("approve", "decline"):
        flash(_("Hãy chọn duyệt hoặc không duyệt."), "danger")
        return _back(klass)
    try:
        ops.decide(current_user, op, decision == "approve", utcnow())
        db.session.commit()
    except REFUSED as exc:
        flash(refusal(exc).message, "danger")
        return _back(klass)
    flash(_("Đã duyệt điểm danh.") if decision == "approve" else _("Đã ghi là không duyệt."),
          "success")
    return _back(klass)


@api.route("/attendance/ops/<int:op_pk>/settle", methods=["POST"])
@role_required(*COORDINATORS)
def settle(op_pk: int):
    """Two people marked differently: the coordinator keeps one of the two marks (a new
    operation of theirs, made having seen both)."""
    op, klass = _op_of(op_pk)
    if not ActionForm().validate_on_submit():
        flash(_(CSRF_MESSAGE), "danger")
        return _back(klass)
    try:
        ops.settle(current_user, op, utcnow())
        db.session.commit()
    except REFUSED as exc:
        flash(refusal(exc).message, "danger")
        return _back(klass)
    flash(_("Đã chốt điểm danh."), "success")
    return _back(klass)
