"""What a learner sees after a quiz attempt: a setting of the quiz (`CourseQuiz.review_mode`).

Chế độ xem lại (tiếng Việt)
---------------------------
- ``after_pass_or_last`` (mặc định): sau mỗi lần nộp chỉ thấy điểm; khi đã đạt, hoặc đã làm
  hết số lần được phép, mới thấy câu nào sai, đáp án đúng và giải thích (của mọi lần đã làm).
  Như vậy lần làm lại vẫn là một lần kiểm tra thật, và học viên vẫn học được từ bài làm.
- ``always``: sau mỗi lần nộp đều thấy câu sai, đáp án đúng và giải thích (bài kiểm tra để ôn
  tập).
- ``score_only``: chỉ thấy điểm, không bao giờ thấy đáp án (bài kiểm tra dùng lại cho nhiều
  lớp).

Giảng viên của khóa học và điều phối viên luôn xem được toàn bộ bài làm. Bài làm của một bài
kiểm tra đã bị xóa chỉ còn hiện điểm.

Review modes (English)
----------------------
- ``after_pass_or_last`` (default): after each attempt only the score; once the learner has
  passed, or has used every attempt allowed, which answers were wrong, the right answers and
  the explanations (of every attempt). A retry is still a real test, and the learner still
  learns from the attempt.
- ``always``: the wrong answers, the right ones and the explanations after every attempt (a
  quiz for practice).
- ``score_only``: the score only, never the answers (a test reused across classes).

The course's trainers and the coordinators always see the whole attempt. An attempt at a quiz
that was deleted shows its score only.
"""

from __future__ import annotations

from app.i18n_markers import N_

DEFAULT = "after_pass_or_last"
MODES = {
    "after_pass_or_last": N_("Chỉ hiện điểm; hiện câu sai, đáp án và giải thích khi học viên đã "
                             "đạt hoặc đã làm hết số lần (mặc định)"),
    "always": N_("Hiện câu sai, đáp án và giải thích sau mỗi lần làm (để ôn tập)"),
    "score_only": N_("Chỉ hiện điểm, không bao giờ hiện đáp án"),
}  # translated where shown: _(MODES[mode])


def shows_answers(mode: str, *, passed: bool, attempts_left: int, editor: bool = False,
                  current_quiz: bool = True) -> bool:
    """Whether the answers and explanations of an attempt are shown to this viewer.
    `passed`: the learner passed the quiz (any attempt); `attempts_left`: attempts they may
    still count; `editor`: the viewer edits the course; `current_quiz`: the attempt belongs to
    the course's present quiz."""
    if editor:
        return True
    if not current_quiz:
        return False
    if mode == "always":
        return True
    if mode == "score_only":
        return False
    return passed or attempts_left <= 0


def shows_answers_later(mode: str) -> bool:
    """Whether a learner who has not passed yet will see the answers once done."""
    return mode == "after_pass_or_last"
