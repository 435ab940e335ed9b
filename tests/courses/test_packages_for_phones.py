"""The starter lessons read on a cheap phone: each lesson is short enough for about ten
minutes (at most 1.000 words of body), no table is wider than three columns, and the text is
NFC, as the package reader keeps it."""

import re
import unicodedata
from pathlib import Path

import pytest

import app
from app.courses.package.reading import starter_dir

COURSES = starter_dir(Path(app.__file__).parent)
LESSONS = sorted(COURSES.glob("*/lessons/*.md"))
MAX_WORDS = 1000
MAX_COLUMNS = 3


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def test_there_are_lessons():
    assert len(LESSONS) >= 16


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_a_lesson_fits_ten_minutes_on_a_phone(lesson):
    words = len(re.findall(r"\w+", _body(lesson)))
    assert words <= MAX_WORDS, f"{words} words"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_table_is_wider_than_a_phone(lesson):
    for n, line in enumerate(_body(lesson).splitlines(), start=1):
        if line.lstrip().startswith("|"):
            columns = line.strip().strip("|").count("|") + 1
            assert columns <= MAX_COLUMNS, f"line {n}: {columns} columns"


@pytest.mark.parametrize("path", sorted(COURSES.glob("*/*.md")) + sorted(COURSES.glob("*/*.yaml"))
                         + LESSONS, ids=lambda p: str(p.relative_to(COURSES)))
def test_text_is_nfc(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_nested_lists_are_indented_four_spaces(lesson):
    """Markdown (Python-Markdown) nests a list only when it is indented by four spaces; with
    fewer, the items run on inside their parent's text, as "- TDA 1: ... - TDA 2: ..."."""
    for n, line in enumerate(_body(lesson).splitlines(), start=1):
        assert not re.match(r"^ {1,3}([-*+]|\d+\.) ", line), f"line {n}: {line!r}"
