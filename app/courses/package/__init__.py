"""Course packages on disk (`courses/<slug>/`), their import and export.

A package is a folder named by the course's slug:

    course.md            YAML front matter (title, code, topics, audience, hours, version,
                         summary) and, below it, the course description in Markdown
    lessons/NN-<slug>.md front matter (title; optional audio: a name in files/ of an audio
                         file, played above the lesson) and the lesson in Markdown;
                         NN = 01, 02, ...
    quiz.yaml            optional: pass_mark (percent), max_attempts, draw (questions
                         drawn per attempt, default all), review (after_pass_or_last, the
                         default; always; score_only: app.courses.review), questions:
                         [{text, choices: [{text, correct: true?}], explanation}]
    files/               optional: attachments, linked from lessons as files/<name>

One module per stage, each collecting problems (file, line, message) instead of stopping at
the first:

    model       the format's keys, Problem, and the read package (CoursePackage...)
    parsing     text files with their lines: UTF-8, YAML, front matter, Markdown checks
    reading     a folder into checked CoursePackages (`read_packages`); quiz.yaml in quiz_file
    conflicts   against the database: the code is free, browser edits are not overwritten
    importing   create or update courses by slug (`import_packages`); flushes, never commits
    writing     a course back as a package (`export_course`): import -> export -> import is
                a round trip

Plain domain code: no request objects; the CLI commits.
"""

from app.courses.package.importing import ImportResult, import_package, import_packages
from app.courses.package.model import (
    CHOICE_KEYS,
    COURSE_KEYS,
    LESSON_FILE,
    LESSON_KEYS,
    QUESTION_KEYS,
    QUIZ_KEYS,
    CoursePackage,
    LessonPackage,
    Problem,
    QuizPackage,
)
from app.courses.package.parsing import load_yaml, split_front_matter
from app.courses.package.reading import package_dirs, read_package, read_packages, starter_dir
from app.courses.package.writing import course_files, export_course

__all__ = [
    "COURSE_KEYS",
    "LESSON_KEYS",
    "QUIZ_KEYS",
    "QUESTION_KEYS",
    "CHOICE_KEYS",
    "LESSON_FILE",
    "Problem",
    "LessonPackage",
    "QuizPackage",
    "CoursePackage",
    "load_yaml",
    "split_front_matter",
    "package_dirs",
    "read_package",
    "read_packages",
    "starter_dir",
    "ImportResult",
    "import_package",
    "import_packages",
    "course_files",
    "export_course",
]
