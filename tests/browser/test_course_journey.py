"""A trainer writes and publishes two lessons with a quiz; a learner, on a phone with JavaScript
off, enrols, goes to the next and previous lesson, resumes from "My courses" on the home page,
reads them, passes the quiz and sees the course completed there."""

from playwright.sync_api import expect

from app.demo.people import ensure_accounts
from app.extensions import db
from tests.browser.screen import nav_link, sign_out

PASSWORD = "demo12345"


def _seed(app):
    with app.app_context():
        ensure_accounts()
        db.session.commit()


def _login(page, username):
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()  # signed in


def test_trainer_publishes_and_learner_completes(live_app, page, browser):
    _seed(live_app)

    # --- the trainer writes the course ---
    _login(page, "trainer")
    nav_link(page, "Khóa học").click()
    page.get_by_role("link", name="Tạo khóa học").click()
    page.get_by_label("Tên khóa học").fill("Kỹ năng họp dân ở thôn")
    page.get_by_label("Mã khóa học").fill("GNBV-10")
    page.get_by_label("Thực hiện Chương trình MTQG giảm nghèo bền vững").check()
    page.get_by_label("Tóm tắt").fill("Tổ chức họp dân bình xét hộ nghèo đúng quy trình.")
    page.get_by_role("button", name="Lưu").click()
    assert "Đã tạo khóa học" in page.get_by_role("status").first.inner_text()

    page.get_by_role("link", name="Thêm bài").click()
    page.get_by_label("Tên bài").fill("Chuẩn bị cuộc họp")
    page.get_by_label("Nội dung (Markdown)").fill(
        "## Trước cuộc họp\n\n- Mời **đủ đại diện các hộ**.\n- Chuẩn bị danh sách.\n\n"
        "| Việc | Ai làm |\n|---|---|\n| Mời họp | Trưởng thôn |\n")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.get_by_role("region", name="Xem trước (chưa lưu)")
    assert "đủ đại diện các hộ" in preview.inner_text()
    expect(preview.locator("table")).to_have_count(1)
    page.get_by_role("button", name="Lưu bài").click()
    assert "Đã thêm bài" in page.get_by_role("status").first.inner_text()

    # a draft lesson, deleted again: deleting asks first (a page, not a one-tap button)
    page.get_by_role("link", name="Thêm bài").click()
    page.get_by_label("Tên bài").fill("Bài nháp")
    page.get_by_label("Nội dung (Markdown)").fill("Sẽ xóa.")
    page.get_by_role("button", name="Lưu bài").click()
    page.get_by_role("link", name="Xóa bài 2").click()
    expect(page.get_by_role("heading", name="Xóa bài “Bài nháp”?")).to_be_visible()
    page.get_by_role("button", name="Xóa bài").click()
    assert "Đã xóa bài “Bài nháp”" in page.get_by_role("status").first.inner_text()

    page.get_by_role("link", name="Thêm bài").click()
    page.get_by_label("Tên bài").fill("Sau cuộc họp")
    page.get_by_label("Nội dung (Markdown)").fill("Lập **biên bản** và niêm yết kết quả.")
    page.get_by_role("button", name="Lưu bài").click()
    assert "Đã thêm bài" in page.get_by_role("status").first.inner_text()

    page.get_by_role("link", name="Tạo bài kiểm tra").click()
    page.get_by_label("Điểm đạt (% số câu đúng)").fill("100")
    page.get_by_label("Số lần làm bài tối đa").fill("3")
    page.get_by_role("button", name="Tạo bài kiểm tra").click()
    page.get_by_role("link", name="Thêm câu hỏi").click()
    page.get_by_label("Câu hỏi").fill("Ai chủ trì cuộc họp dân ở thôn?")
    page.get_by_label("Lựa chọn 1").fill("Trưởng thôn")
    page.locator("#choices-0-correct").check()
    page.get_by_label("Lựa chọn 2").fill("Một hộ bất kỳ")
    page.get_by_label("Giải thích (hiện sau khi trả lời)").fill(
        "Trưởng thôn chủ trì, có đại diện các đoàn thể tham dự.")
    page.get_by_role("button", name="Lưu câu hỏi").click()
    assert "Đã lưu câu hỏi" in page.get_by_role("status").first.inner_text()

    page.get_by_role("link", name="GNBV-10").click()
    page.get_by_role("button", name="Công bố", exact=True).click()
    assert "Đã công bố khóa học" in page.get_by_role("status").first.inner_text()
    sign_out(page)

    # --- the learner, on a phone with JavaScript off ---
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    requests = []
    phone.on("request", lambda r: requests.append(r.url))
    try:
        _login(phone, "learner")
        nav_link(phone, "Khóa học").click()
        phone.get_by_role("link", name="Kỹ năng họp dân ở thôn").click()
        phone.get_by_role("button", name="Ghi danh học khóa này").click()
        expect(phone.get_by_role("heading", name="Chuẩn bị cuộc họp")).to_be_visible()
        assert "đủ đại diện các hộ" in phone.locator(".lesson-body").inner_text()

        # next and previous are plain links
        phone.get_by_role("link", name="Bài sau").click()
        expect(phone.get_by_role("heading", name="Sau cuộc họp")).to_be_visible()
        phone.get_by_role("link", name="Bài trước").click()
        expect(phone.get_by_role("heading", name="Chuẩn bị cuộc họp")).to_be_visible()
        phone.get_by_role("button", name="Đánh dấu đã học xong").click()
        expect(phone.get_by_role("heading", name="Sau cuộc họp")).to_be_visible()

        # home page: "My courses" shows the progress and resumes at the open lesson
        nav_link(phone, "Trang chủ").click()
        mine = phone.get_by_role("region", name="Khóa học của tôi")
        assert "Kỹ năng họp dân ở thôn" in mine.inner_text() and "1/2 bài" in mine.inner_text()
        mine.get_by_role("link", name="Học tiếp").click()
        expect(phone.get_by_role("heading", name="Sau cuộc họp")).to_be_visible()
        phone.get_by_role("button", name="Đánh dấu đã học xong").click()

        # every lesson is done: on to the quiz, started with a button (a form, no script)
        expect(phone.get_by_role("heading", name="Bài kiểm tra cuối khóa")).to_be_visible()
        phone.get_by_role("button", name="Bắt đầu làm bài").click()
        phone.get_by_label("Trưởng thôn").check()
        phone.get_by_role("button", name="Nộp bài").click()
        result = phone.get_by_role("region", name="Điểm")
        assert "Đạt" in result.inner_text() and "đúng 1/1 câu (100%)" in result.inner_text()
        assert "Đã hoàn thành khóa học" in result.inner_text()
        expect(phone.get_by_text("có đại diện các đoàn thể tham dự")).to_be_visible()

        phone.get_by_role("link", name="Về trang khóa học").click()
        assert "Đã hoàn thành" in phone.get_by_role("region", name="Tiến độ của bạn").inner_text()
        nav_link(phone, "Trang chủ").click()
        mine = phone.get_by_role("region", name="Khóa học của tôi")
        assert "Đã hoàn thành" in mine.inner_text() and "Học tiếp" not in mine.inner_text()
    finally:
        context.close()
    base = live_app.config["LIVE_URL"]
    assert [u for u in requests if not u.startswith(base)] == []  # nothing off the origin
