"""Writing a course back as a package (course.md, lessons/NN-<slug>.md, quiz.yaml, files/), in
the format that reading takes: import -> export -> import is a round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from app.courses import review, uploads
from app.courses.models import Course


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
        meta = {"title": lesson.title}
        if lesson.audio is not None:
            meta["audio"] = lesson.audio.filename
        out[f"lessons/{n:02d}-{lesson.slug}.md"] = _front_matter(meta, lesson.body_md)
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
        settings = {"pass_mark": quiz.pass_mark, "max_attempts": quiz.max_attempts}
        if quiz.draw_count is not None:
            settings["draw"] = quiz.draw_count
        if quiz.review_mode != review.DEFAULT:  # the default is not written
            settings["review"] = quiz.review_mode
        out["quiz.yaml"] = _dump({**settings, "questions": questions})
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
