"""Admin pages: accounts and roles; the audit log (read only, coordinators too)."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app.admin.audit_views import bp as audit_bp
    from app.admin.views import bp
    from app.core.templating import add_nav

    app.register_blueprint(bp, url_prefix="/admin")
    app.register_blueprint(audit_bp, url_prefix="/audit")
    add_nav(app, "admin.users", _l("Tài khoản"), order=90)
    add_nav(app, "audit_log.index", _l("Nhật ký"), order=95)
    app.add_template_filter(_audit_value, "audit_value")


def _audit_value(value) -> str:
    """An old or new value of an audit entry as written (JSON, Vietnamese letters kept; the
    template escapes it)."""
    import json

    return json.dumps(value, ensure_ascii=False, default=str)
