"""Quiz: scoring, pass mark, attempts limit, double submit, answers that do not fit."""

import pytest
from sqlalchemy import func, select

from app.courses import progress, quiz
from app.courses.models import QuizAttempt


@pytest.fixture()
def course(make_course):
    return make_course(pass_mark=50, max_attempts=2)


@pytest.fixture()
def enrolled(db, course, users):
    enrollment, _ = progress.enroll(users["learner"], course)
    db.session.commit()
    return enrollment


def _ids(course):
    q1, q2 = course.quiz.questions
    return q1, q2


def test_grade_needs_exactly_the_correct_choices(course):
    q1, q2 = _ids(course)
    a1, b1, _c1 = (c.id for c in q1.choices)
    a2, b2, c2 = (c.id for c in q2.choices)
    full = quiz.grade(course.quiz, {q1.id: [a1], q2.id: [a2, b2]})
    assert (full.correct, full.total, full.score, full.passed) == (2, 2, 100, True)
    partial = quiz.grade(course.quiz, {q1.id: [a1], q2.id: [a2]})  # one of two: wrong
    assert (partial.correct, partial.score, partial.passed) == (1, 50, True)  # 50% mark
    extra = quiz.grade(course.quiz, {q1.id: [b1], q2.id: [a2, b2, c2]})
    assert (extra.correct, extra.score, extra.passed) == (0, 0, False)
    review = full.review[1]
    assert review["ok"] and review["explanation"] == "A và B."
    assert [c["chosen"] for c in review["choices"]] == [True, True, False]


def test_pass_mark_is_not_rounded_up(make_course):
    course = make_course("ba-cau", pass_mark=70, questions=[
        quiz_question(f"Câu {i}") for i in range(3)])
    questions = course.quiz.questions
    right = {q.id: [q.choices[0].id] for q in questions}
    two = {**right, questions[2].id: [questions[2].choices[1].id]}
    result = quiz.grade(course.quiz, two)
    assert (result.score, result.passed) == (66, False)  # 2/3 = 66.7% < 70%
    assert quiz.grade(course.quiz, right).passed


def quiz_question(text):
    from app.courses.service import ChoiceData, QuestionData

    return QuestionData(text, [ChoiceData("Đúng", True), ChoiceData("Sai")])


def test_check_answers(course):
    q1, q2 = _ids(course)
    missing = quiz.check_answers(course.quiz, {q1.id: [q1.choices[0].id]})
    assert missing.status == 400 and set(missing.by_question) == {q2.id}
    unknown = quiz.check_answers(course.quiz, {q1.id: [q1.choices[0].id],
                                               q2.id: [q2.choices[0].id], 999999: [1]})
    assert unknown.status == 422 and unknown.general
    wrong_choice = quiz.check_answers(course.quiz, {q1.id: [q2.choices[0].id],
                                                    q2.id: [q2.choices[0].id]})
    assert wrong_choice.status == 422 and q1.id in wrong_choice.by_question
    two_for_one = quiz.check_answers(course.quiz, {q1.id: [c.id for c in q1.choices[:2]],
                                                   q2.id: [q2.choices[0].id]})
    assert q1.id in two_for_one.by_question


def _form(course, right=True):
    q1, q2 = _ids(course)
    if right:
        return {f"q{q1.id}": [str(q1.choices[0].id)],
                f"q{q2.id}": [str(q2.choices[0].id), str(q2.choices[1].id)]}
    return {f"q{q1.id}": [str(q1.choices[1].id)], f"q{q2.id}": [str(q2.choices[2].id)]}


def _open_token(client, course):
    """Start (or resume) an attempt with the "Bắt đầu làm bài" button, then read its form."""
    started = client.post(f"/courses/{course.slug}/quiz/start")
    assert started.status_code == 303, started.get_data(as_text=True)
    page = client.get(f"/courses/{course.slug}/quiz")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return text.split('name="attempt" value="')[1].split('"')[0], text


def test_quiz_page_scores_at_once_with_explanations(client, login, course, enrolled):
    login("learner")
    token, page = _open_token(client, course)
    assert "Một đáp án: chọn A" in page and 'type="checkbox"' in page and 'type="radio"' in page
    response = client.post(f"/courses/{course.slug}/quiz",
                           data={"attempt": token, **_form(course)})
    assert response.status_code == 303
    result = client.get(response.location).get_data(as_text=True)
    assert "Đạt" in result and "đúng 2/2 câu (100%)" in result
    assert "A là đúng vì..." in result and "A và B." in result


def test_double_submit_is_refused_and_not_counted(client, login, db, course, enrolled):
    login("learner")
    token, _ = _open_token(client, course)
    first = client.post(f"/courses/{course.slug}/quiz",
                        data={"attempt": token, **_form(course, right=False)})
    assert first.status_code == 303
    second = client.post(f"/courses/{course.slug}/quiz",
                         data={"attempt": token, **_form(course, right=True)})
    assert second.status_code == 409
    assert "đã được nộp" in second.get_data(as_text=True)
    attempts = db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.enrollment_id == enrolled.id, QuizAttempt.submitted_at.is_not(None))).all()
    assert len(attempts) == 1 and attempts[0].passed is False  # the first answers stand


def test_submit_is_atomic_against_a_concurrent_submit(db, course, enrolled):
    attempt = quiz.start_or_resume(enrolled, course)
    q1, q2 = _ids(course)
    answers = {q1.id: [q1.choices[0].id], q2.id: [q2.choices[0].id, q2.choices[1].id]}
    # another request closes the attempt between our read and our write
    db.session.execute(QuizAttempt.__table__.update().where(QuizAttempt.id == attempt.id)
                       .values(submitted_at=attempt.started_at, score=0, passed=False))
    with pytest.raises(quiz.QuizError) as caught:
        quiz.submit(enrolled, course, attempt.token, answers)
    assert caught.value.status == 409


def test_missing_answers_keep_the_choices(client, login, db, course, enrolled):
    login("learner")
    token, _ = _open_token(client, course)
    q1, q2 = _ids(course)
    response = client.post(f"/courses/{course.slug}/quiz",
                           data={"attempt": token, f"q{q1.id}": str(q1.choices[0].id)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bạn chưa trả lời câu này." in page
    assert f'id="q{q1.id}c{q1.choices[0].id}" value="{q1.choices[0].id}" checked' in page
    assert db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.submitted_at.is_not(None))) == 0


def test_answer_for_a_question_that_does_not_exist(client, login, db, course, enrolled):
    login("learner")
    token, _ = _open_token(client, course)
    response = client.post(f"/courses/{course.slug}/quiz",
                           data={"attempt": token, **_form(course), "q999999": "1"})
    assert response.status_code == 422
    assert "không có trong bài kiểm tra" in response.get_data(as_text=True)
    garbage = client.post(f"/courses/{course.slug}/quiz",
                          data={"attempt": token, **_form(course), "qabc": "x"})
    assert garbage.status_code == 422
    # the attempt is still open and counts nothing yet
    assert progress.attempts_used(enrolled, course) == 0
    ok = client.post(f"/courses/{course.slug}/quiz", data={"attempt": token, **_form(course)})
    assert ok.status_code == 303


def test_unknown_token(client, login, course, enrolled):
    login("learner")
    response = client.post(f"/courses/{course.slug}/quiz",
                           data={"attempt": "nope", **_form(course)})
    assert response.status_code == 400
    assert "Không tìm thấy bài làm" in response.get_data(as_text=True)


def test_attempts_limit(client, login, db, course, enrolled):
    login("learner")
    for _ in range(2):
        token, _page = _open_token(client, course)
        response = client.post(f"/courses/{course.slug}/quiz",
                               data={"attempt": token, **_form(course, right=False)})
        assert response.status_code == 303
    page = client.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)
    assert "Bạn đã làm hết 2 lần làm bài được phép." in page
    assert 'name="attempt"' not in page and "Bắt đầu làm bài" not in page
    refused = client.post(f"/courses/{course.slug}/quiz/start")
    assert refused.status_code == 409
    assert progress.attempts_used(enrolled, course) == 2
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 2  # no third attempt


def test_reloading_the_quiz_keeps_one_open_attempt(client, login, db, course, enrolled):
    login("learner")
    first, _ = _open_token(client, course)
    again, _ = _open_token(client, course)
    assert first == again
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_after_passing_no_new_attempt(client, login, course, enrolled):
    login("learner")
    token, _ = _open_token(client, course)
    client.post(f"/courses/{course.slug}/quiz", data={"attempt": token, **_form(course)})
    page = client.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)
    assert "Bạn đã đạt bài kiểm tra" in page and 'name="attempt"' not in page
    assert "Bắt đầu làm bài" not in page
    assert client.post(f"/courses/{course.slug}/quiz/start").status_code == 409


def test_attempt_result_is_private(client, login, make_user, course, enrolled, users):
    login("learner")
    token, _ = _open_token(client, course)
    client.post(f"/courses/{course.slug}/quiz", data={"attempt": token, **_form(course)})
    other = make_user("hoc-vien-2", roles=("learner",))
    client.post("/auth/logout")
    login(other)
    assert client.get(f"/courses/{course.slug}/quiz/attempts/{token}").status_code == 403
    client.post("/auth/logout")
    login("trainer")  # the course's trainer sees the learner's answers
    page = client.get(f"/courses/{course.slug}/quiz/attempts/{token}")
    assert page.status_code == 200 and "Bài làm của" in page.get_data(as_text=True)


def test_quiz_needs_enrolment(client, login, course):
    login("learner")
    response = client.get(f"/courses/{course.slug}/quiz")
    assert response.status_code == 303
    assert response.location.endswith(f"/courses/{course.slug}")


# --- opening the quiz page changes nothing -------------------------------------------------


def test_quiz_page_is_read_only(client, login, db, course, enrolled):
    login("learner")
    for _ in range(3):
        page = client.get(f"/courses/{course.slug}/quiz")
        assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Bắt đầu làm bài" in text and 'name="attempt"' not in text
    assert f'action="/courses/{course.slug}/quiz/start"' in text
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 0
    # an image in a lesson pointing at the quiz is dropped by the sanitiser anyway
    from app.courses import content

    assert "src=" not in content.render_markdown(f"![x](/courses/{course.slug}/quiz)",
                                                 f"/courses/{course.slug}/files/")


def test_starting_twice_keeps_one_open_attempt(client, login, db, course, enrolled):
    login("learner")
    client.post(f"/courses/{course.slug}/quiz/start")
    client.post(f"/courses/{course.slug}/quiz/start")
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


# --- a tampered or stale form keeps the learner's choices ----------------------------------


def test_tampered_form_keeps_the_choices(client, login, course, enrolled):
    login("learner")
    token, _ = _open_token(client, course)
    q1, q2 = _ids(course)
    a1, b2 = q1.choices[0].id, q2.choices[1].id
    response = client.post(f"/courses/{course.slug}/quiz", data={
        "attempt": token, f"q{q1.id}": str(a1), f"q{q2.id}": str(b2), "qabc": "x"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="q{q1.id}c{a1}" value="{a1}" checked' in page
    assert f'id="q{q2.id}c{b2}" value="{b2}" checked' in page
    assert f'name="attempt" value="{token}"' in page


def test_unknown_token_keeps_the_choices_on_the_open_attempt(client, login, course, enrolled):
    login("learner")
    token, _ = _open_token(client, course)
    q1, _q2 = _ids(course)
    a1 = q1.choices[0].id
    response = client.post(f"/courses/{course.slug}/quiz", data={
        "attempt": "khong-co", f"q{q1.id}": str(a1)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Không tìm thấy bài làm này" in page
    assert f'id="q{q1.id}c{a1}" value="{a1}" checked' in page
    assert f'name="attempt" value="{token}"' in page  # resubmitting now works


# --- attempts belong to a quiz; starting and submitting are serialised ---------------------


def test_attempts_at_a_deleted_quiz_do_not_count(client, login, db, course, enrolled):
    from app.courses import service

    login("learner")
    for _ in range(2):  # every attempt used, failed
        token, _page = _open_token(client, course)
        client.post(f"/courses/{course.slug}/quiz",
                    data={"attempt": token, **_form(course, right=False)})
    assert progress.attempts_used(enrolled, course) == 2
    old = db.session.scalars(select(QuizAttempt)).all()
    service.remove_quiz(course)
    db.session.commit()
    service.set_quiz_settings(course, 50, 2)
    for text in ("Câu mới một?", "Câu mới hai?"):
        service.save_question(course, None, quiz_question(text))
    db.session.commit()
    assert progress.attempts_used(enrolled, course) == 0
    page = client.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)
    assert "Bắt đầu làm bài" in page and "Lần 1" not in page
    token, _ = _open_token(client, course)
    right = {f"q{q.id}": str(q.choices[0].id) for q in course.quiz.questions}
    assert client.post(f"/courses/{course.slug}/quiz",
                       data={"attempt": token, **right}).status_code == 303
    db.session.expire_all()
    assert progress.quiz_passed(enrolled, course)
    assert all(a.quiz_id is None for a in old)  # kept, but detached from any quiz
    # the old results can still be read
    assert client.get(f"/courses/{course.slug}/quiz/attempts/{old[0].token}").status_code == 200


def test_one_open_attempt_per_learner_in_the_database(db, course, enrolled):
    from sqlalchemy.exc import IntegrityError

    first = quiz.start_or_resume(enrolled, course)
    db.session.commit()
    db.session.add(QuizAttempt(enrollment_id=enrolled.id, quiz_id=course.quiz.id,
                               token="x" * 32, question_count=2))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert quiz.start_or_resume(enrolled, course).id == first.id


def test_an_open_attempt_of_a_removed_quiz_is_replaced(db, course, enrolled):
    stale = QuizAttempt(enrollment_id=enrolled.id, quiz_id=None, token="s" * 32,
                        question_count=2)
    db.session.add(stale)
    db.session.commit()
    fresh = quiz.start_or_resume(enrolled, course)
    db.session.commit()
    assert fresh.quiz_id == course.quiz.id
    assert db.session.scalars(select(QuizAttempt.token)).all() == [fresh.token]


def test_start_and_submit_lock_the_enrolment(db, course, enrolled, monkeypatch):
    locked = []
    original = progress.lock_enrollment
    monkeypatch.setattr(quiz, "lock_enrollment",
                        lambda enrollment_id: locked.append(enrollment_id) or original(
                            enrollment_id))
    attempt = quiz.start_or_resume(enrolled, course)
    q1, q2 = _ids(course)
    quiz.submit(enrolled, course, attempt.token, {q1.id: [q1.choices[1].id],
                                                  q2.id: [q2.choices[2].id]})
    db.session.commit()
    assert locked == [enrolled.id, enrolled.id]


def test_submit_refuses_by_the_rules_that_refuse_a_start(db, course, enrolled):
    """An attempt opened before the rules changed is refused at submit with the start's
    reason: out of attempts (the limit lowered meanwhile), or no quiz to take any more."""
    from app.courses import service

    q1, q2 = _ids(course)
    wrong = {q1.id: [q1.choices[1].id], q2.id: [q2.choices[2].id]}
    quiz.submit(enrolled, course, quiz.start_or_resume(enrolled, course).token, wrong)
    second = quiz.start_or_resume(enrolled, course)
    service.set_quiz_settings(course, 50, 1)  # the trainer allows one attempt only
    db.session.commit()
    refused = quiz.may_start(enrolled, course)
    assert refused.message == "Bạn đã làm hết 1 lần làm bài được phép."
    with pytest.raises(quiz.QuizError) as caught:
        quiz.submit(enrolled, course, second.token, wrong)
    assert (caught.value.message, caught.value.status) == (refused.message, 409)
    assert progress.attempts_used(enrolled, course) == 1

    for question in list(course.quiz.questions):  # the quiz stays, without questions
        service.delete_question(course, question)
    db.session.commit()
    refused = quiz.may_start(enrolled, course)
    assert (refused.message, refused.status) == ("Khóa học này không có bài kiểm tra.", 404)
    with pytest.raises(quiz.QuizError) as caught:
        quiz.submit(enrolled, course, second.token, wrong)
    assert (caught.value.message, caught.value.status) == (refused.message, 404)
