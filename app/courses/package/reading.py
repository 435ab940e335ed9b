"""Reading a package folder into a checked `CoursePackage`: course.md, lessons/, files/ and
quiz.yaml (`quiz_file`), each problem collected with its file and line, never stopping at the
first; then the checks against the database (`conflicts`). A package with any problem is not
returned."""

from __future__ import annotations

from pathlib import Path

from app.courses import content, service, uploads
from app.courses.package.conflicts import check_code, check_overwrite
from app.courses.package.model import (
    COURSE_KEYS,
    LESSON_FILE,
    LESSON_KEYS,
    CoursePackage,
    LessonPackage,
    Problem,
    Stop,
)
from app.courses.package.parsing import (
    Checker,
    check_markdown,
    display,
    read_text,
    split_front_matter,
)
from app.courses.package.quiz_file import read_quiz
from app.courses.service import CourseData
from app.courses.topics import TOPICS


def _read_course_md(pkg_dir: Path, root: Path | None, problems: list[Problem]):
    shown = display(pkg_dir / "course.md", root)
    path = pkg_dir / "course.md"
    if not path.is_file():
        problems.append(Problem(shown, None, "Thiếu tệp course.md của khóa học."))
        return None
    try:
        meta, lines, body, start, _closing = split_front_matter(read_text(path, shown), shown)
    except Stop as stop:
        problems.append(stop.problem)
        return None
    check = Checker(shown, lines, problems)
    check.unknown_keys(meta, COURSE_KEYS)
    check_markdown(body, shown, start, problems)
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
                  file_names: set[str], audio_names: set[str] = frozenset()
                  ) -> list[LessonPackage]:
    folder = pkg_dir / "lessons"
    shown_dir = display(folder, root)
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
        shown = display(path, root)
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
        shown = display(path, root)
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
        shown = display(path, root)
        try:
            meta, lines, body, start, closing = split_front_matter(read_text(path, shown),
                                                                   shown)
        except Stop as stop:
            problems.append(stop.problem)
            continue
        check = Checker(shown, lines, problems)
        check.unknown_keys(meta, LESSON_KEYS)
        title = check.text(meta, "title", required=True, max_length=200)
        audio = check.text(meta, "audio") or None
        if audio is not None and audio not in audio_names:
            where = "là tệp âm thanh của thư mục files/" if audio not in file_names \
                else "là tệp âm thanh (MP3, M4A, OGG, WAV)"
            check.add(("audio",), f"“audio: {audio}” phải {where}.")
        if not body.strip():
            problems.append(Problem(shown, closing, "Bài học không có nội dung (không có gì "
                                                    "sau dòng --- đóng phần đầu)."))
        else:
            check_markdown(body, shown, start, problems)
        for offset, line in enumerate(body.split("\n")):
            for name in content.file_links(line):
                if name not in file_names:
                    problems.append(Problem(
                        shown, start + offset,
                        f"Bài dẫn tới files/{name} nhưng thư mục files/ không có tệp này."))
        lessons.append(LessonPackage(number, slug, title, body, shown, audio))
    return lessons


def _read_files(pkg_dir: Path, root: Path | None, problems: list[Problem], max_bytes: int,
                max_width: int, max_pixels: int = uploads.MAX_PIXELS,
                max_audio_bytes: int = uploads.AUDIO_MAX_BYTES) -> list[uploads.CheckedFile]:
    folder = pkg_dir / "files"
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        shown = display(path, root)
        if not path.is_file():
            problems.append(Problem(shown, None, "Thư mục files/ chỉ chứa tệp, không chứa "
                                                 "thư mục con."))
            continue
        try:
            checked = uploads.check(path.name, path.read_bytes(), max_bytes, max_width,
                                    max_pixels, max_audio_bytes)
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
                 max_pixels: int = uploads.MAX_PIXELS,
                 max_audio_bytes: int = uploads.AUDIO_MAX_BYTES) -> CoursePackage | None:
    """Read and check one package; `codes` (code -> slug) collects the codes seen in this
    run, to refuse the same code in two packages. Unless `force`, a package is refused when
    its course was changed in the browser since the last import, or is older than the
    package imported last."""
    start = len(problems)
    slug = pkg_dir.name
    problem = service.slug_problem(slug)
    if problem:
        problems.append(Problem(display(pkg_dir, root), None,
                                f"Tên thư mục “{slug}” là mã đường dẫn của khóa học. {problem}"))
    meta = _read_course_md(pkg_dir, root, problems)
    if meta is not None and meta["code"]:
        check_code(slug, meta["code"], display(pkg_dir / "course.md", root),
                   meta["code_line"], problems, {} if codes is None else codes)
    if meta is not None and not force and not problem:
        check_overwrite(slug, meta["version"], display(pkg_dir / "course.md", root),
                        meta["version_line"], problems)
    files = _read_files(pkg_dir, root, problems, max_bytes, max_width, max_pixels,
                        max_audio_bytes)
    names = {f.filename for f in files} | (
        {p.name for p in (pkg_dir / "files").iterdir()} if (pkg_dir / "files").is_dir()
        else set())
    audio = {f.filename for f in files if f.kind in uploads.AUDIO_KINDS}
    lessons = _read_lessons(pkg_dir, root, problems, names, audio)
    quiz = read_quiz(pkg_dir, root, problems)
    if meta is None or len(problems) > start:
        return None
    data = CourseData(title=meta["title"], code=meta["code"], topics=meta["topics"],
                      summary=meta["summary"], audience=meta["audience"], hours=meta["hours"],
                      description_md=meta["description"])
    return CoursePackage(slug=slug, path=pkg_dir, data=data, version=meta["version"],
                         lessons=lessons, quiz=quiz, files=files, code_line=meta["code_line"])


def starter_dir(app_root: str | Path) -> Path:
    """The repository's own packages: courses/ beside the app package (the default of
    `flask courses import`, and the demo's)."""
    return Path(app_root).parent / "courses"


def package_dirs(directory: Path) -> list[Path]:
    """The packages in `directory`, or `directory` itself if it is one."""
    if (directory / "course.md").exists():
        return [directory]
    return sorted(p for p in directory.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")))


def read_packages(directory: Path, max_bytes: int, max_width: int = uploads.DEFAULT_MAX_WIDTH,
                  force: bool = False, max_pixels: int = uploads.MAX_PIXELS,
                  max_audio_bytes: int = uploads.AUDIO_MAX_BYTES
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
                                         force, max_pixels, max_audio_bytes)
                            for d in dirs) if p is not None]
    return packages, problems
