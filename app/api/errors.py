"""Errors of the API as JSON: `{"status": 400, "message": "...", "field": "per_page"}`, the
message in Vietnamese (the app's language; English with Accept-Language as elsewhere), also
for a path under /api/v1 that no route matches."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.core.refusal import Refusal
from app.i18n_markers import N_

MESSAGES = {
    400: N_("Yêu cầu không hợp lệ."),
    401: N_("Cần khóa API hợp lệ."),
    403: N_("Khóa API này không được xem dữ liệu ngoài đơn vị của nó."),
    404: N_("Không tìm thấy."),
    405: N_("Phương thức không được hỗ trợ."),
    429: N_("Quá nhiều yêu cầu; hãy thử lại sau ít phút."),
    500: N_("Đã có lỗi xảy ra."),
}


PREFIX = "/api/v1"  # where the API's blueprint is mounted (app/api/__init__.py)


class ApiError(Refusal):
    def __init__(self, status: int, message: str | None = None, field: str | None = None):
        super().__init__(message or _(MESSAGES.get(status, MESSAGES[500])), status, field)


def as_json(status: int, message: str, field: str | None = None):
    response = jsonify({"status": status, "message": message, "field": field})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="taphuan"'
    return response


def register(bp) -> None:
    @bp.errorhandler(Refusal)
    def _refused(exc: Refusal):
        return as_json(exc.status, exc.message, exc.field)

    def _http(exc: HTTPException):
        code = exc.code or 500
        return as_json(code, _(MESSAGES.get(code, MESSAGES[500])))

    # By code, as the app's HTML handlers are (app/core/errors.py): Flask prefers a handler
    # of the error's code to one of its class, the blueprint's to the app's.
    for code in MESSAGES:
        bp.register_error_handler(code, _http)

    @bp.before_app_request
    def _unrouted():
        """A path under the API that matches none of its routes (404), or a method a route
        does not take (405), answers in JSON too: the blueprint's handlers above never see
        them, since no route of the blueprint was matched."""
        failed = request.routing_exception
        if isinstance(failed, HTTPException) and (failed.code or 0) >= 400 and (
                request.path == PREFIX or request.path.startswith(PREFIX + "/")):
            return _http(failed)
        return None
