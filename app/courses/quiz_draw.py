"""What one quiz attempt shows: the questions drawn from the quiz's bank and the order of the
choices of each, fixed when the attempt starts and stored with it (`QuizAttempt.layout`).

Rules (tiếng Việt)
------------------
1. Mỗi lần làm bài, các lựa chọn của mỗi câu được xáo trộn; thứ tự đó được lưu cùng lần làm,
   nên tải lại trang vẫn thấy đúng thứ tự cũ và trang xem lại hiện đúng những gì học viên đã
   thấy. Đáp án được chấm theo lựa chọn (không theo vị trí), nên vị trí của đáp án đúng trong
   tệp câu hỏi không còn lộ ra.
2. Bài kiểm tra có thể rút N câu (``draw_count``) từ ngân hàng câu hỏi lớn hơn; các câu được
   rút giữ thứ tự của ngân hàng. Không đặt N thì mọi câu đều được dùng. Ngân hàng phải có ít
   nhất N câu: trang sửa bài kiểm tra, việc xóa câu hỏi và việc nhập gói đều từ chối điều
   ngược lại, có lời giải thích.
3. Nếu giảng viên sửa bài kiểm tra khi học viên đang làm: câu đã bị xóa thì bỏ khỏi lần làm,
   lựa chọn mới thêm hiện ở cuối câu.

Rules (English)
---------------
1. The choices of each question are shuffled for every attempt; the order is stored with the
   attempt, so a reload shows the same order and the review shows what the learner saw.
   Answers are checked by choice, not by position, so where a package puts its keys no longer
   shows.
2. A quiz may draw N questions (``draw_count``) from a larger bank; the drawn questions keep
   the bank's order. Without N every question is used. The bank must hold at least N
   questions: the quiz editor, deleting a question and a package import refuse otherwise,
   with the reason.
3. If the trainer edits the quiz during an attempt, a deleted question leaves the attempt and
   a new choice shows at the end of its question.

Pure functions (a `random.Random` passed in for the tests); no request, no database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class ShownQuestion:
    """A question as one attempt shows it: the question and its choices in the shown order."""

    question: object  # QuizQuestion
    choices: list

    @property
    def id(self) -> int:
        return self.question.id

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def multiple(self) -> bool:
        return self.question.multiple


def drawn_count(draw_count: int | None, bank: int) -> int:
    """How many questions an attempt gets: N when set (never more than the bank), else all."""
    if draw_count is None:
        return bank
    return min(draw_count, bank)


def bank_problem(draw_count: int | None, bank: int) -> str | None:
    """Why a number of questions drawn does not fit the bank (None when it does)."""
    if draw_count is None or draw_count <= bank:
        return None
    return _("Mỗi lần làm bài rút %(n)s câu nhưng ngân hàng chỉ có %(b)s câu hỏi. Hãy thêm câu "
             "hỏi hoặc giảm số câu rút.", n=draw_count, b=bank)


def draw(questions, draw_count: int | None, rng: random.Random | None = None) -> list:
    """A new attempt's layout: [[question id, [choice ids in shown order]], ...], the drawn
    questions in the bank's order."""
    rng = rng or random.SystemRandom()
    questions = list(questions)
    count = drawn_count(draw_count, len(questions))
    picked = sorted(rng.sample(range(len(questions)), count))
    layout = []
    for index in picked:
        question = questions[index]
        ids = [c.id for c in question.choices]
        rng.shuffle(ids)
        layout.append([question.id, ids])
    return layout


def shown(questions, layout: list | None) -> list[ShownQuestion]:
    """The questions of an attempt as it shows them. Without a layout (an attempt started
    before layouts were kept) every question in the bank's order."""
    if layout is None:
        return [ShownQuestion(q, list(q.choices)) for q in questions]
    by_id = {q.id: q for q in questions}
    out = []
    for question_id, choice_ids in layout:
        question = by_id.get(question_id)
        if question is None:
            continue  # deleted since the attempt started
        choices = {c.id: c for c in question.choices}
        ordered = [choices[i] for i in choice_ids if i in choices]
        ordered += [c for c in question.choices if c.id not in set(choice_ids)]
        out.append(ShownQuestion(question, ordered))
    return out
