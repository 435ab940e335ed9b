"""The audit log, read only: admins read every entry, coordinators those about what they
manage (`app/audit/scope.py`). There is no route that edits or deletes an entry."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app.audit import queries
from app.audit.models import AuditEntry
from app.audit.scope import object_types, visible_to
from app.auth.decorators import role_required
from app.auth.models import User
from app.auth.roles import COORDINATORS
from app.core.paging import Pager, page_number
from app.extensions import db
from app.i18n_markers import N_

bp = Blueprint("audit_log", __name__)

OBJECT_LABELS = {
    "cadre": N_("Cán bộ"), "unit": N_("Đơn vị"), "class": N_("Lớp"),
    "class_session": N_("Buổi học"), "course": N_("Khóa học"), "user": N_("Tài khoản"),
    "org_settings": N_("Thiết lập tổ chức"), "plan": N_("Kế hoạch"), "program": N_("Chương trình"),
    "program_component": N_("Hợp phần"), "activity_type": N_("Loại hoạt động"),
    "funding_source": N_("Nguồn kinh phí"),
}


@bp.route("/")
@role_required(*COORDINATORS)
def index():
    filters = queries.AuditFilters.from_args(request.args)
    size = current_app.config["PAGE_SIZE"]
    page = page_number(request.args)
    entries, total = queries.page_of(current_user, filters, page, size)
    people = db.session.scalars(
        select(User).where(User.id.in_(select(AuditEntry.user_id).where(
            visible_to(current_user)).distinct())).order_by(User.sort_key, User.id)).all()
    types = sorted(set(object_types()) | ({"user"} if not current_user.has_role("admin")
                                           else set(OBJECT_LABELS)))
    return render_template(
        "admin/audit.html", entries=entries, filters=filters, people=people,
        actions=queries.actions(current_user), object_types=types, labels=OBJECT_LABELS,
        **Pager(page, size, total, filters.as_args()).context())
