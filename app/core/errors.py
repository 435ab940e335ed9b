"""Error pages in Vietnamese; every failed request rolls its transaction back."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from app.extensions import db
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


def register(app: Flask) -> None:
    def render(code: int, message: str | None = None):
        db.session.rollback()
        text = _(message or MESSAGES.get(code, MESSAGES[500]))
        return render_template("core/error.html", code=code, message=text), code

    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: render(code))

    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return render(400, N_("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
                              "Vui lòng tải lại trang và thử lại."))

    @app.teardown_request
    def _rollback(exc):
        if exc is not None:
            db.session.rollback()
