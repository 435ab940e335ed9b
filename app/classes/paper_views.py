"""The class's papers: the admitted list as PDF and .xlsx (coordinators and the class's
trainers: `access.may_print`). A list that must not go to a signer (empty, or a summons for
people who may only be invited) is refused on the class page, with what to do."""

from __future__ import annotations

import io

from flask import abort, send_file
from flask_login import current_user

from app.auth.decorators import role_required
from app.auth.roles import STAFF
from app.classes import access, enrolment, papers
from app.classes.access import load_class
from app.classes.blueprint import bp
from app.classes.models import TrainingClass
from app.classes.pages import detail_page, refused
from app.documents.models import org_info
from app.extensions import db
from app.people.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _printable(class_id: int) -> TrainingClass:
    klass = load_class(class_id)
    if not access.may_print(current_user, klass):
        abort(403)
    return klass


def _paper_name(klass: TrainingClass, ext: str) -> str:
    """The download name: the class code without control characters, which would make the
    server (gunicorn) refuse the Content-Disposition header."""
    code = "".join(ch for ch in klass.code if ch.isprintable())
    return f"danh-sach-hoc-vien-{code}.{ext}"


def _paper(class_id: int, render, mimetype: str, ext: str, attachment: bool):
    """The paper `render(klass, cadres, org, issuer)` gives, or the class page with the
    refusal (409)."""
    klass = _printable(class_id)
    org = org_info()
    issuer = db.session.get(Unit, org.unit_id) if org.unit_id else None
    try:
        data = render(klass, enrolment.admitted_cadres(klass), org, issuer)
    except papers.PaperRefused as exc:
        why = refused(exc)
        return detail_page(load_class(class_id), why.message, why.status)
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=attachment,
                     download_name=_paper_name(klass, ext), max_age=0)


@bp.route("/<int:class_id>/admitted.pdf")
@role_required(*STAFF)
def admitted_pdf(class_id: int):
    return _paper(class_id, papers.admitted_pdf, "application/pdf", "pdf", False)


@bp.route("/<int:class_id>/admitted.xlsx")
@role_required(*STAFF)
def admitted_xlsx(class_id: int):
    return _paper(class_id, papers.admitted_xlsx, XLSX, "xlsx", True)
