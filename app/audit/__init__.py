"""The audit log: who did what, when and why (`models.record`). No pages of its own yet: the
class page shows a class's seat history from it."""


def init_app(app):
    """The audit log is written by the other features; every file with personal data that
    leaves the app is recorded here (`exports.py`)."""
    from app.audit.exports import init_exports

    init_exports(app)
