"""quiz.yaml: the pass mark, the attempts allowed and the questions, checked with the line of
every key (at least two choices, at most service.MAX_CHOICES, one of them correct)."""

from __future__ import annotations

from pathlib import Path

from app.courses import review, service
from app.courses.package.model import (
    CHOICE_KEYS,
    QUESTION_KEYS,
    QUIZ_KEYS,
    Problem,
    QuizPackage,
    Stop,
)
from app.courses.package.parsing import Checker, display, load_yaml, read_text
from app.courses.service import ChoiceData, QuestionData


def read_quiz(pkg_dir: Path, root: Path | None, problems: list[Problem]
              ) -> QuizPackage | None:
    path = pkg_dir / "quiz.yaml"
    if not path.exists():
        return None
    shown = display(path, root)
    try:
        data, lines = load_yaml(read_text(path, shown), shown)
    except Stop as stop:
        problems.append(stop.problem)
        return None
    check = Checker(shown, lines, problems)
    if not isinstance(data, dict):
        check.add((), "quiz.yaml phải có pass_mark, max_attempts và questions.")
        return None
    check.unknown_keys(data, QUIZ_KEYS)
    pass_mark = check.integer(data, "pass_mark", None, 0, 100)
    max_attempts = check.integer(data, "max_attempts", 3, 1, 100)
    draw = data.get("draw")
    if draw is not None:
        draw = check.integer(data, "draw", None, 1, 500)
    review_mode = data.get("review", review.DEFAULT)
    if not isinstance(review_mode, str) or review_mode not in review.MODES:
        check.add(("review",), f"“review: {review_mode}” không có; các giá trị hợp lệ: "
                               f"{', '.join(review.MODES)} (mặc định {review.DEFAULT}).")
        review_mode = None
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
    if draw is not None and items and draw > len(items):
        check.add(("draw",), f"“draw: {draw}”: mỗi lần làm bài rút {draw} câu nhưng tệp chỉ có "
                             f"{len(items)} câu hỏi; hãy thêm câu hỏi hoặc giảm draw.")
        draw = None
    if pass_mark is None or max_attempts is None or review_mode is None \
            or ("draw" in data and draw is None):
        return None
    return QuizPackage(pass_mark, max_attempts, questions, draw_count=draw,
                       review_mode=review_mode)
