"""Objects for the route walk: a published course whose trainer is the `trainer` account, with
two lessons, a file, a quiz, and the `learner` account enrolled (one lesson done, one quiz
attempt submitted)."""

from app.courses import progress, quiz, service
from app.courses.models import CourseAttachment
from app.courses.service import ChoiceData, CourseData, QuestionData


def params(ctx) -> dict:
    db = ctx.db
    trainer, learner = ctx.users["trainer"], ctx.users["learner"]
    course = service.create_course(
        None, "khoa-thu", CourseData(title="Khóa thử", code="THU-01", topics=["chuong-trinh"],
                                     summary="Khóa học để đi qua mọi trang."), [trainer])
    first = service.add_lesson(None, course, "Bài một", "Nội dung **bài một**.")
    service.add_lesson(None, course, "Bài hai", "Nội dung bài hai.")
    service.set_quiz_settings(course, 50, 3)
    question = service.save_question(course, None, QuestionData(
        "Câu hỏi thử?", [ChoiceData("Đúng", True), ChoiceData("Sai")], "Vì thế."))
    attachment = CourseAttachment(filename="tai-lieu.pdf", original_name="Tài liệu.pdf",
                                  stored_name="0" * 32 + ".pdf", kind="pdf",
                                  mime_type="application/pdf", size=10, sha256="0" * 64)
    course.attachments.append(attachment)
    service.publish(None, course)
    enrollment, _ = progress.enroll(learner, course)
    progress.mark_done(enrollment, first)
    attempt = quiz.start_or_resume(enrollment, course)
    quiz.submit(enrollment, course, attempt.token, {question.id: [question.choices[1].id]})
    db.session.commit()
    return {"slug": course.slug, "n": 1, "lesson_id": first.id, "question_id": question.id,
            "attachment_id": attachment.id, "filename": attachment.filename,
            "token": attempt.token}
