"""Attendance (điểm danh): marks per learner per session, the key-back of signed sheets, their
scans as evidence, and completion (`completion.py`, the one place that says who attended)."""


def init_app(app):
    from app.attendance import completion
    from app.classes import enrolment

    # "Trained before" in the seat allocation means attended (classes cannot import us).
    enrolment.register_trained_rule(app, completion.trained_on)
