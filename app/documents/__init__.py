"""Shared building blocks for official PDF documents (Nghị định 30/2020/NĐ-CP), and the
organisation settings that fill them (issuing body, place name, signer).

- `fonts`: Liberation Serif (embedded, covers Vietnamese), registered once per process.
- `pdf`: national heading, titles, tables with a repeated header, signature block, page
  numbers, `build_pdf`.
- `models.OrgSetting`: the single row of organisation settings, edited at /admin/settings.
"""

from flask_babel import lazy_gettext as _l


def init_app(app):
    """Register the organisation settings page, /admin/settings."""
    from app.core.templating import add_nav
    from app.documents.views import bp

    app.register_blueprint(bp, url_prefix="/admin/settings")
    add_nav(app, "org_settings.edit", _l("Thiết lập"), order=95)
