"""A quiz's questions and choices as the learner's pages read them: plain, frozen rows loaded
in one query (not ORM objects: the quiz page, starting, and submitting read the whole bank,
and building an object per question and choice cost more than the rest of the query), in
the bank's order and each question's choices in theirs, as `CourseQuiz.questions` and
`QuizQuestion.choices` order them. The editor's pages keep the ORM objects they change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, inspect, select

from app.courses.models import CourseQuiz, QuizChoice, QuizQuestion
from app.extensions import db


@dataclass(frozen=True)
class Choice:
    id: int
    position: int
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: int
    position: int
    text: str
    explanation: str
    choices: tuple[Choice, ...]

    @property
    def multiple(self) -> bool:
        """More than one correct choice (as `QuizQuestion.multiple`)."""
        return sum(1 for c in self.choices if c.correct) > 1


def load(quiz: CourseQuiz | None) -> list[Question]:
    """The bank of `quiz` (empty without a quiz): one query whatever its size."""
    if quiz is None or quiz.id is None:
        return []
    rows = db.session.execute(
        select(QuizQuestion.id, QuizQuestion.position, QuizQuestion.text,
               QuizQuestion.explanation, QuizChoice.id, QuizChoice.position, QuizChoice.text,
               QuizChoice.correct)
        .outerjoin(QuizChoice, QuizChoice.question_id == QuizQuestion.id)
        .where(QuizQuestion.quiz_id == quiz.id)
        .order_by(QuizQuestion.position, QuizQuestion.id, QuizChoice.position, QuizChoice.id))
    out: list[Question] = []
    choices: list[Choice] = []
    current = None
    for qid, qpos, qtext, explanation, cid, cpos, ctext, correct in rows:
        if current is None or current[0] != qid:
            if current is not None:
                out.append(Question(*current, choices=tuple(choices)))
            current, choices = (qid, qpos, qtext, explanation or ""), []
        if cid is not None:
            choices.append(Choice(cid, cpos, ctext, bool(correct)))
    if current is not None:
        out.append(Question(*current, choices=tuple(choices)))
    return out


def has_questions(quiz: CourseQuiz | None) -> bool:
    """The quiz has at least one question (the questions already loaded, else one query)."""
    if quiz is None:
        return False
    if quiz.id is None or "questions" not in inspect(quiz).unloaded:
        return bool(quiz.questions)
    return bool(db.session.scalar(select(exists().where(QuizQuestion.quiz_id == quiz.id))))
