"""Objects for the route walk: a published course whose trainer is the `trainer` account, with
two lessons, a file (really on disk, so the file route serves it), a quiz, and the `learner`
account enrolled (one lesson done, one quiz attempt submitted).

Every GET of these routes answers 200 (or a redirect) for the roles it allows, and the walk's
empty POSTs change nothing that a later GET needs: deleting asks for a confirmation first."""

from flask import current_app

from app.courses import progress, quiz, service, uploads
from app.courses.models import CourseAttachment
from app.courses.service import ChoiceData, CourseData, QuestionData

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STORED = "0" * 31 + "7.pdf"  # fixed, so repeated walks reuse one file


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
    path = uploads.path_of(current_app.config["UPLOAD_DIR"], STORED)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    attachment = CourseAttachment(filename="tai-lieu.pdf", original_name="Tài liệu.pdf",
                                  stored_name=STORED, kind="pdf", mime_type="application/pdf",
                                  size=len(PDF), sha256=uploads.CheckedFile(
                                      "tai-lieu.pdf", "Tài liệu.pdf", "pdf",
                                      "application/pdf", PDF).sha256)
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
