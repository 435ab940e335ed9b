"""Every paper or file that leaves the app with personal data is recorded in the audit log:
who, when, what (Luật Bảo vệ dữ liệu cá nhân 2025: accountability). One place for all of
them: an `after_request` hook sees every successful PDF or spreadsheet response of a
signed-in user, so a paper added later (attendance sheets, allowance lists, certificates) is
recorded without a line of its own. Files that hold nobody's data are listed in
`NO_PERSONAL_DATA` by endpoint (a course attachment, the blank import template).
"""

from __future__ import annotations

from flask import request
from flask_login import current_user

from app.audit.models import record
from app.extensions import db

FILE_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/csv": "CSV",
}
NO_PERSONAL_DATA = {"courses.attachment", "cadre_io.template", "report_templates.example_file"}


def exported(response):
    """Record the file in the audit log (and commit that entry), then let it go."""
    kind = FILE_TYPES.get(response.mimetype)
    if (kind is None or response.status_code != 200 or request.endpoint in NO_PERSONAL_DATA
            or not current_user.is_authenticated):
        return response
    args = dict(request.view_args or {})
    object_type, object_id = next(
        ((name.removesuffix("_id"), value) for name, value in args.items()
         if name.endswith("_id") and isinstance(value, int)), (request.blueprint or "", None))
    filename = response.headers.get("Content-Disposition", "").partition("filename=")[2]
    record(current_user, "export", object_type, object_id,
           f"Tải tệp {kind} {filename.strip(chr(34)) or request.path}",
           data={"endpoint": request.endpoint, "path": request.path,
                 "query": request.query_string.decode("ascii", "replace")[:500],
                 "args": args, "type": kind})
    db.session.commit()
    return response


def init_exports(app) -> None:
    app.after_request(exported)
