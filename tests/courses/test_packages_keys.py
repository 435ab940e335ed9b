"""The starter quizzes cannot be passed by ticking the same box every time: in no package of
courses/ does more than half of the right answers (every correct choice of every question)
sit at the same position, and the same holds for the questions with one right answer. Read
with the package reader, so what is checked is what imports."""

from collections import Counter
from pathlib import Path

import pytest

import app
from app.courses.package.model import Problem
from app.courses.package.quiz_file import read_quiz
from app.courses.package.reading import starter_dir

COURSES = starter_dir(Path(app.__file__).parent)
PACKAGES = sorted(p for p in COURSES.iterdir() if (p / "quiz.yaml").exists())


def key_positions(pkg: Path) -> tuple[Counter, Counter]:
    """(positions of every right answer, positions of the right answer of single-answer
    questions), choices numbered from 1."""
    problems: list[Problem] = []
    quiz = read_quiz(pkg, pkg.parent, problems)
    assert not problems and quiz is not None, problems
    every = Counter(i for q in quiz.questions
                    for i, choice in enumerate(q.choices, start=1) if choice.correct)
    singles = Counter(next(i for i, c in enumerate(q.choices, start=1) if c.correct)
                      for q in quiz.questions if sum(c.correct for c in q.choices) == 1)
    return every, singles


def lopsided(positions: Counter) -> bool:
    """More than half of the keys at one position."""
    return bool(positions) and positions.most_common(1)[0][1] * 2 > sum(positions.values())


def test_there_are_starter_quizzes():
    assert len(PACKAGES) >= 4


@pytest.mark.parametrize("pkg", PACKAGES, ids=lambda p: p.name)
def test_no_position_holds_more_than_half_of_the_keys(pkg):
    every, singles = key_positions(pkg)
    assert not lopsided(every), f"right answers by position: {dict(sorted(every.items()))}"
    assert not lopsided(singles), f"single answers by position: {dict(sorted(singles.items()))}"


def test_the_check_catches_keys_always_first(tmp_path):
    pkg = tmp_path / "khoa-thu"
    pkg.mkdir()
    question = ('  - text: "Câu {n}"\n    choices:\n      - text: "Đúng"\n        correct: true\n'
                '      - text: "Sai"\n      - text: "Sai nữa"\n')
    (pkg / "quiz.yaml").write_text("pass_mark: 70\nmax_attempts: 3\nquestions:\n" +
                                   "".join(question.format(n=n) for n in range(1, 5)),
                                   encoding="utf-8")
    every, singles = key_positions(pkg)
    assert every == Counter({1: 4}) and lopsided(every) and lopsided(singles)
