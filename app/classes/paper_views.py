"""The class's papers: the admitted list as PDF and .xlsx (coordinators and the class's
trainers: `access.may_print`)."""

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
from app.documents.models import org_info
from app.timeutil import local_today

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
    return f"danh-sach-trieu-tap-{code}.{ext}"


@bp.route("/<int:class_id>/admitted.pdf")
@role_required(*STAFF)
def admitted_pdf(class_id: int):
    klass = _printable(class_id)
    data = papers.admitted_pdf(klass, enrolment.admitted_cadres(klass), org_info(),
                               local_today())
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=False,
                     download_name=_paper_name(klass, "pdf"), max_age=0)


@bp.route("/<int:class_id>/admitted.xlsx")
@role_required(*STAFF)
def admitted_xlsx(class_id: int):
    klass = _printable(class_id)
    data = papers.admitted_xlsx(klass, enrolment.admitted_cadres(klass), org_info(),
                                local_today())
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=_paper_name(klass, "xlsx"), max_age=0)
