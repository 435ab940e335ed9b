"""Cadre list import (.xlsx / UTF-8 .csv), its template, and the export of the filtered list."""

import io
from collections import Counter

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from app.auth.decorators import role_required
from app.auth.roles import COORDINATORS
from app.core.forms import BaseForm
from app.extensions import db
from app.people import cadre_file
from app.people.queries import CadreFilters, cadre_select, ordered, village_choices
from app.people.scope import scope_of

bp = Blueprint("cadre_io", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(BaseForm):
    file = FileField(_l("Tệp danh sách (.xlsx hoặc .csv UTF-8)"), validators=[
        FileRequired(message=_l("Vui lòng chọn tệp danh sách cán bộ (.xlsx hoặc .csv)."))])
    dry_run = BooleanField(_l("Chỉ kiểm tra, chưa nhập"))


# A file wrong in every row would list tens of thousands of problems: a page too heavy for a
# phone. The first ones are listed, with the count per column to show the pattern.
PROBLEMS_SHOWN = 300


@bp.route("/import", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def import_form():
    form = ImportForm()
    outcome, filename = None, None
    if form.validate_on_submit():
        upload = form.file.data
        filename = (upload.filename or "tep-tai-len")[:200]
        outcome = cadre_file.import_file(current_user, filename, upload.read(),
                                         dry_run=form.dry_run.data, source="web",
                                         scope=scope_of(current_user))
        if outcome.to_commit:
            db.session.commit()
            flash(_("Đã nhập danh sách cán bộ từ tệp %(f)s: %(s)s", f=filename,
                    s=outcome.summary.text()), "success")
            return redirect(url_for("people.index"))
        db.session.rollback()  # a dry run, or a refused file: all rows or none
    problems = outcome.problems if outcome else []
    by_column = Counter(p.column or "—" for p in problems)
    status = outcome.status if outcome else 400 if request.method == "POST" else 200
    return render_template(
        "people/import.html", form=form, problems=problems[:PROBLEMS_SHOWN],
        problem_count=len(problems), by_column=by_column.most_common(),
        summary=outcome and outcome.summary, filename=filename), status


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
    cadres = db.session.scalars(ordered(cadre_select(filters, scope_of(current_user)))).unique()
    return send_file(io.BytesIO(cadre_file.write_xlsx(cadres)), mimetype=XLSX,
                     as_attachment=True, download_name="danh-sach-can-bo.xlsx", max_age=0)
