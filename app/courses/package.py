"""Course packages on disk (`courses/<slug>/`), their import and export.

A package is a folder named by the course's slug:

    course.md            YAML front matter (title, code, topics, audience, hours, version,
                         summary) and, below it, the course description in Markdown
    lessons/NN-<slug>.md front matter (title) and the lesson in Markdown; NN = 01, 02, ...
    quiz.yaml            optional: pass_mark (percent), max_attempts, questions:
                         [{text, choices: [{text, correct: true?}], explanation}]
    files/               optional: attachments, linked from lessons as files/<name>

`read_packages` checks every package completely and returns the problems with file and line;
`import_packages` then creates or updates courses by slug. Importing the same packages again
changes nothing. Lessons are matched by slug and updated in place, so learners' progress is
kept; a lesson that left the package is deleted if nobody has done it, archived otherwise.
`export_course` writes a course back in the same format (import -> export -> import is a
round trip).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, SequenceNode

from app.audit.models import record
from app.courses import content, progress, service, uploads
from app.courses.models import Course
from app.courses.service import ChoiceData, CourseData, QuestionData
from app.courses.topics import TOPICS
from app.extensions import db
from app.timeutil import utcnow
from app.vietnamese import nfc

COURSE_KEYS = ("title", "code", "topics", "audience", "hours", "version", "summary")
LESSON_KEYS = ("title",)
QUIZ_KEYS = ("pass_mark", "max_attempts", "questions")
QUESTION_KEYS = ("text", "choices", "explanation")
CHOICE_KEYS = ("text", "correct")
LESSON_FILE = re.compile(r"^(?P<n>\d{1,3})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


@dataclass
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class _Stop(Exception):
    """A problem that prevents reading the rest of a file."""

    def __init__(self, problem: Problem):
        self.problem = problem


@dataclass
class LessonPackage:
    number: int
    slug: str
    title: str
    body: str
    file: str


@dataclass
class QuizPackage:
    pass_mark: int
    max_attempts: int
    questions: list[QuestionData]


@dataclass
class CoursePackage:
    slug: str
    path: Path
    data: CourseData
    version: int
    lessons: list[LessonPackage] = field(default_factory=list)
    quiz: QuizPackage | None = None
    files: list[uploads.CheckedFile] = field(default_factory=list)
    code_line: int | None = None


# --- reading -----------------------------------------------------------------------------


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root.parent))
        except ValueError:
            pass
    return str(path)


def _read_text(path: Path, shown: str) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _Stop(Problem(shown, line, "Tệp không phải văn bản UTF-8; hãy lưu lại tệp với "
                                         "mã hóa UTF-8.")) from exc
    return service.normalise_text(text) + "\n"


_YAML_HINTS = {
    "quoted": " Chuỗi mở bằng dấu nháy ở dòng này chưa được đóng.",
    "flow": " Dấu [ hoặc { mở ở dòng này chưa được đóng.",
}


def _unclosed(exc: yaml.MarkedYAMLError) -> str | None:
    context = exc.context or ""
    if "quoted scalar" in context:
        return "quoted"
    if "flow" in context:
        return "flow"
    return None


def _error_mark(exc: yaml.MarkedYAMLError):
    """The line to show: where an unclosed quote or bracket was opened (PyYAML reports the
    end of the text), else where the parser stumbled."""
    if _unclosed(exc) and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def load_yaml(text: str, shown: str, offset: int = 0) -> tuple[object, dict]:
    """Parse YAML, keeping the line of every key and item: (data, {path: line}). Duplicate
    keys are an error (YAML would silently keep the last one)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = _error_mark(exc)
        line = mark.line + 1 + offset if mark else None
        problem = (exc.problem or exc.context or "cú pháp không đúng").strip()
        hint = _YAML_HINTS.get(_unclosed(exc), "")
        raise _Stop(Problem(shown, line, f"Lỗi cú pháp YAML: {problem}.{hint}")) from exc
    except yaml.YAMLError as exc:
        raise _Stop(Problem(shown, None, f"Lỗi cú pháp YAML: {exc}.")) from exc
    finally:
        loader.dispose()
    lines: dict = {}

    def walk(n, path):
        lines.setdefault(path, n.start_mark.line + 1 + offset)
        if isinstance(n, MappingNode):
            seen = set()
            for key, value in n.value:
                name = key.value
                if name in seen:
                    raise _Stop(Problem(shown, key.start_mark.line + 1 + offset,
                                        f"Khóa “{name}” bị ghi hai lần."))
                seen.add(name)
                lines[path + (name,)] = key.start_mark.line + 1 + offset
                walk(value, path + (name,))
        elif isinstance(n, SequenceNode):
            for index, value in enumerate(n.value):
                walk(value, path + (index,))

    if node is not None:
        walk(node, ())
    return data, lines


def split_front_matter(text: str, shown: str) -> tuple[dict, dict, str, int, int]:
    """(front matter, key lines, body, line where the body starts, line of the closing ---).
    Lines are the file's (the YAML's own lines are offset by the opening ---)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise _Stop(Problem(shown, 1, "Thiếu phần đầu YAML (front matter): tệp phải bắt đầu "
                                      "bằng một dòng ---, rồi các khóa như title:, rồi một dòng "
                                      "--- nữa."))
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise _Stop(Problem(shown, 1, "Phần đầu YAML (front matter) không có dòng --- đóng "
                                      "lại."))
    meta, key_lines = load_yaml("\n".join(lines[1:end]), shown, offset=1)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise _Stop(Problem(shown, 2, "Phần đầu YAML phải là các cặp khóa: giá trị "
                                      "(ví dụ title: \"Tên bài\")."))
    body = "\n".join(lines[end + 1:])
    blank = len(body) - len(body.lstrip("\n"))  # blank lines dropped before the body
    return meta, key_lines, service.normalise_text(body), end + 2 + blank, end + 1


def _check_markdown(body: str, shown: str, start: int, problems: list[Problem]) -> None:
    """Markdown that cannot be rendered (too long, nested too deep...), at its file line."""
    found = content.problems(body)
    if not found:
        try:
            content.check(body)
        except content.ContentError as exc:
            found = [exc]
    for problem in found:
        line = start + problem.line - 1 if problem.line else start
        problems.append(Problem(shown, line, problem.message[:1].upper() + problem.message[1:]))


class _Checker:
    def __init__(self, shown: str, lines: dict, problems: list[Problem]):
        self.shown, self.lines, self.problems = shown, lines, problems

    def add(self, path, message: str) -> None:
        line = None
        while line is None and path is not None:
            line = self.lines.get(path)
            path = path[:-1] if path else None
        self.problems.append(Problem(self.shown, line, message))

    def unknown_keys(self, data: dict, allowed, path=()) -> None:
        for key in data:
            if key not in allowed:
                self.add(path + (key,), f"Khóa “{key}” không dùng được ở đây; các khóa hợp lệ: "
                                        f"{', '.join(allowed)}.")

    def text(self, data: dict, key: str, path=(), required: bool = False,
             max_length: int | None = None) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(path + (key,) if key in data else path,
                         f"Thiếu “{key}” (bắt buộc).")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.add(path + (key,), f"“{key}” phải là một đoạn văn bản.")
            return ""
        value = nfc(str(value))
        if max_length and len(value) > max_length:
            self.add(path + (key,), f"“{key}” dài quá {max_length} ký tự.")
        return value

    def integer(self, data: dict, key: str, default: int | None, low: int, high: int,
                path=()) -> int | None:
        value = data.get(key, default)
        if value is None:
            self.add(path, f"Thiếu “{key}” (bắt buộc).")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(path + (key,), f"“{key}” phải là số nguyên từ {low} đến {high}.")
            return None
        return value


def _read_course_md(pkg_dir: Path, root: Path | None, problems: list[Problem]):
    shown = _display(pkg_dir / "course.md", root)
    path = pkg_dir / "course.md"
    if not path.is_file():
        problems.append(Problem(shown, None, "Thiếu tệp course.md của khóa học."))
        return None
    try:
        meta, lines, body, start, _closing = split_front_matter(_read_text(path, shown), shown)
    except _Stop as stop:
        problems.append(stop.problem)
        return None
    check = _Checker(shown, lines, problems)
    check.unknown_keys(meta, COURSE_KEYS)
    _check_markdown(body, shown, start, problems)
    title = check.text(meta, "title", required=True, max_length=200)
    code = check.text(meta, "code", required=True, max_length=30)
    if code and not service.CODE_RE.match(code):
        check.add(("code",), "Mã khóa học chỉ gồm chữ, số và các dấu . _ - (ví dụ GNBV-01).")
    topics = meta.get("topics")
    clean_topics = []
    if not isinstance(topics, list) or not topics:
        check.add(("topics",) if "topics" in meta else (),
                  "Cần “topics”: danh sách ít nhất một chủ đề của kế hoạch, ví dụ "
                  "topics: [chuong-trinh].")
    else:
        for index, topic in enumerate(topics):
            if not isinstance(topic, str) or topic not in TOPICS:
                check.add(("topics", index),
                          f"Chủ đề “{topic}” không có trong danh mục chủ đề của kế hoạch. "
                          f"Các chủ đề hợp lệ: {', '.join(TOPICS)}.")
            elif topic in clean_topics:
                check.add(("topics", index), f"Chủ đề “{topic}” bị ghi hai lần.")
            else:
                clean_topics.append(topic)
    hours = meta.get("hours")
    if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int | float)
                              or not 0 < hours <= 999):
        check.add(("hours",), "“hours” (số giờ học dự kiến) phải là một số lớn hơn 0, "
                              "ví dụ hours: 8.")
        hours = None
    version = check.integer(meta, "version", 1, 1, 100000)
    audience = check.text(meta, "audience")
    summary = check.text(meta, "summary")
    return {"title": title, "code": code, "topics": clean_topics, "hours": hours,
            "version": version or 1, "audience": audience, "summary": summary,
            "description": body, "code_line": lines.get(("code",)),
            "version_line": lines.get(("version",))}


def _read_lessons(pkg_dir: Path, root: Path | None, problems: list[Problem],
                  file_names: set[str]) -> list[LessonPackage]:
    folder = pkg_dir / "lessons"
    shown_dir = _display(folder, root)
    if not folder.is_dir():
        problems.append(Problem(shown_dir, None, "Thiếu thư mục lessons/ chứa các bài học."))
        return []
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if not entries:
        problems.append(Problem(shown_dir, None, "Khóa học chưa có bài học nào "
                                                 "(thư mục lessons/ trống)."))
        return []
    found: list[tuple[int, str, Path]] = []
    for path in entries:
        shown = _display(path, root)
        match = LESSON_FILE.match(path.name)
        if not path.is_file() or not match:
            problems.append(Problem(shown, None, "Tên tệp bài học phải có dạng NN-ten-bai.md "
                                                 "(ví dụ 01-gioi-thieu.md: số thứ tự, dấu -, "
                                                 "chữ thường không dấu)."))
            continue
        found.append((int(match["n"]), match["slug"], path))
    if not found:
        return []
    numbers: dict[int, Path] = {}
    slugs: dict[str, Path] = {}
    for number, slug, path in found:
        shown = _display(path, root)
        if number in numbers:
            problems.append(Problem(shown, None, f"Số thứ tự {number:02d} trùng với tệp "
                                                 f"{numbers[number].name}."))
        numbers.setdefault(number, path)
        if slug in slugs:
            problems.append(Problem(shown, None, f"Mã bài “{slug}” trùng với tệp "
                                                 f"{slugs[slug].name}; mỗi bài cần một mã riêng."))
        slugs.setdefault(slug, path)
    for expected in range(1, max(numbers) + 1):
        if expected not in numbers:
            problems.append(Problem(shown_dir, None, f"Thiếu tệp bài số {expected:02d}: các bài "
                                                     "phải được đánh số liên tục 01, 02, 03..."))
    lessons = []
    for number, slug, path in sorted(found):
        shown = _display(path, root)
        try:
            meta, lines, body, start, closing = split_front_matter(_read_text(path, shown),
                                                                   shown)
        except _Stop as stop:
            problems.append(stop.problem)
            continue
        check = _Checker(shown, lines, problems)
        check.unknown_keys(meta, LESSON_KEYS)
        title = check.text(meta, "title", required=True, max_length=200)
        if not body.strip():
            problems.append(Problem(shown, closing, "Bài học không có nội dung (không có gì "
                                                    "sau dòng --- đóng phần đầu)."))
        else:
            _check_markdown(body, shown, start, problems)
        for offset, line in enumerate(body.split("\n")):
            for name in content.file_links(line):
                if name not in file_names:
                    problems.append(Problem(
                        shown, start + offset,
                        f"Bài dẫn tới files/{name} nhưng thư mục files/ không có tệp này."))
        lessons.append(LessonPackage(number, slug, title, body, shown))
    return lessons


def _read_quiz(pkg_dir: Path, root: Path | None, problems: list[Problem]
               ) -> QuizPackage | None:
    path = pkg_dir / "quiz.yaml"
    if not path.exists():
        return None
    shown = _display(path, root)
    try:
        data, lines = load_yaml(_read_text(path, shown), shown)
    except _Stop as stop:
        problems.append(stop.problem)
        return None
    check = _Checker(shown, lines, problems)
    if not isinstance(data, dict):
        check.add((), "quiz.yaml phải có pass_mark, max_attempts và questions.")
        return None
    check.unknown_keys(data, QUIZ_KEYS)
    pass_mark = check.integer(data, "pass_mark", None, 0, 100)
    max_attempts = check.integer(data, "max_attempts", 3, 1, 100)
    items = data.get("questions")
    questions: list[QuestionData] = []
    if not isinstance(items, list) or not items:
        check.add(("questions",) if "questions" in data else (),
                  "Cần “questions”: danh sách ít nhất một câu hỏi.")
        items = []
    for i, item in enumerate(items):
        here = ("questions", i)
        label = f"Câu {i + 1}"
        if not isinstance(item, dict):
            check.add(here, f"{label}: mỗi câu hỏi cần text, choices và explanation.")
            continue
        check.unknown_keys(item, QUESTION_KEYS, here)
        text = check.text(item, "text", here, required=True)
        explanation = check.text(item, "explanation", here)
        choices = item.get("choices")
        clean: list[ChoiceData] = []
        if not isinstance(choices, list) or len(choices) < 2:
            check.add(here + ("choices",) if "choices" in item else here,
                      f"{label}: cần ít nhất 2 lựa chọn (choices).")
            choices = choices if isinstance(choices, list) else []
        elif len(choices) > service.MAX_CHOICES:
            check.add(here + ("choices",), f"{label}: tối đa {service.MAX_CHOICES} lựa chọn "
                                           f"(có {len(choices)}).")
        for j, choice in enumerate(choices):
            there = here + ("choices", j)
            if not isinstance(choice, dict):
                check.add(there, f"{label}, lựa chọn {j + 1}: cần dạng "
                                 "{text: \"...\", correct: true}.")
                continue
            check.unknown_keys(choice, CHOICE_KEYS, there)
            choice_text = check.text(choice, "text", there, required=True)
            correct = choice.get("correct", False)
            if not isinstance(correct, bool):
                check.add(there + ("correct",), f"{label}, lựa chọn {j + 1}: “correct” chỉ "
                                                "nhận true hoặc false.")
                correct = False
            clean.append(ChoiceData(choice_text, correct))
        if len(clean) >= 2 and not any(c.correct for c in clean):
            check.add(here + ("choices",), f"{label}: chưa có lựa chọn nào đúng "
                                           "(ghi correct: true cho đáp án đúng).")
        questions.append(QuestionData(text=text, choices=clean, explanation=explanation))
    if pass_mark is None or max_attempts is None:
        return None
    return QuizPackage(pass_mark, max_attempts, questions)


def _read_files(pkg_dir: Path, root: Path | None, problems: list[Problem], max_bytes: int,
                max_width: int, max_pixels: int = uploads.MAX_PIXELS) -> list[uploads.CheckedFile]:
    folder = pkg_dir / "files"
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        shown = _display(path, root)
        if not path.is_file():
            problems.append(Problem(shown, None, "Thư mục files/ chỉ chứa tệp, không chứa "
                                                 "thư mục con."))
            continue
        try:
            checked = uploads.check(path.name, path.read_bytes(), max_bytes, max_width,
                                    max_pixels)
        except uploads.UploadError as exc:
            problems.append(Problem(shown, None, str(exc)))
            continue
        if checked.filename != path.name:
            problems.append(Problem(shown, None, f"Tên tệp nên là {checked.filename} (chữ "
                                                 "thường không dấu, không khoảng trắng) để "
                                                 "liên kết files/... luôn đúng."))
            continue
        out.append(checked)
    return out


def read_package(pkg_dir: Path, root: Path | None, problems: list[Problem],
                 max_bytes: int, max_width: int = uploads.DEFAULT_MAX_WIDTH,
                 codes: dict[str, str] | None = None, force: bool = False,
                 max_pixels: int = uploads.MAX_PIXELS) -> CoursePackage | None:
    """Read and check one package; `codes` (code -> slug) collects the codes seen in this
    run, to refuse the same code in two packages. Unless `force`, a package is refused when
    its course was changed in the browser since the last import, or is older than the
    package imported last."""
    start = len(problems)
    slug = pkg_dir.name
    problem = service.slug_problem(slug)
    if problem:
        problems.append(Problem(_display(pkg_dir, root), None,
                                f"Tên thư mục “{slug}” là mã đường dẫn của khóa học. {problem}"))
    meta = _read_course_md(pkg_dir, root, problems)
    if meta is not None and meta["code"]:
        _check_code(slug, meta["code"], _display(pkg_dir / "course.md", root),
                    meta["code_line"], problems, {} if codes is None else codes)
    if meta is not None and not force and not problem:
        _check_overwrite(slug, meta["version"], _display(pkg_dir / "course.md", root),
                         meta["version_line"], problems)
    files = _read_files(pkg_dir, root, problems, max_bytes, max_width, max_pixels)
    names = {f.filename for f in files} | (
        {p.name for p in (pkg_dir / "files").iterdir()} if (pkg_dir / "files").is_dir()
        else set())
    lessons = _read_lessons(pkg_dir, root, problems, names)
    quiz = _read_quiz(pkg_dir, root, problems)
    if meta is None or len(problems) > start:
        return None
    data = CourseData(title=meta["title"], code=meta["code"], topics=meta["topics"],
                      summary=meta["summary"], audience=meta["audience"], hours=meta["hours"],
                      description_md=meta["description"])
    return CoursePackage(slug=slug, path=pkg_dir, data=data, version=meta["version"],
                         lessons=lessons, quiz=quiz, files=files, code_line=meta["code_line"])


def _check_overwrite(slug: str, version: int, shown: str, version_line: int | None,
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


def package_dirs(directory: Path) -> list[Path]:
    """The packages in `directory`, or `directory` itself if it is one."""
    if (directory / "course.md").exists():
        return [directory]
    return sorted(p for p in directory.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")))


def read_packages(directory: Path, max_bytes: int, max_width: int = uploads.DEFAULT_MAX_WIDTH,
                  force: bool = False, max_pixels: int = uploads.MAX_PIXELS
                  ) -> tuple[list[CoursePackage], list[Problem]]:
    """Read and check every package; also checks codes across packages and the database."""
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        return [], [Problem(str(directory), None, "Không có thư mục này.")]
    dirs = package_dirs(directory)
    if not dirs:
        return [], [Problem(str(directory), None, "Thư mục không có gói khóa học nào "
                                                  "(mỗi khóa học là một thư mục có course.md).")]
    root = directory if dirs != [directory] else directory.parent
    codes: dict[str, str] = {}
    packages = [p for p in (read_package(d, root, problems, max_bytes, max_width, codes,
                                         force, max_pixels)
                            for d in dirs) if p is not None]
    return packages, problems


def _check_code(slug: str, code: str, shown: str, line: int | None, problems: list[Problem],
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


# --- importing ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived_lessons: int = 0
    stale_files: list[str] = field(default_factory=list)  # stored names to delete after commit

    def text(self) -> str:
        parts = [f"thêm mới {len(self.created)}", f"cập nhật {len(self.updated)}",
                 f"không đổi {len(self.unchanged)} khóa học"]
        if self.archived_lessons:
            parts.append(f"ẩn {self.archived_lessons} bài đã có người học")
        return ", ".join(parts)


def _sync_lessons(course: Course, lessons: list[LessonPackage], result: ImportResult) -> bool:
    changed = False
    existing = {x.slug: x for x in course.lessons}
    wanted = {lp.slug for lp in lessons}
    for index, lp in enumerate(lessons, start=1):
        lesson = existing.get(lp.slug)
        if lesson is None:
            service.add_lesson(None, course, lp.title, lp.body, slug=lp.slug, position=index)
            changed = True
            continue
        if lesson.archived_at is not None:
            lesson.archived_at = None
            changed = True
        if lesson.position != index:
            lesson.position = index
            changed = True
        changed |= service.update_lesson(None, course, lesson, lp.title, lp.body)
    for lesson in list(course.lessons):
        if lesson.slug in wanted or lesson.archived_at is not None:
            continue
        outcome = service.remove_lesson(None, course, lesson)
        result.archived_lessons += outcome == "archived"
        changed = True
    service.renumber(course)
    for lesson in course.lessons:
        service.refresh_lesson_html(course, lesson)
    return changed


def _sync_files(course: Course, files: list[uploads.CheckedFile], upload_dir: str,
                result: ImportResult) -> bool:
    changed = False
    current = {a.filename: a for a in course.attachments}
    for checked in files:
        attachment = current.get(checked.filename)
        if attachment is not None and attachment.sha256 == checked.sha256 \
                and attachment.original_name == checked.original_name \
                and uploads.path_of(upload_dir, attachment.stored_name).exists():
            continue
        stored = uploads.store(upload_dir, checked)
        _attachment, old = service.attach(None, course, checked, stored)
        if old:
            result.stale_files.append(old)
        changed = True
    names = {f.filename for f in files}
    for attachment in list(course.attachments):
        if attachment.filename not in names:
            result.stale_files.append(service.detach(None, course, attachment))
            changed = True
    return changed


def _sync_quiz(course: Course, quiz: QuizPackage | None) -> bool:
    if quiz is None:
        return service.remove_quiz(course)
    changed = course.quiz is None
    changed |= service.set_quiz_settings(course, quiz.pass_mark, quiz.max_attempts)
    changed |= service.sync_questions(course, quiz.questions)
    return changed


def import_package(actor, pkg: CoursePackage, upload_dir: str, result: ImportResult,
                   publish: bool = False, trainers=()) -> Course:
    course = service.by_slug(pkg.slug)
    created = course is None
    if created:
        course = service.create_course(actor, pkg.slug, pkg.data, source="import")
        course.version = pkg.version
        changed = True
    else:
        changed = service.apply_course_data(course, pkg.data)
    for user in trainers:
        if all(t.id != user.id for t in course.trainers):
            course.trainers.append(user)
            changed = True
    changed |= _sync_lessons(course, pkg.lessons, result)
    changed |= _sync_files(course, pkg.files, upload_dir, result)
    changed |= _sync_quiz(course, pkg.quiz)
    version_before = course.version
    if pkg.version > course.version:
        course.version = pkg.version
        changed = True
    if publish or course.status == "published":
        digest = service.content_hash(course)
        if course.published_hash != digest:
            if course.published_hash is not None and course.version == version_before:
                course.version += 1  # published content changed: a new version
            course.published_hash = digest
            course.published_at = utcnow()
            changed = True
        if course.status != "published":
            course.status = "published"
            changed = True
    digest = service.content_hash(course)
    if course.import_hash != digest:
        course.import_hash = digest
    if course.import_version != pkg.version:
        course.import_version = pkg.version
        changed = True
    progress.refresh_completions(course)  # a lesson or the quiz may have gone
    if created:
        result.created.append(pkg.slug)
    elif changed:
        service.touch(course)
        result.updated.append(pkg.slug)
        record(actor, "course.import", "course", course.id,
               f"Cập nhật khóa học {course.code} từ gói {pkg.slug}",
               data={"version": course.version})
    else:
        result.unchanged.append(pkg.slug)
    return course


def import_packages(actor, packages: list[CoursePackage], upload_dir: str,
                    publish: bool = False, trainers=()) -> ImportResult:
    """Create or update the courses of already checked packages (flushes, never commits)."""
    result = ImportResult()
    for pkg in packages:
        import_package(actor, pkg, upload_dir, result, publish=publish, trainers=trainers)
    db.session.flush()
    return result


# --- exporting ---------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Key(str):
    pass


def _key(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value))


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Key, _key)


def _dump(data) -> str:
    def keys(obj):
        if isinstance(obj, dict):
            return {_Key(k): keys(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [keys(v) for v in obj]
        return obj

    return yaml.dump(keys(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=100000, default_flow_style=False)


def _front_matter(meta: dict, body: str) -> str:
    text = "---\n" + _dump(meta) + "---\n"
    if body:
        text += "\n" + body + "\n"
    return text


def course_files(course: Course) -> dict[str, str]:
    """The text files of a course's package: {relative path: content}."""
    hours = course.hours
    if hours is not None and float(hours).is_integer():
        hours = int(hours)
    meta = {"title": course.title, "code": course.code, "topics": list(course.topics or [])}
    if course.audience:
        meta["audience"] = course.audience
    if hours is not None:
        meta["hours"] = hours
    meta["version"] = course.version
    if course.summary:
        meta["summary"] = course.summary
    out = {"course.md": _front_matter(meta, course.description_md)}
    for n, lesson in enumerate(course.active_lessons, start=1):
        out[f"lessons/{n:02d}-{lesson.slug}.md"] = _front_matter({"title": lesson.title},
                                                                 lesson.body_md)
    quiz = course.quiz
    if quiz is not None:
        questions = []
        for q in quiz.questions:
            item = {"text": q.text, "choices": [
                {"text": c.text, "correct": True} if c.correct else {"text": c.text}
                for c in q.choices]}
            if q.explanation:
                item["explanation"] = q.explanation
            questions.append(item)
        out["quiz.yaml"] = _dump({"pass_mark": quiz.pass_mark,
                                  "max_attempts": quiz.max_attempts, "questions": questions})
    return out


def export_course(course: Course, directory: Path, upload_dir: str) -> Path:
    """Write the course's package into directory/<slug> (or into directory itself if it is
    named after the slug). Files of the package that the course no longer has are removed."""
    directory = Path(directory)
    target = directory if directory.name == course.slug else directory / course.slug
    texts = course_files(course)
    for attachment in course.attachments:
        source = uploads.path_of(upload_dir, attachment.stored_name)
        if not source.is_file():
            raise FileNotFoundError(f"Tệp {attachment.filename} của khóa học không còn trên "
                                    f"máy chủ ({source}).")
    (target / "lessons").mkdir(parents=True, exist_ok=True)
    for old in (target / "lessons").glob("*.md"):
        if f"lessons/{old.name}" not in texts:
            old.unlink()
    if "quiz.yaml" not in texts and (target / "quiz.yaml").exists():
        (target / "quiz.yaml").unlink()
    for relative, text in texts.items():
        (target / relative).write_text(text, encoding="utf-8")
    files_dir = target / "files"
    names = {a.filename for a in course.attachments}
    if files_dir.is_dir():
        for old in files_dir.iterdir():
            if old.is_file() and old.name not in names:
                old.unlink()
    if course.attachments:
        files_dir.mkdir(exist_ok=True)
        for attachment in course.attachments:
            shutil.copyfile(uploads.path_of(upload_dir, attachment.stored_name),
                            files_dir / attachment.filename)
    return target
