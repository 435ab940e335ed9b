"""Certificates (giấy chứng nhận): who qualifies (`eligibility.py`), issuing with numbers
that are unique and without gaps (`issuing.py`), the printed certificate (`document.py`), the
register (`register.py`), the public verification (/verify)."""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from app.certificates.views import bp
    from app.core.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "certificates.register_page", _l("Giấy chứng nhận"), order=60)
