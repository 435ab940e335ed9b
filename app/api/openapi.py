"""The OpenAPI 3 document of /api/v1/, served at /api/v1/openapi.json. Written by hand beside
the routes it describes (app/api/views.py, serialise.py, paging.py) and held to them by
tests/api/test_openapi.py (every route documented and nothing more; schemathesis calls each
operation with generated parameters and checks every answer against this document)."""

from __future__ import annotations

from app.api.paging import DEFAULT_PER_PAGE, MAX_PER_PAGE
from app.classes.status import STATUSES
from app.core.paging import MAX_PAGE
from app.reports.period import FIRST_YEAR, KINDS, LAST_YEAR

MAX_ID = 2_147_483_647  # the database's integer (app/core/converters.py)
DATE = {"type": "string", "format": "date"}
NULL_DATE = {"type": "string", "format": "date", "nullable": True}
NULL_INT = {"type": "integer", "nullable": True}
NULL_TEXT = {"type": "string", "nullable": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": required if required is not None else list(properties)}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _page(item: str) -> dict:
    return _object({"items": {"type": "array", "items": _ref(item)},
                    "page": {"type": "integer", "minimum": 1},
                    "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                    "total": {"type": "integer", "minimum": 0},
                    "pages": {"type": "integer", "minimum": 1}})


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


PAGING = [
    _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
           "Trang (từ 1)."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                        "default": DEFAULT_PER_PAGE},
           f"Số dòng một trang, tối đa {MAX_PER_PAGE} (lớn hơn: 400)."),
]
REFUSED = {"401": _error("Không có khóa, khóa sai hoặc đã bị thu hồi."),
           "429": _error("Quá nhiều yêu cầu với khóa này.")}
OUTSIDE = {"403": _error("Đối tượng ngoài đơn vị của khóa."),
           "404": _error("Không có đối tượng này.")}


def _get(summary: str, ok: dict, parameters=(), *, bad_input: bool = False,
         objects: bool = False) -> dict:
    responses = {"200": ok, **REFUSED}
    if bad_input:
        responses["400"] = _error("Tham số không hợp lệ (tên tham số trong `field`).")
    if objects:
        responses.update(OUTSIDE)
    return {"get": {"summary": summary, "parameters": list(parameters),
                    "responses": responses, "security": [{"bearer": []}]}}


SCHEMAS = {
    "Error": _object({"status": {"type": "integer"}, "message": {"type": "string"},
                      "field": NULL_TEXT}),
    "Unit": _object({"id": {"type": "integer"}, "code": {"type": "string"},
                     "name": {"type": "string"},
                     "kind": {"type": "string",
                              "enum": ["province", "district", "commune", "village"]},
                     "category": {"type": "string"}, "parent_id": NULL_INT,
                     "successor_id": NULL_INT, "valid_from": NULL_DATE, "valid_to": NULL_DATE}),
    "Component": _object({"id": {"type": "integer"}, "code": {"type": "string"},
                          "name": {"type": "string"}, "valid_from": NULL_DATE,
                          "valid_to": NULL_DATE, "active": {"type": "boolean"}}),
    "Program": _object({"id": {"type": "integer"}, "code": {"type": "string"},
                        "name": {"type": "string"}, "short_name": {"type": "string"},
                        "legal_basis": {"type": "string"}, "valid_from": NULL_DATE,
                        "valid_to": NULL_DATE, "active": {"type": "boolean"},
                        "components": {"type": "array", "items": _ref("Component")}}),
    "Class": _object({"id": {"type": "integer"}, "code": {"type": "string"},
                      "title": {"type": "string"},
                      "status": {"type": "string", "enum": list(STATUSES)},
                      "start_date": DATE, "end_date": DATE, "place": {"type": "string"},
                      "capacity": {"type": "integer"}, "admitted": {"type": "integer"},
                      "min_attendance_pct": {"type": "integer"}, "course_id": NULL_INT,
                      "program_id": NULL_INT, "component_id": NULL_INT,
                      "activity_type_id": NULL_INT, "funding_source_id": NULL_INT,
                      "invited_unit_ids": {"type": "array", "items": {"type": "integer"}}}),
    "Session": _object({"id": {"type": "integer"}, "date": DATE,
                        "part": {"type": "string", "enum": ["morning", "afternoon"]},
                        "starts_at": NULL_TEXT, "ends_at": NULL_TEXT, "place": NULL_TEXT}),
    "SessionAttendance": _object({
        "session_id": {"type": "integer"}, "date": DATE,
        "part": {"type": "string", "enum": ["morning", "afternoon"]},
        **{k: {"type": "integer", "minimum": 0}
           for k in ("present", "late", "excused", "absent", "unmarked")}}),
    "Attendance": _object({
        "class_id": {"type": "integer"}, "admitted": {"type": "integer"},
        "sessions": {"type": "integer"}, "marked": {"type": "boolean"},
        "attended": {"type": "integer"}, "due": {"type": "integer"},
        "completed": {"type": "integer"},
        "by_session": {"type": "array", "items": _ref("SessionAttendance")}}),
    "Certificate": _object({
        "code": {"type": "string"}, "number": {"type": "string"}, "valid": {"type": "boolean"},
        "revoked_on": NULL_DATE, "replaced_by_number": NULL_TEXT,
        "holder_name": {"type": "string"}, "holder_birth": {"type": "string"},
        "class_code": {"type": "string"}, "class_title": {"type": "string"},
        "start_date": DATE, "end_date": DATE, "issuer_name": {"type": "string"},
        "issued_on": DATE}),
    "Indicator": _object({"name": {"type": "string"}, "label": {"type": "string"},
                          "value": {"type": "integer"}, "of": NULL_INT}),
    "Indicators": _object({
        "period": _object({"label": {"type": "string"}, "start": DATE, "end": DATE}),
        "program_id": NULL_INT, "unit_id": NULL_INT,
        "items": {"type": "array", "items": _ref("Indicator")}}),
}


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "taphuan API", "version": "1",
                 "description": "API chỉ đọc cho các hệ thống dữ liệu của chương trình "
                                "(docs/API.md). Khóa API do quản trị viên cấp, gắn với "
                                "một đơn vị: Authorization: Bearer <khóa>."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": SCHEMAS},
        "paths": {
            "/units": _get("Đơn vị hành chính trong phạm vi của khóa",
                           _json("Một trang đơn vị", _page("Unit")), PAGING, bad_input=True),
            "/units/{unit_id}": _get("Một đơn vị", _json("Đơn vị", _ref("Unit")),
                                     [_id("unit_id")], objects=True),
            "/programs": _get("Chương trình và hợp phần",
                              _json("Một trang chương trình", _page("Program")), PAGING,
                              bad_input=True),
            "/classes": _get("Lớp tập huấn trong phạm vi của khóa",
                             _json("Một trang lớp", _page("Class")), [
                                 *PAGING,
                                 _query("status", {"type": "string", "enum": list(STATUSES)},
                                        "Trạng thái lớp."),
                                 _query("from", DATE, "Lớp kết thúc từ ngày này."),
                                 _query("to", DATE, "Lớp bắt đầu đến ngày này.")],
                             bad_input=True),
            "/classes/{class_id}": _get("Một lớp", _json("Lớp", _ref("Class")),
                                        [_id("class_id")], objects=True),
            "/classes/{class_id}/sessions": _get(
                "Các buổi học của lớp",
                _json("Buổi học", _object({"class_id": {"type": "integer"},
                                           "items": {"type": "array",
                                                     "items": _ref("Session")}})),
                [_id("class_id")], objects=True),
            "/classes/{class_id}/attendance": _get(
                "Tổng hợp điểm danh của lớp (chỉ số liệu, không có tên người)",
                _json("Tổng hợp điểm danh", _ref("Attendance")), [_id("class_id")],
                objects=True),
            "/certificates/{certificate_code}": _get(
                "Xác minh giấy chứng nhận theo mã (có dữ liệu cá nhân: mỗi lần gọi được ghi "
                "nhật ký)", _json("Giấy chứng nhận", _ref("Certificate")),
                [{"name": "certificate_code", "in": "path", "required": True,
                  "schema": {"type": "string", "minLength": 1, "maxLength": 40,
                             "pattern": "^[A-Za-z0-9-]+$"}}], objects=True),
            "/indicators": _get(
                "Các chỉ tiêu của một kỳ (danh mục trong app/reports/indicators.py)",
                _json("Chỉ tiêu", _ref("Indicators")), [
                    _query("kind", {"type": "string", "enum": list(KINDS), "default": "year"},
                           "Loại kỳ: năm, 6 tháng, quý, từ ngày đến ngày."),
                    _query("year", {"type": "integer", "minimum": FIRST_YEAR,
                                    "maximum": LAST_YEAR}, "Năm."),
                    _query("part", {"type": "integer", "minimum": 1, "maximum": 4},
                           "6 tháng (1, 2) hoặc quý (1-4)."),
                    _query("start", DATE, "Ngày đầu kỳ (kind=custom)."),
                    _query("end", DATE, "Ngày cuối kỳ (kind=custom)."),
                    _query("program_id", {"type": "integer", "minimum": 1,
                                          "maximum": 999_999_999}, "Chương trình."),
                    _query("unit_id", {"type": "integer", "minimum": 1,
                                       "maximum": 999_999_999}, "Xã (id)."),
                ], bad_input=True, objects=True),
        },
    }
