"""Cadre list import (.xlsx / UTF-8 .csv), its template, and the export of the filtered list."""

import io
from collections import Counter

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.core.forms import BaseForm
from app.extensions import db
from app.people import cadre_file
from app.people.queries import CadreFilters, cadre_select, ordered, village_choices

bp = Blueprint("cadre_io", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(BaseForm):
    file = FileField(_l("Tệp danh sách (.xlsx hoặc .csv UTF-8)"), validators=[
        FileRequired(message=_l("Vui lòng chọn tệp danh sách cán bộ (.xlsx hoặc .csv)."))])
    dry_run = BooleanField(_l("Chỉ kiểm tra, chưa nhập"))


def _summary_text(summary: cadre_file.Summary) -> str:
    return _("%(total)s dòng: thêm mới %(created)s, cập nhật %(updated)s, không đổi "
             "%(unchanged)s cán bộ.", total=summary.total, created=summary.created,
             updated=summary.updated, unchanged=summary.unchanged)


# A file wrong in every row would list tens of thousands of problems: a page too heavy for a
# phone. The first ones are listed, with the count per column to show the pattern.
PROBLEMS_SHOWN = 300


@bp.route("/import", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def import_form():
    form = ImportForm()
    problems: list[cadre_file.Problem] = []
    summary, filename, status = None, None, 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            upload = form.file.data
            filename = (upload.filename or "tep-tai-len")[:200]
            status, problems, summary = _import(filename, upload.read(), form.dry_run.data)
            if summary is not None and not form.dry_run.data:
                flash(_("Đã nhập danh sách cán bộ từ tệp %(f)s: %(s)s", f=filename,
                        s=_summary_text(summary)), "success")
                return redirect(url_for("people.index"))
    by_column = Counter(p.column or "—" for p in problems)
    return render_template(
        "people/import.html", form=form, problems=problems[:PROBLEMS_SHOWN],
        problem_count=len(problems), by_column=by_column.most_common(), summary=summary,
        summary_text=_summary_text(summary) if summary else "", filename=filename), status


def _import(filename: str, data: bytes, dry_run: bool):
    """(status, problems, summary): all rows or none; a dry run is rolled back."""
    try:
        rows = cadre_file.read_table(filename, data)
    except cadre_file.ImportProblem as exc:
        return (422 if exc.readable else 400), exc.problems, None
    valid, problems = cadre_file.validate(rows)
    if problems:
        return 422, problems, None
    try:
        summary = cadre_file.import_rows(current_user, valid, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
            return 200, [], summary
        cadre_file.record_import(current_user, summary, filename, source="web")
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return 409, [cadre_file.Problem(None, None, _(
            "Danh sách cán bộ vừa được người khác thay đổi trong lúc nhập; chưa nhập dòng nào. "
            "Vui lòng tải tệp lên lại."))], None
    return 200, [], summary


@bp.route("/import/template.xlsx")
@role_required(*COORDINATORS)
def template():
    return send_file(io.BytesIO(cadre_file.template_xlsx()), mimetype=XLSX, as_attachment=True,
                     download_name="mau-danh-sach-can-bo.xlsx", max_age=0)


@bp.route("/export.xlsx")
@role_required(*COORDINATORS)
def export():
    filters = CadreFilters.from_args(request.args)
    village_choices(filters)
    cadres = db.session.scalars(ordered(cadre_select(filters))).unique()
    return send_file(io.BytesIO(cadre_file.write_xlsx(cadres)), mimetype=XLSX,
                     as_attachment=True, download_name="danh-sach-can-bo.xlsx", max_age=0)
