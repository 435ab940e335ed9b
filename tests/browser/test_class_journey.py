"""A coordinator nominates, previews and confirms; a learner withdraws; the next person on the
waitlist is promoted (mobile viewport, JavaScript on, no script of ours needed)."""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.models import Cadre, Position
from app.people.reference import ensure_positions, ensure_son_ha_units
from tests.browser.screen import fits_the_screen, nav_link, sign_out

PEOPLE = [("Đinh Thị Lanh", "F", "truong-thon"), ("Đinh Thị Hai", "F", "bi-thu-chi-bo"),
          ("Phạm Văn Ba", "M", "truong-thon"), ("Hồ Văn Bốn", "M", "cong-chuc-khac")]


def _seed(app):
    from app.classes import service
    from app.timeutil import local_today

    with app.app_context():
        ensure_positions()
        communes = ensure_son_ha_units()
        users = ensure_accounts()
        son_ky = communes["new:son-ky"]
        for i, (name, gender, position) in enumerate(PEOPLE):
            cadre = Cadre(gender=gender, birth_year=1980 + i, commune_id=son_ky.id,
                          ethnicity_code="18", position_id=db.session.scalar(
                              select(Position.id).where(Position.code == position)))
            cadre.set_name(name)
            cadre.refresh_identity()
            if i == 0:
                cadre.user_id = users["learner"].id
            db.session.add(cadre)
        start = local_today() + timedelta(days=15)
        klass = service.create_class(users["coordinator"], service.ClassData(
            code="TH-JOURNEY", title="Lớp hành trình thử", place="Nhà văn hóa xã Sơn Kỳ",
            start_date=start, end_date=start + timedelta(days=1), capacity=2,
            trainer_ids=[users["trainer"].id], unit_ids=[son_ky.id]))
        klass.status = "open"
        db.session.commit()


def _login(page, username):
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()  # signed in


def _logout(page):
    sign_out(page)


def _fits(page, width=360):
    """At a small phone's width the page does not scroll sideways (wide tables scroll inside
    their own .table-responsive box)."""
    page.set_viewport_size({"width": width, "height": 800})
    fits_the_screen(page, width)
    page.set_viewport_size({"width": 390, "height": 844})


def test_nominate_confirm_withdraw_promote(live_app, page):
    _seed(live_app)
    _login(page, "coordinator")
    nav_link(page, "Lớp tập huấn").click()
    page.get_by_role("link", name="TH-JOURNEY").click()
    page.get_by_role("link", name="Đăng ký và xét chọn").click()
    page.get_by_role("link", name="Đề cử cán bộ").click()
    # two ticked on the list, the others found by name (Enter in the search box filters);
    # the ticks are kept across the searches and one click nominates all four
    names = [name for name, _gender, _position in PEOPLE]
    for name in names[:2]:
        page.locator("table.cadre-pick tr", has_text=name).locator("input[type=checkbox]").check()
    for name in names[2:]:
        page.get_by_label("Tìm theo tên hoặc số điện thoại").fill(name)
        page.get_by_label("Tìm theo tên hoặc số điện thoại").press("Enter")
        page.locator("table.cadre-pick tr", has_text=name).locator("input[type=checkbox]").check()
    kept = page.locator("details.picked-elsewhere")
    assert "Đã chọn ở bộ lọc hoặc trang khác: 3 người" in kept.inner_text()
    _fits(page)
    page.get_by_role("button", name="Đề cử những người đã chọn").click()
    assert "Đã đề cử 4 cán bộ." in page.get_by_role("status").first.inner_text()
    page.get_by_role("link", name="Xong: xem đăng ký và xét chọn").click()

    preview = page.locator("section.preview")
    assert "Xem trước kết quả xét chọn" in preview.inner_text()
    admitted = page.locator("ol.preview-admitted").inner_text()
    assert "Đinh Thị Lanh" in admitted and "Đinh Thị Hai" in admitted
    waitlist = page.locator("ol.preview-waitlist").inner_text()
    assert waitlist.index("Phạm Văn Ba") < waitlist.index("Hồ Văn Bốn")
    assert "3 điểm" in page.locator("ol.preview-admitted").inner_text()  # leader 2, not trained 1
    _fits(page)
    page.get_by_role("button", name="Xác nhận kết quả xét chọn").click()
    assert "Đã xác nhận xét chọn" in page.get_by_role("status").first.inner_text()
    assert "Đã xét chọn" in page.locator(".class-status").inner_text()
    _fits(page)
    _logout(page)

    _login(page, "learner")
    nav_link(page, "Lớp tập huấn").click()
    mine = page.locator("ul.my-classes").inner_text()
    assert "Lớp hành trình thử" in mine and "Được triệu tập" in mine
    page.get_by_role("link", name="Lớp hành trình thử").click()
    _fits(page)
    page.get_by_label("Lý do rút tên (không bắt buộc)").fill("Bận thu hoạch mùa")
    page.get_by_role("button", name="Rút tên khỏi lớp").click()
    # asked first: the seat goes to the next person waiting (nothing changed yet)
    warning = page.locator(".seat-goes").inner_text()
    assert "người đầu tiên trong danh sách chờ" in warning and "2 người chờ" in warning
    expect(page.get_by_label("Lý do rút tên (không bắt buộc)")).to_have_value("Bận thu hoạch mùa")
    _fits(page)
    page.get_by_role("button", name="Rút tên, nhường chỗ").click()
    assert "Đã rút tên" in page.get_by_role("status").first.inner_text()
    assert "Bạn đã rút tên khỏi lớp này." in page.locator("section.my-status").inner_text()
    _logout(page)

    _login(page, "coordinator")
    page.goto("/classes/")
    page.get_by_role("link", name="TH-JOURNEY").click()
    history = page.locator("ul.history").inner_text()
    assert "Phạm Văn Ba được gọi bổ sung từ danh sách chờ (thứ 1)" in history
    assert "Đinh Thị Lanh rút tên" in history
    assert "Phạm Văn Ba" in page.locator("ol.admitted-list").inner_text()
    page.get_by_role("link", name="Đăng ký và xét chọn").click()
    assert "Hồ Văn Bốn" in page.locator("ul.waitlist").inner_text()
    expect(page.locator(".admitted-count")).to_have_text("2")


def test_coordinator_creates_a_class_typing_vietnamese_dates(live_app, page):
    """The class form on a phone: dates typed dd/mm/yyyy (a browser in English would show
    mm/dd/yyyy in a date picker), a mistake shown at its field with what was typed kept."""
    _seed(live_app)
    _login(page, "coordinator")
    page.goto("/classes/new")
    page.get_by_label("Mã lớp").fill("TH-MOI-01")
    page.get_by_label("Tên lớp").fill("Lớp rà soát hộ nghèo thôn bản")
    page.get_by_label("Địa điểm", exact=True).fill("Nhà văn hóa thôn Gò Ghềnh")
    page.get_by_label("Ngày bắt đầu").fill("05/03/2027")
    page.get_by_label("Ngày kết thúc").fill("04/03/2027")
    page.get_by_label("Số chỗ", exact=True).fill("25")
    page.get_by_role("button", name="Tạo lớp").click()
    assert "Ngày kết thúc phải trùng hoặc sau ngày bắt đầu." in page.locator(
        "#end_date-error").inner_text()
    assert page.get_by_label("Ngày bắt đầu").input_value() == "05/03/2027"
    _fits(page)
    page.get_by_label("Ngày kết thúc").fill("06/03/2027")
    page.get_by_role("button", name="Tạo lớp").click()
    assert "Đã tạo lớp TH-MOI-01." in page.get_by_role("status").first.inner_text()
    facts = page.locator("dl.class-facts").inner_text()
    assert "05/03/2027" in facts and "06/03/2027" in facts
    expect(page.locator("ul.sessions li")).to_have_count(4)  # morning and afternoon, two days
    _fits(page)
