"""The audit log: who did what, when and why (`models.record`). No pages of its own yet: the
class page shows a class's seat history from it."""


def init_app(app):
    """Nothing to register: the audit log is written by the other features."""
