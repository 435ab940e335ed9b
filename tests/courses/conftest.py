"""Fixtures for the courses tests: a private upload folder, the starter courses, a small
course factory and a package writer."""

from pathlib import Path

import pytest

from app.courses import package, service
from app.courses.service import ChoiceData, CourseData, QuestionData

STARTER = Path(__file__).resolve().parents[2] / "courses"
MB = 1024 * 1024


@pytest.fixture()
def upload_dir(app, tmp_path):
    old = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    yield app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = old


@pytest.fixture()
def starter(db, users, upload_dir):
    """The four starter courses from courses/, published, `trainer` as their trainer."""
    packages, problems = package.read_packages(STARTER, 20 * MB)
    assert problems == []
    package.import_packages(None, packages, upload_dir, publish=True,
                            trainers=[users["trainer"]])
    db.session.commit()
    return {p.slug: service.by_slug(p.slug) for p in packages}


QUESTIONS = [
    QuestionData("Một đáp án: chọn A", [ChoiceData("A", True), ChoiceData("B"),
                                         ChoiceData("C")], "A là đúng vì..."),
    QuestionData("Nhiều đáp án: A và B", [ChoiceData("A", True), ChoiceData("B", True),
                                           ChoiceData("C")], "A và B."),
]


@pytest.fixture()
def make_course(db, users, upload_dir):
    def make(slug="khoa-moi", lessons=("Bài một", "Bài hai"), quiz=True, status="published",
             trainers=None, pass_mark=50, max_attempts=2, questions=QUESTIONS):
        course = service.create_course(
            None, slug, CourseData(title=f"Khóa {slug}", code=slug.upper()[:30],
                                   topics=["chuong-trinh"], summary="Tóm tắt."),
            [users["trainer"]] if trainers is None else trainers)
        for title in lessons:
            service.add_lesson(None, course, title, f"## {title}\n\nNội dung của {title}.")
        if quiz:
            service.set_quiz_settings(course, pass_mark, max_attempts)
            for q in questions:
                service.save_question(course, None, q)
        if status in ("published", "archived"):
            service.publish(None, course)
        if status == "archived":
            service.set_status(None, course, "archived")
        db.session.commit()
        return course

    return make


@pytest.fixture()
def write_package(tmp_path):
    """write_package("slug", {"course.md": "...", "lessons/01-a.md": "..."}) -> root dir."""
    root = tmp_path / "packages"

    def write(slug, files, root_dir=None):
        base = (root_dir or root) / slug
        for relative, text in files.items():
            path = base / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return root_dir or root

    return write


COURSE_MD = """---
title: "Khóa học thử"
code: "THU-01"
topics:
  - chuong-trinh
audience: "Trưởng thôn"
hours: 4
version: 1
summary: "Tóm tắt khóa thử."
---

## Giới thiệu

Khóa học để kiểm thử.
"""


def lesson_md(title: str, body: str = "Nội dung bài.") -> str:
    return f"---\ntitle: \"{title}\"\n---\n\n{body}\n"


QUIZ_YAML = """pass_mark: 50
max_attempts: 2
questions:
  - text: "Câu một?"
    choices:
      - text: "Đúng"
        correct: true
      - text: "Sai"
    explanation: "Vì vậy."
"""


def good_package() -> dict:
    return {"course.md": COURSE_MD, "lessons/01-mot.md": lesson_md("Bài một"),
            "lessons/02-hai.md": lesson_md("Bài hai", "| a | b |\n|---|---|\n| 1 | 2 |"),
            "quiz.yaml": QUIZ_YAML}


@pytest.fixture()
def pkg():
    """Text of a good package and its parts: pkg.good(), pkg.course_md, pkg.lesson(...)."""
    from types import SimpleNamespace

    return SimpleNamespace(good=good_package, course_md=COURSE_MD, quiz_yaml=QUIZ_YAML,
                           lesson=lesson_md)
