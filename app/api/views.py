"""The read-only JSON API (/api/v1/) for the program's data systems: units, programs, classes
and their sessions, attendance summaries, certificate verification and the indicators.

Every route takes a bearer token (`auth.token_required`) and answers within the token's unit:
a commune token sees its commune (with those merged into it and their villages) and the
classes that invite only them; an object outside is refused (403), an unknown one is not
found (404). Only GET: nothing is written but the token's last use and the audit entries, so
the routes need no CSRF token (Flask-WTF checks only writing methods) and none is exempted.
Rate-limited per token (API_RATE_LIMIT). Thin: parse, authorise, query, serialise."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.api import openapi, serialise
from app.api.auth import api_scope, rate_key, rate_limit, token_required
from app.api.errors import ApiError, register
from app.api.paging import page_of
from app.attendance.completion import attended_counts
from app.attendance.models import AttendanceMark
from app.audit.models import record
from app.auth.decorators import public
from app.certificates import codes
from app.certificates.models import Certificate
from app.classes.access import scope_condition
from app.classes.models import Application, ClassSession, TrainingClass
from app.classes.status import STATUSES
from app.extensions import db, limiter
from app.people.models import Unit
from app.people.queries import commune_family_ids
from app.programs.models import Program
from app.reports import indicators
from app.reports.period import make_period

bp = Blueprint("api_v1", __name__)
register(bp)
# One budget per token for the whole API (not one per route).
limited = limiter.shared_limit(rate_limit, scope="api_v1", key_func=rate_key)


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"  # data of a token's unit, never cached
    return response


@bp.route("/openapi.json")
@public
def openapi_document():
    return jsonify(openapi.document())


def _class(class_id: int) -> TrainingClass:
    klass = db.session.get(TrainingClass, class_id)
    if klass is None:
        raise ApiError(404)
    if not api_scope().covers_class(klass):
        raise ApiError(403)
    return klass


@bp.route("/units")
@limited
@token_required
def units():
    scope = api_scope()
    query = select(Unit).order_by(Unit.id)
    if not scope.whole:
        query = query.where(Unit.id.in_(sorted(scope.unit_ids)))
    return jsonify(page_of(query, request.args, serialise.unit))


@bp.route("/units/<int:unit_id>")
@limited
@token_required
def unit(unit_id: int):
    found = db.session.get(Unit, unit_id)
    if found is None:
        raise ApiError(404)
    scope = api_scope()
    if not scope.whole and found.id not in scope.unit_ids:
        raise ApiError(403)
    return jsonify(serialise.unit(found))


@bp.route("/programs")
@limited
@token_required
def programs():
    return jsonify(page_of(select(Program).options(selectinload(Program.components))
                           .order_by(Program.id), request.args,
                           serialise.program))


def _iso_day(name: str) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        if len(raw) != 10:  # fromisoformat also takes "20260302" and week dates
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, _("Tham số %(name)s phải là ngày dạng YYYY-MM-DD.", name=name),
                       name) from None


@bp.route("/classes")
@limited
@token_required
def classes():
    query = (select(TrainingClass).where(scope_condition(api_scope()))
             .options(selectinload(TrainingClass.invited_units))  # what an item shows
             .order_by(TrainingClass.start_date, TrainingClass.id))
    status = request.args.get("status")
    if status:
        if status not in STATUSES:
            raise ApiError(400, _("Tham số status phải là một trong: %(v)s.",
                                  v=", ".join(STATUSES)), "status")
        query = query.where(TrainingClass.status == status)
    since, until = _iso_day("from"), _iso_day("to")
    if since is not None:
        query = query.where(TrainingClass.end_date >= since)
    if until is not None:
        query = query.where(TrainingClass.start_date <= until)
    return jsonify(page_of(query, request.args, serialise.training_class))


@bp.route("/classes/<int:class_id>")
@limited
@token_required
def training_class(class_id: int):
    return jsonify(serialise.training_class(_class(class_id)))


@bp.route("/classes/<int:class_id>/sessions")
@limited
@token_required
def sessions(class_id: int):
    klass = _class(class_id)
    return jsonify({"class_id": klass.id,
                    "items": [serialise.session(s) for s in klass.sessions]})


@bp.route("/classes/<int:class_id>/attendance")
@limited
@token_required
def attendance(class_id: int):
    """Counts only (no names): per session the marks by status, and for the class the
    sessions attended over those due and the completions (app/attendance/completion.py)."""
    klass = _class(class_id)
    admitted = list(db.session.scalars(select(Application.id).where(
        Application.class_id == klass.id, Application.status == "admitted")))
    statuses = ("present", "late", "excused", "absent")
    counts = {row[0]: row[1:] for row in db.session.execute(
        select(AttendanceMark.session_id,
               *[func.coalesce(func.sum(case((AttendanceMark.status == s, 1), else_=0)), 0)
                 for s in statuses])
        .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
        .where(ClassSession.class_id == klass.id,
               AttendanceMark.application_id.in_(admitted))
        .group_by(AttendanceMark.session_id))}
    by_session = []
    for s in klass.sessions:
        marks = dict(zip(statuses, (int(v) for v in counts.get(s.id, (0, 0, 0, 0))),
                         strict=True))
        by_session.append({"session_id": s.id, "date": s.date.isoformat(), "part": s.part,
                           **marks, "unmarked": len(admitted) - sum(marks.values())})
    attended = attended_counts(klass.id)
    total = len(klass.sessions)
    done = sum(attended.get(a, 0) for a in admitted)
    completed = sum(1 for a in admitted if total > 0
                    and 100 * attended.get(a, 0) >= klass.min_attendance_pct * total)
    return jsonify({"class_id": klass.id, "admitted": len(admitted), "sessions": total,
                    "marked": bool(counts), "attended": done, "due": len(admitted) * total,
                    "completed": completed, "by_session": by_session})


@bp.route("/certificates/<certificate_code>")
@limited
@token_required
def certificate(certificate_code: str):
    """Verification of a certificate by its code: personal data (the holder's name and birth),
    so every call is written in the audit log with the token that made it."""
    normal = codes.normalise(certificate_code)
    found = db.session.scalar(select(Certificate).where(Certificate.code == normal)) \
        if normal else None
    if found is None:
        raise ApiError(404, _("Không tìm thấy giấy chứng nhận có mã này."))
    klass = db.session.get(TrainingClass, found.class_id)
    if not api_scope().covers_class(klass):
        raise ApiError(403)
    record(None, "api_read", "certificate", found.id,
           f"Khóa API “{g.api_token.name}” ({g.api_token.prefix}…) xác minh giấy chứng nhận "
           f"{found.number}", data={"token_id": g.api_token.id, "path": request.path})
    return jsonify(serialise.certificate(found))


def _whole_number(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ApiError(400, _("Tham số %(name)s phải là số nguyên dương.", name=name), name)
    return int(raw)


@bp.route("/indicators")
@limited
@token_required
def indicator_values():
    """The indicators of the registry (app/reports/indicators.py) for a period, a program and
    a commune; a commune token gets its commune's, and may not ask for another (403)."""
    kind = request.args.get("kind") or "year"
    period = make_period(kind, _whole_number("year"), _whole_number("part"),
                         _iso_day("start"), _iso_day("end"))
    program_id, unit_id = _whole_number("program_id"), _whole_number("unit_id")
    if program_id is not None and db.session.get(Program, program_id) is None:
        raise ApiError(400, _("Không có chương trình này."), "program_id")
    scope = api_scope()
    if unit_id is not None:
        found = db.session.get(Unit, unit_id)
        if found is None or found.kind != "commune":
            raise ApiError(400, _("Tham số unit_id phải là mã (id) của một xã."), "unit_id")
        if not scope.covers_commune(found.id):
            raise ApiError(403)
    elif not scope.whole:
        unit_id = scope.commune.id
    figures = indicators.summary(indicators.Scope(
        period.start, period.end, program_id=program_id,
        commune_ids=frozenset(commune_family_ids(unit_id)) if unit_id else None))
    return jsonify({
        "period": {"label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat()},
        "program_id": program_id, "unit_id": unit_id,
        "items": [{"name": name, "label": _(label), "value": figures[name].value,
                   "of": figures[name].of}
                  for name, label in indicators.LABELS.items() if name in figures]})
