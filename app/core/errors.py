"""Error pages in Vietnamese; every failed request rolls its transaction back."""

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, SQLAlchemyError

from app.core.refusal import Refusal, database_unavailable, refusal
from app.extensions import db, login_manager
from app.i18n_markers import N_

MESSAGES = {
    400: N_("Yêu cầu không hợp lệ."),
    403: N_("Bạn không có quyền truy cập trang này."),
    404: N_("Không tìm thấy trang bạn cần."),
    405: N_("Phương thức không được hỗ trợ."),
    413: N_("Tệp tải lên quá lớn."),
    429: N_("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ít phút."),
    500: N_("Đã có lỗi xảy ra. Vui lòng thử lại hoặc báo cho quản trị viên."),
}


UNAVAILABLE = N_("Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút; "
                 "nếu vẫn không được, hãy báo cho quản trị viên.")


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the database is gone: nothing to roll back there
        db.session.close()


def register(app: Flask) -> None:
    def render(code: int, text: str | None = None):
        """The error page; `text` is already in the reader's language. Should the page itself
        meet an unavailable database (the signed-in user, the navigation), the plain page."""
        _rollback_quietly()
        text = text or _(MESSAGES.get(code, MESSAGES[500]))
        try:
            return render_template("core/error.html", code=code, message=text), code
        except OperationalError as exc:  # even locked for as long as the busy timeout: 503
            return _unavailable_page(exc)

    @app.errorhandler(OperationalError)
    def unavailable(exc: OperationalError):
        """The database cannot be used at all (gone, locked out, unreachable): 503 with a page
        that needs no database (no signed-in user, no navigation). The app recovers by itself:
        the next request opens a new connection."""
        if not database_unavailable(exc) and request.method not in ("GET", "HEAD"):
            return _refused(refusal(exc))  # a write met another writer: 409, try again
        # A page that only reads and still waited out the busy timeout (SQLite locked by
        # another program, a backup holding an exclusive lock) cannot be served either.
        return _unavailable_page(exc)

    @app.errorhandler(DatabaseError)
    def unusable(exc: DatabaseError):
        """The database file is no database at all (SQLite: "file is not a database", "disk
        image is malformed": a broken copy, a failing disk): as unavailable, 503."""
        return _unavailable_page(exc)

    def _unavailable_page(exc):
        _rollback_quietly()
        app.logger.error("database unavailable: %s", exc)
        # Every template gets `current_user` (Flask-Login's context processor loads it from
        # the database): the page is rendered for a visitor instead.
        g._login_user = login_manager.anonymous_user()
        return render_template("core/unavailable.html", message=_(UNAVAILABLE)), 503

    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: render(code))

    @app.errorhandler(Refusal)
    def _refused(exc: Refusal):
        """A refusal no view showed on its own page (app/core/refusal.py)."""
        return render(exc.status, exc.message)

    @app.errorhandler(IntegrityError)
    def _conflict(exc: IntegrityError):
        """A write the database refused: someone else changed the same rows meanwhile."""
        return _refused(refusal(exc))

    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return render(400, _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
                              "Vui lòng tải lại trang và thử lại."))

    @app.teardown_request
    def _rollback(exc):
        if exc is not None:
            _rollback_quietly()
