"""Checks of a package against the database: its course code is not another course's, and
importing it would not silently undo what trainers did in the browser since the last import
(or bring back an older package)."""

from __future__ import annotations

from app.courses import service
from app.courses.package.model import Problem


def check_code(slug: str, code: str, shown: str, line: int | None, problems: list[Problem],
               codes: dict[str, str]) -> None:
    """A course code is unique: across the packages of a run and against the database."""
    key = code.lower()
    if key in codes:
        problems.append(Problem(shown, line, f"Mã khóa học {code} trùng với gói {codes[key]}."))
    codes.setdefault(key, slug)
    other = service.by_slug(slug)
    if service.code_taken(code, other.id if other else None):
        problems.append(Problem(shown, line, f"Mã khóa học {code} đã dùng cho một khóa học "
                                             "khác."))


def check_overwrite(slug: str, version: int, shown: str, version_line: int | None,
                    problems: list[Problem]) -> None:
    """Importing over a course must not silently undo what trainers did in the browser."""
    course = service.by_slug(slug)
    if course is None:
        return
    if course.import_hash is None or course.import_hash != service.content_hash(course):
        problems.append(Problem(shown, None, (
            f"Khóa học {slug} (phiên bản {course.version}) đã được tạo hoặc sửa trên trình "
            "duyệt sau lần nhập gói gần nhất; nhập gói này sẽ ghi đè các thay đổi đó. Hãy xuất "
            f"bản mới nhất (flask courses export {slug} THƯ_MỤC) rồi sửa trên bản đó, hoặc chạy "
            "lại với --force nếu chắc chắn muốn ghi đè.")))
    elif course.import_version is not None and version < course.import_version:
        problems.append(Problem(shown, version_line, (
            f"Gói ghi version: {version}, cũ hơn gói đã nhập lần trước (version: "
            f"{course.import_version}); đây có thể là bản cũ. Hãy kiểm tra lại gói, hoặc chạy "
            "lại với --force nếu chắc chắn muốn nhập bản này.")))

