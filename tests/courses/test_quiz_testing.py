"""Quizzes that test: choices shuffled per attempt and stored with it, questions drawn from a
bank, the review setting, and both carried by the editor and the course packages."""

import random
import re

import pytest
from sqlalchemy import func, select

from app.courses import package, progress, quiz_draw, service
from app.courses.models import QuizAttempt, QuizQuestion
from app.courses.service import ChoiceData, QuestionData

MB = 1024 * 1024


def four_choices(i):
    """A question whose key is its first choice, as the old starter packages wrote them."""
    return QuestionData(f"Câu hỏi số {i}?", [ChoiceData(f"Đúng {i}", True),
                                             ChoiceData(f"Sai một {i}"),
                                             ChoiceData(f"Sai hai {i}"),
                                             ChoiceData(f"Sai ba {i}")], f"Giải thích {i}.")


@pytest.fixture()
def course(make_course):
    return make_course("kiem-tra", pass_mark=100, max_attempts=2,
                       questions=[four_choices(i) for i in range(1, 5)])


@pytest.fixture()
def enrolled(db, course, users):
    enrollment, _ = progress.enroll(users["learner"], course)
    db.session.commit()
    return enrollment


def shown_order(page: str) -> dict[int, list[int]]:
    """{question id: [choice ids in the order of the page]} read from the quiz form."""
    order: dict[int, list[int]] = {}
    for qid, cid in re.findall(r'name="q(\d+)" id="q\d+c\d+" value="(\d+)"', page):
        order.setdefault(int(qid), []).append(int(cid))
    return order


def start(client, course):
    assert client.post(f"/courses/{course.slug}/quiz/start").status_code == 303
    page = client.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)
    token = page.split('name="attempt" value="')[1].split('"')[0]
    return token, page


def answers(course, order, pick):
    """Form data choosing, for each question shown, pick(question, choice ids shown)."""
    questions = {q.id: q for q in course.quiz.questions}
    return {f"q{qid}": [str(pick(questions[qid], ids))] for qid, ids in order.items()}


def right(question, _ids):
    return next(c.id for c in question.choices if c.correct)


def first_box(_question, ids):
    return ids[0]


def wrong(question, _ids):
    return next(c.id for c in question.choices if not c.correct)


# --- shuffling ---------------------------------------------------------------------------


def test_the_same_attempt_shows_the_same_order_on_reload(client, login, db, course, enrolled):
    login("learner")
    token, page = start(client, course)
    order = shown_order(page)
    again = client.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)
    assert shown_order(again) == order  # a reload keeps the order
    assert client.post(f"/courses/{course.slug}/quiz/start").status_code == 303  # resume
    assert shown_order(client.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)) \
        == order
    stored = db.session.scalar(select(QuizAttempt).where(QuizAttempt.token == token))
    assert dict(stored.layout) == order


def test_choices_are_shuffled_per_attempt():
    questions = [_FakeQuestion(i) for i in range(4)]
    orders = {tuple(tuple(ids) for _q, ids in quiz_draw.draw(questions, None, random.Random(s)))
              for s in range(20)}
    assert len(orders) > 15  # different attempts see different orders


class _FakeQuestion:
    def __init__(self, n, choices=4):
        self.id = n
        self.choices = [_FakeChoice(n * 10 + j, j == 0) for j in range(choices)]


class _FakeChoice:
    def __init__(self, cid, correct):
        self.id, self.correct = cid, correct


def test_ticking_the_first_box_every_time_does_not_reliably_pass():
    """With the key first in every question of the bank, the first box shown is the key only
    by chance: four questions of four choices pass with 1/256, not every time."""
    questions = [_FakeQuestion(i) for i in range(4)]
    rng = random.Random(2026)
    passes = 0
    keys_first = 0
    for _ in range(400):
        layout = quiz_draw.draw(questions, None, rng)
        firsts = [ids[0] for _qid, ids in layout]
        right_ones = sum(1 for cid in firsts if cid % 10 == 0)
        keys_first += right_ones
        passes += right_ones == len(layout)
    assert passes <= 8  # about 400/256
    assert 300 <= keys_first <= 500  # a quarter of 1600 first boxes hold the key


def test_the_key_is_checked_against_the_shuffled_order(client, login, db, course, enrolled):
    login("learner")
    token, page = start(client, course)
    order = shown_order(page)
    response = client.post(f"/courses/{course.slug}/quiz",
                           data={"attempt": token, **answers(course, order, right)})
    assert response.status_code == 303
    result = client.get(response.location).get_data(as_text=True)
    assert "đúng 4/4 câu (100%)" in result
    # the review lists the choices in the order the learner saw them
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.token == token))
    for item in attempt.answers:
        assert [c["id"] for c in item["choices"]] == order[item["question_id"]]
    texts = {c.id: c.text for q in course.quiz.questions for c in q.choices}
    first_q = attempt.answers[0]
    positions = [result.index(texts[cid]) for cid in order[first_q["question_id"]]]
    assert positions == sorted(positions)


def test_first_box_strategy_scores_only_where_the_key_was_shown_first(client, login, db,
                                                                         course, enrolled):
    login("learner")
    token, page = start(client, course)
    order = shown_order(page)
    expected = sum(1 for q in course.quiz.questions if order[q.id][0] == right(q, order[q.id]))
    response = client.post(f"/courses/{course.slug}/quiz",
                           data={"attempt": token, **answers(course, order, first_box)})
    assert response.status_code == 303
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.token == token))
    assert attempt.correct_count == expected
    assert attempt.passed is (expected == 4)


# --- drawing from a bank -----------------------------------------------------------------


def test_an_attempt_draws_its_number_of_questions(client, login, db, make_course, users):
    course = make_course("ngan-hang", pass_mark=50, max_attempts=3,
                         questions=[four_choices(i) for i in range(1, 7)])
    service.set_quiz_settings(course, 50, 3, draw_count=3)
    db.session.commit()
    progress.enroll(users["learner"], course)
    db.session.commit()
    login("learner")
    page = client.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)
    assert "Bài kiểm tra có 3 câu hỏi" in page and "rút ngẫu nhiên từ 6 câu hỏi" in page
    token, page = start(client, course)
    order = shown_order(page)
    assert len(order) == 3
    bank = [q.id for q in course.quiz.questions]
    assert list(order) == sorted(order, key=bank.index)  # the bank's order
    response = client.post(f"/courses/{course.slug}/quiz",
                           data={"attempt": token, **answers(course, order, right)})
    assert response.status_code == 303
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.token == token))
    assert (attempt.correct_count, attempt.question_count, attempt.score) == (3, 3, 100)


def test_answers_to_a_question_not_drawn_are_refused(client, login, db, make_course, users):
    course = make_course("ngan-hang", questions=[four_choices(i) for i in range(1, 5)])
    service.set_quiz_settings(course, 50, 3, draw_count=2)
    db.session.commit()
    progress.enroll(users["learner"], course)
    db.session.commit()
    login("learner")
    token, page = start(client, course)
    order = shown_order(page)
    other = next(q for q in course.quiz.questions if q.id not in order)
    data = {"attempt": token, **answers(course, order, right),
            f"q{other.id}": [str(other.choices[0].id)]}
    response = client.post(f"/courses/{course.slug}/quiz", data=data)
    assert response.status_code == 422
    assert "không có trong bài kiểm tra" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.submitted_at.is_not(None))) == 0


def test_draw_count_larger_than_the_bank_is_refused_in_the_editor(client, login, db, course):
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/quiz", data={
        "pass_mark": "80", "max_attempts": "3", "draw_count": "5",
        "review_mode": "after_pass_or_last"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Mỗi lần làm bài rút 5 câu nhưng ngân hàng chỉ có 4 câu hỏi" in text
    assert 'id="draw_count-error"' in text
    db.session.expire_all()
    assert course.quiz.draw_count is None and course.quiz.pass_mark == 100  # nothing saved


def test_editor_saves_draw_count_and_review_mode(client, login, db, course):
    login("trainer")
    page = client.get(f"/courses/{course.slug}/edit/quiz").get_data(as_text=True)
    assert "Ngân hàng hiện có 4 câu hỏi" in page and 'name="review_mode"' in page
    response = client.post(f"/courses/{course.slug}/edit/quiz", data={
        "pass_mark": "80", "max_attempts": "3", "draw_count": "3", "review_mode": "always"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (course.quiz.draw_count, course.quiz.review_mode) == (3, "always")
    blank = client.post(f"/courses/{course.slug}/edit/quiz", data={
        "pass_mark": "80", "max_attempts": "3", "draw_count": "", "review_mode": "score_only"})
    assert blank.status_code == 303
    db.session.expire_all()
    assert (course.quiz.draw_count, course.quiz.review_mode) == (None, "score_only")
    bad = client.post(f"/courses/{course.slug}/edit/quiz", data={
        "pass_mark": "80", "max_attempts": "3", "review_mode": "sometimes"})
    assert bad.status_code == 400
    assert 'id="review_mode-error"' in bad.get_data(as_text=True)


def test_deleting_below_the_draw_count_is_refused(client, login, db, course):
    service.set_quiz_settings(course, 100, 2, draw_count=4)
    db.session.commit()
    question = course.quiz.questions[0]
    login("trainer")
    for method in (client.get, client.post):
        response = method(f"/courses/{course.slug}/edit/quiz/questions/{question.id}/delete",
                          **({"data": {"confirm": "yes"}} if method == client.post else {}))
        assert response.status_code == 409
        assert "mỗi lần làm bài rút 4 câu, nên ngân hàng phải còn ít nhất 4 câu hỏi" \
            in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizQuestion.id))) == 4


def test_publish_names_a_bank_smaller_than_the_draw(db, course):
    course.quiz.draw_count = 9  # as an older database could hold it
    db.session.flush()
    assert any("rút 9 câu nhưng ngân hàng chỉ có 4" in p for p in service.publish_problems(course))


# --- the review setting ------------------------------------------------------------------


def submit(client, course, pick):
    token, page = start(client, course)
    response = client.post(f"/courses/{course.slug}/quiz",
                           data={"attempt": token, **answers(course, shown_order(page), pick)})
    assert response.status_code == 303
    return response.location


def set_mode(db, course, mode):
    service.set_quiz_settings(course, 100, 2, review_mode=mode)
    db.session.commit()


def test_default_shows_only_the_score_until_the_last_attempt(client, login, db, course,
                                                              enrolled):
    assert course.quiz.review_mode == "after_pass_or_last"
    login("learner")
    first = submit(client, course, wrong)
    page = client.get(first).get_data(as_text=True)
    assert "đúng 0/4 câu (0%)" in page
    assert "Giải thích 1." not in page and "(đáp án đúng)" not in page
    assert "khi bạn đã đạt hoặc đã làm hết số lần" in page
    quiz_page = client.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)
    assert "Đáp án và giải thích hiện khi bạn đã đạt" in quiz_page
    last = submit(client, course, wrong)  # the last of 2 attempts allowed
    for url in (first, last):
        page = client.get(url).get_data(as_text=True)
        assert "Giải thích 1." in page and "(đáp án đúng)" in page and "Sai" in page


def test_default_shows_the_answers_after_a_pass(client, login, db, course, enrolled):
    login("learner")
    page = client.get(submit(client, course, right)).get_data(as_text=True)
    assert "Đạt" in page and "Giải thích 4." in page


def test_always_shows_the_answers_after_every_attempt(client, login, db, course, enrolled):
    set_mode(db, course, "always")
    login("learner")
    page = client.get(submit(client, course, wrong)).get_data(as_text=True)
    assert "Chưa đạt" in page and "Giải thích 2." in page and "(bạn chọn, chưa đúng)" in page


def test_score_only_never_shows_the_answers_but_trainers_see_them(client, login, db, course,
                                                                   enrolled):
    set_mode(db, course, "score_only")
    login("learner")
    submit(client, course, wrong)
    last = submit(client, course, wrong)
    page = client.get(last).get_data(as_text=True)
    assert "đúng 0/4 câu" in page and "Giải thích" not in page
    assert "chỉ cho xem điểm" in page
    client.post("/auth/logout")
    login("trainer")
    page = client.get(last).get_data(as_text=True)
    assert "Giải thích 3." in page and "(đáp án đúng)" in page


def test_attempts_of_a_deleted_quiz_show_the_score_only(client, login, db, course, enrolled):
    set_mode(db, course, "always")
    login("learner")
    url = submit(client, course, wrong)
    service.remove_quiz(course)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "đúng 0/4 câu" in page and "Giải thích" not in page


# --- packages ----------------------------------------------------------------------------


QUIZ = """pass_mark: 50
max_attempts: 2
draw: 2
review: always
questions:
  - text: "Câu một?"
    choices:
      - text: "Sai"
      - text: "Đúng"
        correct: true
  - text: "Câu hai?"
    choices:
      - text: "Đúng"
        correct: true
      - text: "Sai"
  - text: "Câu ba?"
    choices:
      - text: "Sai"
      - text: "Đúng"
        correct: true
"""


def test_package_carries_the_settings_and_round_trips(db, upload_dir, write_package, pkg,
                                                       tmp_path):
    files = pkg.good()
    files["quiz.yaml"] = QUIZ
    packages, problems = package.read_packages(write_package("khoa-thu", files), 20 * MB)
    assert problems == []
    package.import_packages(None, packages, upload_dir, publish=True)
    db.session.commit()
    course = service.by_slug("khoa-thu")
    assert (course.quiz.draw_count, course.quiz.review_mode) == (2, "always")
    exported = package.export_course(course, tmp_path / "out", upload_dir)
    text = (exported / "quiz.yaml").read_text(encoding="utf-8")
    assert "draw: 2\n" in text and 'review: "always"\n' in text
    again, problems = package.read_packages(tmp_path / "out", 20 * MB)
    assert problems == []
    result = package.import_packages(None, again, upload_dir)
    assert result.unchanged == ["khoa-thu"]
    # the defaults are not written: a package without them exports without them
    service.set_quiz_settings(course, 50, 2, None, "after_pass_or_last")
    text = package.course_files(course)["quiz.yaml"]
    assert "draw" not in text and "review" not in text


def test_package_with_an_unknown_review_setting_is_refused(db, write_package, pkg):
    files = pkg.good()
    files["quiz.yaml"] = QUIZ.replace("review: always", "review: sometimes")
    packages, problems = package.read_packages(write_package("khoa-thu", files), 20 * MB)
    assert packages == []
    assert [str(p) for p in problems] == [
        "packages/khoa-thu/quiz.yaml:4: “review: sometimes” không có; các giá trị hợp lệ: "
        "after_pass_or_last, always, score_only (mặc định after_pass_or_last)."]


def test_package_drawing_more_than_its_bank_is_refused(db, write_package, pkg):
    files = pkg.good()
    files["quiz.yaml"] = QUIZ.replace("draw: 2", "draw: 5")
    packages, problems = package.read_packages(write_package("khoa-thu", files), 20 * MB)
    assert packages == []
    assert [str(p) for p in problems] == [
        "packages/khoa-thu/quiz.yaml:3: “draw: 5”: mỗi lần làm bài rút 5 câu nhưng tệp chỉ có "
        "3 câu hỏi; hãy thêm câu hỏi hoặc giảm draw."]


def test_older_courses_keep_their_hash(db, course):
    """The new settings at their defaults do not change the content hash, so courses imported
    before them are not taken for courses edited in the browser."""
    before = service.content_hash(course)
    snapshot = service.content_snapshot(course)
    assert "draw_count" not in snapshot["quiz"] and "review_mode" not in snapshot["quiz"]
    service.set_quiz_settings(course, 100, 2, draw_count=3)
    assert service.content_hash(course) != before
