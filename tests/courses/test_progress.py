"""Learner experience: catalogue, course page, enrolment, reader, progress, resume,
completion, new versions, "my courses", and query counts."""

import re

from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select

from app.auth.models import User
from app.courses import content, progress, quiz, service
from app.courses.models import CourseEnrollment, LessonProgress


def _enrol(client, course):
    return client.post(f"/courses/{course.slug}/enroll")


def test_catalogue_and_course_page(client, login, starter):
    login("learner")
    page = client.get("/courses/").get_data(as_text=True)
    for course in starter.values():
        assert course.title in page
    course = starter["chuong-trinh-giam-ngheo-2021-2025"]
    detail = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Ghi danh học khóa này" in detail
    assert course.lessons[0].title in detail
    assert "đạt khi trả lời đúng từ 70% số câu" in detail
    filtered = client.get("/courses/?topic=binh-dang-gioi").get_data(as_text=True)
    assert starter["binh-dang-gioi-trong-giam-ngheo"].title in filtered
    assert course.title not in filtered


def test_drafts_are_for_editors_only(client, login, make_course, make_user, users):
    draft = make_course("nhap", status="draft")
    login("learner")
    assert client.get(f"/courses/{draft.slug}").status_code == 404
    assert draft.title not in client.get("/courses/").get_data(as_text=True)
    assert client.get(f"/courses/{draft.slug}/lessons/1").status_code == 404
    client.post("/auth/logout")
    other = make_user("gv2", roles=("trainer",))
    login(other)
    assert client.get(f"/courses/{draft.slug}").status_code == 404
    client.post("/auth/logout")
    login("trainer")
    page = client.get("/courses/").get_data(as_text=True)
    assert "Bản nháp và khóa học lưu trữ" in page and draft.title in page
    assert client.get(f"/courses/{draft.slug}/lessons/1").status_code == 200


def test_learner_path_to_completion(client, login, db, make_course, users):
    course = make_course(pass_mark=50)
    login("learner")
    assert client.get(f"/courses/{course.slug}/lessons/1").status_code == 303  # enrol first
    response = _enrol(client, course)
    assert response.status_code == 303 and response.location.endswith("/lessons/1")
    page = client.get(response.location).get_data(as_text=True)
    assert "Đánh dấu đã học xong" in page and "Bài 1/2" in page
    done = client.post(f"/courses/{course.slug}/lessons/1/done")
    assert done.location.endswith("/lessons/2")
    # a double click is not counted twice
    client.post(f"/courses/{course.slug}/lessons/1/done")
    enrollment = progress.enrollment_of(users["learner"], course)
    assert db.session.scalar(select(func.count(LessonProgress.id))) == 1
    last = client.post(f"/courses/{course.slug}/lessons/2/done")
    assert last.location.endswith(f"/courses/{course.slug}/quiz")
    db.session.expire_all()
    assert enrollment.completed_at is None  # the quiz is still to pass
    attempt = quiz.start_or_resume(enrollment, course)
    q1, q2 = course.quiz.questions
    quiz.submit(enrollment, course, attempt.token, {q1.id: [q1.choices[0].id],
                                                    q2.id: [q2.choices[0].id]})
    db.session.commit()
    assert enrollment.completed_at is not None
    detail = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Đã hoàn thành" in detail


def test_course_without_quiz_completes_with_the_lessons(client, login, db, make_course, users):
    course = make_course("khong-kiem-tra", quiz=False, lessons=("Một",))
    login("learner")
    _enrol(client, course)
    response = client.post(f"/courses/{course.slug}/lessons/1/done")
    assert response.location.endswith(f"/courses/{course.slug}")
    enrollment = progress.enrollment_of(users["learner"], course)
    assert enrollment.completed_at is not None


def test_resume_where_left_off(client, login, db, make_course, users):
    course = make_course(lessons=("Một", "Hai", "Ba"))
    login("learner")
    _enrol(client, course)
    client.post(f"/courses/{course.slug}/lessons/1/done")
    client.get(f"/courses/{course.slug}/lessons/3")  # jumped ahead, did not finish
    response = client.get(f"/courses/{course.slug}/resume")
    assert response.location.endswith("/lessons/3")
    client.post(f"/courses/{course.slug}/lessons/3/done")
    assert client.get(f"/courses/{course.slug}/resume").location.endswith("/lessons/2")
    client.post(f"/courses/{course.slug}/lessons/2/done")
    assert client.get(f"/courses/{course.slug}/resume").location.endswith("/quiz")


def test_new_version_keeps_progress(client, login, db, make_course, users):
    course = make_course(lessons=("Một", "Hai"))
    enrollment, _ = progress.enroll(users["learner"], course)
    for lesson in course.lessons:
        progress.mark_done(enrollment, lesson)
    db.session.commit()
    assert course.version == 1
    login("trainer")
    first = course.lessons[0]
    client.post(f"/courses/{course.slug}/edit/lessons/{first.id}",
                data={"title": "Một (sửa)", "body": "Nội dung mới.", "action": "save"})
    client.post(f"/courses/{course.slug}/edit/lessons/new",
                data={"title": "Ba", "body": "Bài mới.", "action": "save"})
    response = client.post(f"/courses/{course.slug}/edit/status", data={"action": "publish"})
    assert response.status_code == 303
    db.session.expire_all()
    assert course.version == 2
    state = progress.progress_of(course, enrollment)
    assert (state.done, state.total) == (2, 3)
    assert progress.done_ids(enrollment) == {x.id for x in course.lessons[:2]}
    # publishing again without changes does not bump the version
    client.post(f"/courses/{course.slug}/edit/status", data={"action": "publish"})
    db.session.expire_all()
    assert course.version == 2


def test_completion_is_kept_when_a_lesson_is_added(db, make_course, users):
    course = make_course(quiz=False, lessons=("Một",))
    enrollment, _ = progress.enroll(users["learner"], course)
    progress.mark_done(enrollment, course.lessons[0])
    assert progress.update_completion(enrollment, course)
    service.add_lesson(None, course, "Hai", "Thêm.")
    db.session.commit()
    assert enrollment.completed_at is not None
    assert progress.progress_of(course, enrollment).done == 1


def test_archived_course(client, login, make_course, users, db):
    course = make_course("luu-tru", status="published")
    enrollment, _ = progress.enroll(users["learner"], course)
    db.session.commit()
    service.set_status(None, course, "archived")
    db.session.commit()
    login("learner")
    assert course.title not in client.get("/courses/").get_data(as_text=True)
    assert client.get(f"/courses/{course.slug}/lessons/1").status_code == 200  # still readable
    client.post("/auth/logout")
    other = users["coordinator"]
    login(other)
    assert client.get(f"/courses/{course.slug}").status_code == 200


def test_enrol_refused_unless_published(client, login, make_course, db, users):
    archived = make_course("cu", status="archived")
    login("learner")
    assert _enrol(client, archived).status_code == 404  # hidden from those not enrolled
    # a learner who can see the course (e.g. enrolled earlier, then left) cannot re-enrol
    assert db.session.scalar(select(func.count(CourseEnrollment.id))) == 0
    client.post("/auth/logout")
    both = users["coordinator"]
    both.set_roles(("coordinator", "learner"))
    db.session.commit()
    login(both)
    response = _enrol(client, archived)
    assert response.status_code == 409
    assert "không còn nhận học viên mới" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CourseEnrollment.id))) == 0


def test_lesson_out_of_range(client, login, make_course):
    course = make_course()
    login("trainer")
    assert client.get(f"/courses/{course.slug}/lessons/0").status_code == 404
    assert client.get(f"/courses/{course.slug}/lessons/3").status_code == 404


def test_my_courses_include(app, db, make_course, users):
    course = make_course()
    enrollment, _ = progress.enroll(users["learner"], course)
    progress.mark_done(enrollment, course.lessons[0])
    db.session.commit()
    def card(user):
        with app.test_request_context("/"):
            login_user(user)
            return render_template_string('{% include "courses/_my_courses.html" %}',
                                          my_courses=progress.my_courses(user),
                                          teaching_courses=progress.teaching(user))

    html = card(users["learner"])
    assert "Khóa học của tôi" in html and course.title in html and "1/2 bài" in html
    html = card(users["trainer"])
    assert "Khóa học tôi phụ trách" in html and "Khóa học của tôi" not in html


def test_trainers_courses_card_in_one_statement_without_course_objects(
        client, login, db, make_course, users, count_queries, count_rows):
    """The trainer's home card lists their courses by code with the lessons not archived
    counted, each linking to its workspace: one statement, plain values (no Course loaded)."""
    from app.timeutil import utcnow

    three = make_course("ba-bai", lessons=("Một", "Hai", "Ba"))
    three.lessons[2].archived_at = utcnow()
    make_course("an-nhap", lessons=("Một",), status="draft")
    make_course("cua-nguoi-khac", trainers=[users["coordinator"]])
    db.session.commit()
    trainer = users["trainer"]
    assert trainer.has_role("trainer")  # the account and its roles read
    with count_queries() as n, count_rows() as rows:
        taught = progress.teaching(trainer)
    assert n() == 1 and not rows()
    assert [(c.slug, c.lessons, c.status_label) for c in taught] == [
        ("an-nhap", 1, "Bản nháp"), ("ba-bai", 2, "Đã công bố")]
    login("trainer")
    card = client.get("/").get_data(as_text=True).split('id="teaching-title"')[1]
    card = card.split("</section>")[0]
    assert card.index("Khóa an-nhap") < card.index("Khóa ba-bai")
    assert 'href="/courses/ba-bai/edit"' in card
    assert "Đã công bố · 2 bài" in card and "Bản nháp · 1 bài" in card
    assert "cua-nguoi-khac" not in card


def test_catalogue_query_count_does_not_grow(client, login, db, make_course, users,
                                             count_queries):
    def enrolled_course(slug):
        trainer = db.session.scalar(select(User).where(User.username == "trainer"))
        learner = db.session.scalar(select(User).where(User.username == "learner"))
        course = make_course(slug, trainers=[trainer])
        enrollment, _ = progress.enroll(learner, course)
        progress.mark_done(enrollment, course.lessons[0])
        db.session.commit()

    enrolled_course("mot")
    login("learner")
    client.get("/courses/")
    db.session.remove()
    with count_queries() as few:
        assert client.get("/courses/").status_code == 200
    for slug in ("hai", "ba", "bon", "nam"):
        enrolled_course(slug)
    db.session.remove()
    with count_queries() as many:
        page = client.get("/courses/")
    assert page.status_code == 200
    assert many() == few()


def test_course_and_lesson_pages_query_count_does_not_grow(client, login, db, make_course,
                                                           users, count_queries):
    small = make_course("nho", lessons=("Một", "Hai"))
    big = make_course("lon", lessons=tuple(f"Bài {i}" for i in range(12)))
    for course in (small, big):
        enrollment, _ = progress.enroll(users["learner"], course)
        for lesson in course.lessons:
            progress.mark_done(enrollment, lesson)
    db.session.commit()
    login("learner")
    counts = {}
    for slug in ("nho", "lon"):
        client.get(f"/courses/{slug}")
        client.get(f"/courses/{slug}/lessons/1")
        db.session.remove()
        with count_queries() as n:
            client.get(f"/courses/{slug}")
        db.session.remove()
        with count_queries() as m:
            client.get(f"/courses/{slug}/lessons/1")
        counts[slug] = (n(), m())
    assert counts["nho"] == counts["lon"]


# --- completion when the course changes under the learner ----------------------------------


def _pass_quiz(enrollment, course):
    attempt = quiz.start_or_resume(enrollment, course)
    answers = {q.id: [c.id for c in q.choices if c.correct] for q in course.quiz.questions}
    quiz.submit(enrollment, course, attempt.token, answers)


def test_deleting_the_last_unfinished_lesson_completes(client, login, db, make_course, users):
    course = make_course(lessons=("Một", "Hai", "Ba", "Bốn"))
    enrollment, _ = progress.enroll(users["learner"], course)
    for lesson in course.lessons[:3]:
        progress.mark_done(enrollment, lesson)
    _pass_quiz(enrollment, course)
    db.session.commit()
    assert enrollment.completed_at is None  # lesson 4 is still to do
    login("trainer")
    fourth = course.lessons[3]
    response = client.post(f"/courses/{course.slug}/edit/lessons/{fourth.id}/delete",
                           data={"confirm": "yes"})
    assert response.status_code == 303
    db.session.expire_all()
    assert enrollment.completed_at is not None


def test_removing_the_quiz_completes(client, login, db, make_course, users):
    course = make_course(lessons=("Một",))
    enrollment, _ = progress.enroll(users["learner"], course)
    progress.mark_done(enrollment, course.lessons[0])
    db.session.commit()
    login("trainer")
    assert client.post(f"/courses/{course.slug}/edit/quiz/delete",
                       data={"confirm": "yes"}).status_code == 303
    db.session.expire_all()
    assert enrollment.completed_at is not None


def test_removing_the_last_question_completes(client, login, db, make_course, users):
    from app.courses.service import ChoiceData, QuestionData

    course = make_course(lessons=("Một",), questions=[QuestionData("Một câu?", [
        ChoiceData("A", True), ChoiceData("B")])])
    enrollment, _ = progress.enroll(users["learner"], course)
    progress.mark_done(enrollment, course.lessons[0])
    db.session.commit()
    login("trainer")
    question = course.quiz.questions[0]
    client.post(f"/courses/{course.slug}/edit/quiz/questions/{question.id}/delete",
                data={"confirm": "yes"})
    db.session.expire_all()
    assert enrollment.completed_at is not None


def test_course_page_resume_and_lesson_complete_a_due_learner(client, login, db, make_course,
                                                                users):
    """Any change the workspace does not know about (e.g. a lesson removed from the database
    by another path) is caught up when the learner opens the course."""
    for path in ("", "/resume", "/lessons/1"):
        slug = f"khoa{len(path)}"
        course = make_course(slug, lessons=("Một", "Hai"), quiz=False)
        enrollment, _ = progress.enroll(users["learner"], course)
        progress.mark_done(enrollment, course.lessons[0])
        db.session.commit()
        service.remove_lesson(None, course, course.lessons[1])  # no refresh here
        db.session.commit()
        assert enrollment.completed_at is None
        login("learner")
        assert client.get(f"/courses/{slug}{path}").status_code in (200, 302)
        db.session.expire_all()
        assert enrollment.completed_at is not None, path
        client.post("/auth/logout")


def test_refresh_completions_is_a_fixed_number_of_queries(db, make_course, make_user,
                                                          count_queries):
    counts = {}
    for size in (2, 12):
        course = make_course(f"khoa-{size}", lessons=("Một", "Hai"))
        for i in range(size):
            enrollment, _ = progress.enroll(make_user(f"hv{size}-{i}"), course)
            progress.mark_done(enrollment, course.lessons[0])
            _pass_quiz(enrollment, course)
        db.session.commit()
        service.remove_lesson(None, course, course.lessons[1])
        db.session.commit()
        course = service.by_slug(f"khoa-{size}")
        db.session.expire_all()
        with count_queries() as n:
            assert progress.refresh_completions(course) == size
        counts[size] = n()
    assert counts[2] == counts[12]
    assert db.session.scalar(select(func.count(CourseEnrollment.id)).where(
        CourseEnrollment.completed_at.is_not(None))) == 14


def test_description_is_sanitised_again_after_a_renderer_upgrade(client, login, db,
                                                                  make_course):
    course = make_course()
    course.description_md = "Xem ![sơ đồ](/courses/khac/quiz) và **đậm**."
    course.description_html = '<p><img src="/courses/khac/quiz"> và <strong>đậm</strong>.</p>'
    course.description_hash = "cache-of-an-older-renderer"
    db.session.commit()
    login("learner")
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "/courses/khac/quiz" not in page and "<strong>đậm</strong>" in page
    db.session.expire_all()
    assert course.description_hash == content.source_hash(course.description_md,
                                                          service.files_base(course))


def test_home_page_query_count_does_not_grow_with_courses(client, login, db, make_course,
                                                          users, count_queries):
    """The learner's "Khóa học của tôi" and the trainer's "Khóa học tôi phụ trách" cards."""
    def enrolled_course(slug):
        course = make_course(slug)
        enrollment, _ = progress.enroll(users["learner"], course)
        progress.mark_done(enrollment, course.lessons[0])
        db.session.commit()

    enrolled_course("mot")
    counts = {}
    for size, slugs in ((1, ()), (6, ("hai", "ba", "bon", "nam", "sau"))):
        for slug in slugs:
            enrolled_course(slug)
        for who in ("learner", "trainer"):
            login(who)
            client.get("/")
            db.session.remove()
            with count_queries() as n:
                page = client.get("/").get_data(as_text=True)
            counts[(who, size)] = n()
            assert "Khóa mot" in page and ("Khóa sau" in page) == (size == 6)
            client.post("/auth/logout")
    assert counts[("learner", 1)] == counts[("learner", 6)]
    assert counts[("trainer", 1)] == counts[("trainer", 6)]


def test_learners_page_query_count_does_not_grow(client, login, db, make_course, make_user,
                                                 count_queries):
    course = make_course("dong-hoc-vien")
    counts = {}
    for size in (1, 8):
        while db.session.scalar(select(func.count(CourseEnrollment.id))) < size:
            n = db.session.scalar(select(func.count(CourseEnrollment.id)))
            enrollment, _ = progress.enroll(make_user(f"hv-{n}"), course)
            progress.mark_done(enrollment, course.lessons[0])
            _pass_quiz(enrollment, course)
        db.session.commit()
        login("trainer")
        url = f"/courses/{course.slug}/edit/learners"
        client.get(url)
        db.session.remove()
        with count_queries() as q:
            page = client.get(url)
        assert page.status_code == 200
        counts[size] = q()
        client.post("/auth/logout")
    assert counts[1] == counts[8]


def test_mark_done_marks_the_lesson_that_was_read(client, login, db, make_course, users):
    """The trainer reorders or hides lessons while a learner reads: "mark as done" marks the
    lesson on the learner's screen, never the one now at that number."""
    course = make_course(lessons=("Một", "Hai", "Ba"))
    login("learner")
    _enrol(client, course)
    page = client.get(f"/courses/{course.slug}/lessons/2").get_data(as_text=True)
    two = course.active_lessons[1]
    assert f'name="lesson" value="{two.id}"' in page
    service.move_lesson(course, two, "up")  # "Hai" is now lesson 1
    db.session.commit()
    response = client.post(f"/courses/{course.slug}/lessons/2/done", data={"lesson": two.id})
    assert response.status_code == 303 and response.location.endswith("/lessons/2")
    enrollment = progress.enrollment_of(users["learner"], course)
    assert progress.done_ids(enrollment) == {two.id}

    three = course.active_lessons[2]
    client.get(f"/courses/{course.slug}/lessons/3")
    service.remove_lesson(None, course, three)  # nobody did it: deleted
    db.session.commit()
    refused = client.post(f"/courses/{course.slug}/lessons/2/done", data={"lesson": three.id})
    assert refused.status_code == 409
    assert "chưa được đánh dấu" in refused.get_data(as_text=True)
    assert progress.done_ids(enrollment) == {two.id}  # lesson 2 ("Một") not marked instead


def test_the_catalogue_is_paged_in_sql_published_first(app, client, login, db, make_course,
                                                       monkeypatch):
    """Published courses first, by code, then (for those who edit courses) the drafts and the
    archived ones; PAGE_SIZE a page, the topic chosen in the statement, the total counted."""
    for i in range(3):
        make_course(f"cong-bo-{i}", lessons=("Một",), quiz=False)
    make_course("nhap-a", lessons=("Một",), quiz=False, status="draft")
    make_course("luu-tru", lessons=("Một",), quiz=False, status="archived")
    other = make_course("viec-lam-1", lessons=("Một",), quiz=False)
    other.topics = ["viec-lam"]
    db.session.commit()
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    login("coordinator")

    def titles(path):
        response = client.get(path)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        return re.findall(r">(Khóa [a-z0-9-]+)</a>", page), page

    first, page = titles("/courses/")
    assert first == ["Khóa cong-bo-0", "Khóa cong-bo-1"] and "Trang 1 / 3" in page
    second, _ = titles("/courses/?page=2")
    assert second == ["Khóa cong-bo-2", "Khóa viec-lam-1"]
    third, page = titles("/courses/?page=3")
    assert third == ["Khóa luu-tru", "Khóa nhap-a"]
    assert "Bản nháp và khóa học lưu trữ" in page
    only, page = titles("/courses/?topic=viec-lam")
    assert only == ["Khóa viec-lam-1"] and "Trang 1 /" not in page
    assert titles("/courses/?page=abc")[0] == first
    # a learner sees the published ones only
    client.post("/auth/logout")
    login("learner")
    assert titles("/courses/?page=2")[0] == ["Khóa cong-bo-2", "Khóa viec-lam-1"]
    assert titles("/courses/?page=3")[0] == []


def test_the_catalogue_loads_a_page_whatever_the_number_of_courses(
        app, client, login, db, make_course, count_queries, count_rows, monkeypatch):
    """A guard (counts, not times): the same statements and the same rows loaded with 6
    courses as with 36."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)

    def add(first, n):
        for i in range(first, first + n):
            make_course(f"khoa-{i:02d}", lessons=("Một",), quiz=False,
                        status="draft" if i % 5 == 4 else "published")

    def measure():
        out = {}
        for role in ("coordinator", "learner"):
            client.post("/auth/logout")
            login(role)
            db.session.remove()
            with count_queries() as queries, count_rows() as rows:
                assert client.get("/courses/").status_code == 200
            out[role] = (queries(), rows())
        return out

    add(0, 6)
    once = measure()
    add(6, 30)
    assert measure() == once


def test_with_nothing_published_the_first_page_says_so_above_the_drafts(client, login,
                                                                        make_course):
    make_course("chi-nhap", lessons=("Một",), quiz=False, status="draft")
    login("coordinator")
    page = client.get("/courses/").get_data(as_text=True)
    assert "Chưa có khóa học nào được công bố." in page
    assert page.index("Chưa có khóa học nào được công bố.") \
        < page.index("Bản nháp và khóa học lưu trữ") < page.index("Khóa chi-nhap")
