"""What a package is made of once read: the format's keys, the problems found (file, line,
message) and the checked package (course data, lessons, quiz, files) ready to import."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.courses import review, uploads
from app.courses.service import CourseData, QuestionData

COURSE_KEYS = ("title", "code", "topics", "audience", "hours", "version", "summary")
LESSON_KEYS = ("title", "audio")
QUIZ_KEYS = ("pass_mark", "max_attempts", "draw", "review", "questions")
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


class Stop(Exception):
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
    audio: str | None = None  # `audio:` a file of files/ played above the lesson


@dataclass
class QuizPackage:
    pass_mark: int
    max_attempts: int
    questions: list[QuestionData]
    draw_count: int | None = None  # `draw:` questions per attempt (None: all)
    review_mode: str = review.DEFAULT  # `review:` what a learner sees after an attempt


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
