"""On a 360-px phone with the demo data: a learner takes a quiz whose choices are shuffled (the
order holds on reload), fails without seeing the key (the default review setting), passes and
then sees the review; a coordinator opens a cadre's training history. Each page fits the
screen. Screenshots go to $SCREENSHOT_DIR when it is set, to look at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo import load_all
from app.extensions import db
from tests.browser.screen import fits_the_screen, loaded, sign_in


@pytest.fixture()
def demo(live_app):
    with live_app.app_context():
        load_all()
        db.session.commit()
    return live_app


def shoot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def order_on(page):
    return page.eval_on_selector_all("form input.form-check-input", "els => els.map(e => e.id)")


def keys_of(app, slug):
    from app.courses import service

    with app.app_context():
        course = service.by_slug(slug)
        return {c.id for q in course.quiz.questions for c in q.choices if c.correct}, \
            {c.id for q in course.quiz.questions for c in q.choices if not c.correct}


def answer(page, choose):
    """Tick, for every question shown, a choice `choose(choice id)` accepts."""
    for fieldset in page.locator("form fieldset").all():
        boxes = fieldset.locator("input.form-check-input")
        for i in range(boxes.count()):
            if choose(int(boxes.nth(i).get_attribute("value"))):
                boxes.nth(i).check()
                if boxes.nth(i).get_attribute("type") == "radio":
                    break


def test_quiz_review_and_history_on_a_phone(browser, demo):
    from app.auth.models import User
    from app.courses import progress, service

    slug = "chuan-ngheo-da-chieu-va-ra-soat"
    with demo.app_context():
        learner = db.session.scalar(select(User).where(User.username == "learner"))
        course = service.by_slug(slug)
        enrollment, _ = progress.enroll(learner, course)
        for lesson in course.active_lessons:
            progress.mark_done(enrollment, lesson)
        service.set_quiz_settings(course, course.quiz.pass_mark, 2)
        db.session.commit()
        cadre_id = learner.cadre.id
    right, wrong = keys_of(demo, slug)
    context = browser.new_context(base_url=demo.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, "learner")
        page.goto(f"/courses/{slug}/quiz")
        page.get_by_role("button", name="Bắt đầu làm bài").click()
        loaded(page)
        first = order_on(page)
        page.reload()
        loaded(page)
        assert order_on(page) == first  # the same attempt shows the same order
        fits_the_screen(page)
        shoot(page, "quiz")

        answer(page, lambda cid: cid in wrong)
        page.get_by_role("button", name="Nộp bài").click()
        expect(page.get_by_role("heading", name="Kết quả bài kiểm tra")).to_be_visible()
        fits_the_screen(page)
        text = page.inner_text("main")
        assert "Chưa đạt" in text and "(đáp án đúng)" not in text  # the score only
        shoot(page, "review-score-only")

        page.get_by_role("link", name="Làm lại").click()
        page.get_by_role("button", name="Bắt đầu làm bài").click()
        loaded(page)
        answer(page, lambda cid: cid in right)
        page.get_by_role("button", name="Nộp bài").click()
        expect(page.get_by_role("heading", name="Đáp án và giải thích")).to_be_visible()
        fits_the_screen(page)
        shoot(page, "review-after-pass")
        context.clear_cookies()

        sign_in(page, "coordinator")
        page.goto(f"/cadres/{cadre_id}")
        expect(page.get_by_role("heading", name="Quá trình tập huấn")).to_be_visible()
        fits_the_screen(page)
        text = page.inner_text("main")
        assert "Đã dự" in text and "Hoàn thành" in text
        shoot(page, "cadre-history")
    finally:
        context.close()
