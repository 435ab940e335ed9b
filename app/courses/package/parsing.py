"""The text files of a package, read with their lines: UTF-8 text, YAML that keeps the line of
every key, front matter split from its Markdown body, Markdown that cannot be rendered, and
`Checker`, which turns a wrong value into a problem at the line of its key."""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, SequenceNode

from app.courses import content, service
from app.courses.package.model import Problem, Stop
from app.vietnamese import nfc


def display(path: Path, root: Path | None) -> str:
    """A path as problems show it: from the folder that holds the packages."""
    if root is not None:
        try:
            return str(path.relative_to(root.parent))
        except ValueError:
            pass
    return str(path)


def read_text(path: Path, shown: str) -> str:
    """The file as normalised text (NFC, Unix line ends); Stop if it is not UTF-8."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise Stop(Problem(shown, line, "Tệp không phải văn bản UTF-8; hãy lưu lại tệp với "
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
        raise Stop(Problem(shown, line, f"Lỗi cú pháp YAML: {problem}.{hint}")) from exc
    except yaml.YAMLError as exc:
        raise Stop(Problem(shown, None, f"Lỗi cú pháp YAML: {exc}.")) from exc
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
                    raise Stop(Problem(shown, key.start_mark.line + 1 + offset,
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
        raise Stop(Problem(shown, 1, "Thiếu phần đầu YAML (front matter): tệp phải bắt đầu "
                                      "bằng một dòng ---, rồi các khóa như title:, rồi một dòng "
                                      "--- nữa."))
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise Stop(Problem(shown, 1, "Phần đầu YAML (front matter) không có dòng --- đóng "
                                      "lại."))
    meta, key_lines = load_yaml("\n".join(lines[1:end]), shown, offset=1)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise Stop(Problem(shown, 2, "Phần đầu YAML phải là các cặp khóa: giá trị "
                                      "(ví dụ title: \"Tên bài\")."))
    body = "\n".join(lines[end + 1:])
    blank = len(body) - len(body.lstrip("\n"))  # blank lines dropped before the body
    return meta, key_lines, service.normalise_text(body), end + 2 + blank, end + 1


def check_markdown(body: str, shown: str, start: int, problems: list[Problem]) -> None:
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


class Checker:
    """Checks the values of a YAML mapping; a problem is placed at the line of its key, or of
    the nearest key above it."""

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
