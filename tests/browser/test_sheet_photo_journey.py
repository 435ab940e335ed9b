"""A coordinator prints the sign-in sheet, the learners sign it, and the coordinator sends a
phone photo of the signed page (360 px; JavaScript shrinks the photo before it is sent, and
the page works without it too), looks at what was read, and confirms: the marks are on the
class's attendance sheet."""

import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.people import ensure_accounts
from app.extensions import db
from app.people.models import Cadre, Position
from app.people.reference import ensure_positions, ensure_son_ha_units
from tests.browser.screen import fits_the_screen, loaded, sign_in
from tests.sheetphotos.synth import signed_photo

GIVEN = ["An", "Bình", "Cúc", "Dũng", "Hoa", "Khánh"]
SHOTS = os.environ.get("ATTENDANCE_SCREENSHOTS")  # a folder: keep screenshots to look at


def _seed(app):
    from app.classes import service
    from app.classes.models import Application
    from app.timeutil import local_today

    with app.app_context():
        ensure_positions()
        communes = ensure_son_ha_units()
        users = ensure_accounts()
        son_ky = communes["new:son-ky"]
        position = db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))
        start = local_today() - timedelta(days=1)
        klass = service.create_class(users["coordinator"], service.ClassData(
            code="TH-ANH", title="Lớp đọc ảnh danh sách ký", place="Nhà văn hóa xã Sơn Kỳ",
            start_date=start, end_date=start, capacity=len(GIVEN),
            trainer_ids=[users["trainer"].id], unit_ids=[son_ky.id]))
        for i, given in enumerate(GIVEN):
            cadre = Cadre(gender="F" if i % 2 else "M", birth_year=1975 + i,
                          commune_id=son_ky.id, ethnicity_code="18", position_id=position)
            cadre.set_name(f"Đinh {'Thị' if i % 2 else 'Văn'} {given}")
            cadre.refresh_identity()
            db.session.add(cadre)
            db.session.flush()
            db.session.add(Application(class_id=klass.id, cadre_id=cadre.id, status="admitted",
                                       source="nominated"))
        klass.admitted_count = len(GIVEN)
        klass.status = "running"
        db.session.commit()
        return klass.id


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture()
def phone(browser, live_app):
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_a_photo_of_the_signed_page_becomes_attendance(live_app, browser, phone, tmp_path):
    from app.sheetphotos.models import SheetPrint

    class_id = _seed(live_app)
    page = phone
    sign_in(page, "coordinator")
    page.goto(f"/classes/{class_id}/attendance/keyback")
    loaded(page)
    sheet_link = page.get_by_role("link", name="Danh sách ký, tất cả các buổi (PDF)")
    pdf = page.request.get(sheet_link.get_attribute("href")).body()
    with live_app.app_context():
        sheet = db.session.scalars(select(SheetPrint)).one()
        cells = sheet.cells_of(1)
    # the first session: all but the last two learners signed; the second: every learner
    sessions = sorted({s for _c, s, _b in cells})
    order = list(dict.fromkeys(c for c, _s, _b in cells))
    signed = {i for i, (c, s, _b) in enumerate(cells)
              if s == sessions[1] or (s == sessions[0] and c in order[:-2])}
    photo = signed_photo(pdf, 1, [b for _c, _s, b in cells], 21, size=(4000, 3000), dpi=250,
                         chosen=signed, spill=0, quality=95)
    path = tmp_path / "trang-1.jpg"
    path.write_bytes(photo.jpeg)

    page.get_by_role("link", name="Đọc ảnh danh sách đã ký").click()
    loaded(page)
    fits_the_screen(page)
    _shot(page, "sheet-photo-new-phone")
    page.get_by_label("Ảnh chụp các trang danh sách đã ký (JPG, PNG)").set_input_files(path)
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.get_by_role("button", name="Đọc ảnh").click()
    size = int(sent.value.header_value("content-length") or 0)
    assert 0 < size < len(photo.jpeg) / 2  # shrunk on the phone (4,000 px to 2,000)
    expect(page.get_by_role("heading", name="Trang 1, lần in số")).to_be_visible()
    fits_the_screen(page)
    assert page.locator(".sheet-photo-strip img").count() == len(signed)
    counts = page.locator(".sheet-photo-counts").inner_text()
    assert f"Có chữ ký: {len(signed)}" in counts
    _shot(page, "sheet-photo-result-phone")
    result_url = page.url
    page.get_by_role("button", name="Xác nhận và ghi điểm danh").click()
    loaded(page)
    expect(page.get_by_role("status").first).to_contain_text("Đã xác nhận trang 1")
    sheet_text = page.locator("table.keyback").inner_text()
    assert "Đinh Văn An" in sheet_text
    values = page.locator("input.keyback-cell").evaluate_all("els => els.map(e => e.value)")
    assert values.count("c") == len(signed)
    assert values.count("v") == len(GIVEN) * 2 - len(signed)

    # at a desk the confirmed result reads as the record of what was written
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="vi-VN",
                                  viewport={"width": 1280, "height": 900})
    desk = context.new_page()
    sign_in(desk, "coordinator")
    desk.goto(result_url)
    expect(desk.get_by_text("Đã xác nhận", exact=True)).to_be_visible()
    assert desk.get_by_role("button", name="Xác nhận và ghi điểm danh").count() == 0
    fits_the_screen(desk)
    _shot(desk, "sheet-photo-result-desk")
    context.close()
