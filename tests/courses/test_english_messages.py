"""The courses' domain messages (uploads, Markdown checks, publishing, questions, the quiz)
follow the reader's language (the `lang` cookie)."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.courses import progress
from app.courses.models import CourseAttachment, QuizAttempt

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture()
def english(client):
    client.set_cookie("lang", "en")
    return client


def _upload(client, course, name, data):
    return client.post(f"/courses/{course.slug}/edit/files",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _png(width, height=60) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_refused_uploads_say_why_in_english(english, db, login, make_course):
    course = make_course()
    login("trainer")
    disguised = _upload(english, course, "cai-dat.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300)
    assert disguised.status_code == 422
    page = disguised.get_data(as_text=True)
    assert ("The file cai-dat.pdf is not an allowed type (its content is EXE). Only PDF, DOCX, "
            "XLSX, PPTX, JPG, PNG, MP3, M4A, OGG, WAV are accepted." in page)
    assert "không phải loại được phép" not in page
    renamed = _upload(english, course, "anh.pdf", _png(100))
    assert renamed.status_code == 422
    assert ("The file anh.pdf has the extension .pdf but its content is PNG image, not PDF."
            in renamed.get_data(as_text=True))
    unfinished = _upload(english, course, "cat.pdf", PDF[:-7])
    assert unfinished.status_code == 422
    assert ("The file cat.pdf is not a complete PDF (the closing %%EOF is missing)"
            in unfinished.get_data(as_text=True))
    assert db.session.scalar(select(func.count(CourseAttachment.id))) == 0
    # the same refusal in Vietnamese once the cookie is gone
    english.delete_cookie("lang")
    page = _upload(english, course, "anh.pdf", _png(100)).get_data(as_text=True)
    assert "có đuôi .pdf nhưng nội dung là ảnh PNG, không phải PDF" in page


def test_markdown_and_publish_problems_in_english(english, login, make_course):
    course = make_course(lessons=(), quiz=False, status="draft")
    login("trainer")
    nested = "\n".join("\t" * i + "- x" for i in range(30))
    response = english.post(f"/courses/{course.slug}/edit/lessons/new", data={
        "title": "Deep", "body": nested, "action": "save"})
    assert response.status_code == 400
    assert ("Line 21: indentation or nested lists/quotes too deep (more than 20 levels)."
            in response.get_data(as_text=True))
    refused = english.post(f"/courses/{course.slug}/edit/status", data={"action": "publish"})
    assert refused.status_code == 422
    assert "The course has no lessons yet." in refused.get_data(as_text=True)


def test_question_problems_in_english(english, login, make_course):
    course = make_course(quiz=False)
    login("trainer")
    assert english.post(f"/courses/{course.slug}/edit/quiz",
                        data={"pass_mark": "80", "max_attempts": "2"}).status_code == 303
    url = f"/courses/{course.slug}/edit/quiz/questions/new"
    one_choice = english.post(url, data={"text": "Câu?", "choices-0-text": "A",
                                         "choices-0-correct": "y"})
    assert one_choice.status_code == 400
    assert "Each question needs at least 2 choices." in one_choice.get_data(as_text=True)


def test_quiz_answers_checked_in_english(english, db, login, make_course, users):
    course = make_course(pass_mark=50, max_attempts=1)
    progress.enroll(users["learner"], course)
    db.session.commit()
    login("learner")
    assert english.post(f"/courses/{course.slug}/quiz/start").status_code == 303
    page = english.get(f"/courses/{course.slug}/quiz").get_data(as_text=True)
    token = page.split('name="attempt" value="')[1].split('"')[0]
    q1, q2 = course.quiz.questions
    response = english.post(f"/courses/{course.slug}/quiz",
                            data={"attempt": token, f"q{q1.id}": str(q1.choices[0].id)})
    assert response.status_code == 400
    assert "You have not answered this question." in response.get_data(as_text=True)
    answers = {f"q{q1.id}": str(q1.choices[1].id), f"q{q2.id}": str(q2.choices[2].id)}
    assert english.post(f"/courses/{course.slug}/quiz",
                        data={"attempt": token, **answers}).status_code == 303
    again = english.post(f"/courses/{course.slug}/quiz", data={"attempt": token, **answers})
    assert again.status_code == 409
    assert ("This attempt has already been submitted and scored; submitting it again does not "
            "count." in again.get_data(as_text=True))
    refused = english.post(f"/courses/{course.slug}/quiz/start")
    assert refused.status_code == 409
    assert "You have used all the attempts allowed (1)." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
