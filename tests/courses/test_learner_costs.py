"""What the load test's learner requests cost (issue 16): the lesson page as a learner moves
on (a write, then the page), the quiz page, starting and submitting an attempt. Their SQL
statements do not grow with the lessons, questions, choices or past attempts, and nothing is
loaded twice or as objects the page does not need."""

from sqlalchemy import func, select

from app.auth.models import User
from app.courses import progress, service
from app.courses.models import QuizAttempt
from app.courses.service import ChoiceData, QuestionData


def _questions(n: int) -> list[QuestionData]:
    return [QuestionData(f"Câu hỏi {i}", [ChoiceData(f"Đúng {i}", True), ChoiceData("Sai a"),
                                           ChoiceData("Sai b"), ChoiceData("Sai c")], "Vì...")
            for i in range(n)]


def _answers(page: str) -> dict:
    """The form of an open attempt answered with a wrong choice ("Sai a") of every question:
    the choices are shuffled per attempt, so "the first one" would sometimes be right, and a
    passed quiz completes the course, which writes more (the counts would vary by chance)."""
    import re

    token = re.search(r'name="attempt" value="([0-9a-f]+)"', page)[1]
    picked = dict(re.findall(
        r'name="(q\d+)" id="q\d+c\d+" value="(\d+)"[^>]*>\s*<label[^>]*>Sai a</label>', page))
    return {"attempt": token, **picked}


def _learner(db):
    return db.session.scalar(select(User).where(User.username == "learner"))


def _counted(count_queries, count_rows, request):
    with count_queries() as n, count_rows() as rows:
        response = request()
    return response, n(), dict(rows())


def test_the_lesson_page_of_a_learner_moving_on_loads_each_lesson_once(
        client, login, db, make_course, users, count_queries, count_rows):
    counts = {}
    for slug, size in (("nho", 3), ("lon", 12)):
        make_course(slug, lessons=tuple(f"Bài {i}" for i in range(size)))
        course = service.by_slug(slug)
        progress.enroll(_learner(db), course)
        db.session.commit()
        login("learner")
        client.get(f"/courses/{slug}/lessons/1")
        db.session.remove()
        response, queries, rows = _counted(count_queries, count_rows,
                                           lambda s=slug: client.get(f"/courses/{s}/lessons/2"))
        assert response.status_code == 200 and "Bài 1" in response.get_data(as_text=True)
        assert rows.get("CourseLesson") == size
        counts[size] = queries
        db.session.expire_all()
        enrollment = progress.enrollment_of(_learner(db), service.by_slug(slug))
        assert enrollment.last_lesson_id == service.by_slug(slug).active_lessons[1].id  # kept
        client.post("/auth/logout")
    assert counts[3] == counts[12]


def test_taking_the_quiz_costs_the_same_whatever_the_bank_and_the_past_attempts(
        client, login, db, make_course, users, count_queries, count_rows):
    measured = {}
    for slug, size in (("it-cau", 2), ("nhieu-cau", 15)):
        course = make_course(slug, questions=_questions(size), max_attempts=50, pass_mark=100)
        progress.enroll(_learner(db), course)
        db.session.commit()
        login("learner")
        url = f"/courses/{slug}/quiz"
        for lap in range(3):  # past attempts: 0, then 2 (the page lists them)
            db.session.remove()
            start_page = _counted(count_queries, count_rows, lambda u=url: client.get(u))
            start = _counted(count_queries, count_rows,
                             lambda u=url: client.post(f"{u}/start"))
            page = _counted(count_queries, count_rows, lambda u=url: client.get(u))
            form = _answers(page[0].get_data(as_text=True))
            assert len(form) == size + 1
            submit = _counted(count_queries, count_rows,
                              lambda u=url, f=form: client.post(u, data=f))
            assert [r[0].status_code for r in (start_page, start, page, submit)] == \
                [200, 303, 200, 303]
            for _response, _n, rows in (start_page, start, page, submit):
                # the bank is read as plain rows, never one object per question and choice
                assert "QuizQuestion" not in rows and "QuizChoice" not in rows
            if lap != 1:
                measured[(size, lap)] = tuple(r[1] for r in (start_page, start, page, submit))
        quiz_id = service.by_slug(slug).quiz.id
        assert db.session.scalar(select(func.count(QuizAttempt.id)).where(
            QuizAttempt.quiz_id == quiz_id, QuizAttempt.submitted_at.is_not(None))) == 3
        client.post("/auth/logout")
    assert measured[(2, 0)] == measured[(15, 0)]
    assert measured[(2, 2)] == measured[(15, 2)]
    assert measured[(2, 0)] == measured[(2, 2)]
