"""Attendance (điểm danh): marks per learner per session, the key-back of signed sheets, their
scans as evidence, completion (`completion.py`, the one place that says who attended), and
the papers: the sign-in sheet, the attendance report, the allowance list and its settings."""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    # The papers' and the allowance's routes are on the same blueprint, in their own modules
    # (imported here so that they register); the allowance settings have their own.
    from app.attendance import (  # noqa: F401
        allowance_views,
        completion,
        history,
        paper_views,
        queries,
        summary,  # keeps the attendance summary as marks are flushed
    )
    from app.attendance.ops_views import api
    from app.attendance.views import bp
    from app.classes import enrolment
    from app.core.templating import add_nav
    from app.timeutil import utcnow

    app.register_blueprint(bp, url_prefix="/classes")
    app.register_blueprint(api)  # /api/attendance/..., /sw.js, the review page
    app.register_blueprint(allowance_views.settings_bp, url_prefix="/admin/allowance")
    add_nav(app, "allowance_settings.edit", _l("Hỗ trợ học viên"), order=96)
    # "Trained before" in the seat allocation means attended (classes cannot import us).
    enrolment.register_trained_rule(app, completion.trained_on)
    # A new class's form starts with the meal rate in force (copied onto the class on save).
    enrolment.register_daily_rate_rule(app, allowance_views.rate_on)
    # The cadre page shows the training history (people cannot import us either).
    from app.people.history import register as register_history

    register_history(app, history.training_history)
    from app.audit import scope

    scope.register(app, "class_session")  # marks and scans: the class's coordinators

    def attendance_overview(klass, role, own):
        return queries.overview(klass, role, own, utcnow())

    app.jinja_env.globals["attendance_overview"] = attendance_overview
