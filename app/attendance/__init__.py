"""Attendance (điểm danh): marks per learner per session, the key-back of signed sheets, their
scans as evidence, and completion (`completion.py`, the one place that says who attended)."""


def init_app(app):
    from app.attendance import completion, queries
    from app.attendance.views import bp
    from app.classes import enrolment
    from app.timeutil import utcnow

    app.register_blueprint(bp, url_prefix="/classes")
    # "Trained before" in the seat allocation means attended (classes cannot import us).
    enrolment.register_trained_rule(app, completion.trained_on)
    from app.audit import scope

    scope.register(app, "class_session")  # marks and scans: the class's coordinators
    def attendance_overview(klass, role, own):
        return queries.overview(klass, role, own, utcnow())

    app.jinja_env.globals["attendance_overview"] = attendance_overview
