"""A coordinator on a phone (360 px) records a class's costs: the class page's "Kinh phí",
an amount typed wrong is refused at its field with what was typed kept, then saved and shown
the Vietnamese way; the page fits the phone. At a desk, the dashboard shows the budget against
the spending, and the class's results report downloads as a PDF."""

import os
from datetime import timedelta

from playwright.sync_api import expect

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.reference import ensure_positions, ensure_son_ha_units
from app.programs.reference import ensure_reference
from tests.browser.screen import fits_the_screen

SHOTS = os.environ.get("COSTS_SCREENSHOTS")  # a folder: keep screenshots to look at


def _seed(app):
    from app.classes import service
    from app.timeutil import local_today

    with app.app_context():
        ensure_positions()
        ensure_reference()
        communes = ensure_son_ha_units()
        users = ensure_accounts()
        start = local_today() - timedelta(days=3)
        klass = service.create_class(users["coordinator"], service.ClassData(
            code="TH-KP", title="Lớp kinh phí thử", place="Nhà văn hóa xã Sơn Kỳ",
            start_date=start, end_date=start + timedelta(days=1), capacity=10,
            trainer_ids=[users["trainer"].id], unit_ids=[communes["new:son-ky"].id]))
        klass.status = "finished"
        db.session.commit()
        return klass.id


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _sign_in(page):
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill("coordinator")
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()


def test_a_coordinator_records_the_costs(page, live_app, browser):
    class_id = _seed(live_app)
    _sign_in(page)
    page.goto(f"/classes/{class_id}")
    page.get_by_role("link", name="Kinh phí", exact=True).click()
    expect(page.get_by_role("heading", name="Kinh phí lớp TH-KP")).to_be_visible()
    materials = page.locator('fieldset[data-line="materials"]')
    materials.get_by_label("Dự toán").fill("1.200.000")
    materials.get_by_label("Thực hiện").fill("-5")
    page.locator('fieldset[data-line="trainer"]').get_by_label("Thù lao một buổi").fill("500000")
    page.get_by_role("button", name="Lưu kinh phí").click()
    expect(page.locator("#spent_materials-error")).to_have_text(
        "Số tiền phải từ 0 đến 100.000.000.000 đồng.")
    expect(materials.get_by_label("Thực hiện")).to_have_value("-5")
    fits_the_screen(page)
    _shot(page, "costs-error-360")
    materials.get_by_label("Thực hiện").fill("1 000 000 đ")
    page.get_by_role("button", name="Lưu kinh phí").click()
    expect(page.get_by_text("Đã lưu kinh phí của lớp")).to_be_visible()
    expect(materials.get_by_label("Thực hiện")).to_have_value("1.000.000")
    # 4 sessions × 500.000 for the trainer + 1.200.000 for materials
    expect(page.locator("tr.costs-total")).to_contain_text("3.200.000")
    fits_the_screen(page)
    _shot(page, "costs-360")

    desk = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                               viewport={"width": 1280, "height": 900})
    desktop = desk.new_page()
    _sign_in(desktop)
    desktop.goto("/reports/")
    section = desktop.locator("section.report-costs-section")
    expect(section).to_contain_text("Tổng dự toán 3.200.000 đồng")
    expect(section.locator("svg")).to_be_visible()
    _shot(desktop, "dashboard-costs-desktop")
    desktop.goto(f"/classes/{class_id}/costs")
    _shot(desktop, "costs-desktop")
    response = desktop.request.get(f"/classes/{class_id}/report.pdf")
    assert response.status == 409  # nobody admitted yet: nothing to report, said on the page
    desk.close()
