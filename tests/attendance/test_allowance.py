"""The allowance list: paid days (a date with a paid mark), meal support only off the state
payroll, the rate by who organises the class (dated, copied onto the class), travel support
per commune or typed per person, the paid-day setting; the PDF and .xlsx (totals, the total in
words, the signatures); the settings pages refuse a negative or malformed rate with nothing
saved."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.attendance import allowance, settings
from app.attendance.models import AttendanceMark, MealRate, TravelAmount, TravelRate
from app.documents.models import OrgInfo
from tests.attendance.conftest import by_name
from tests.documents.pdftext import drawn_text, texts


def _mark(db, klass, applications, statuses):
    """statuses: {session index: {learner's name: status}}"""
    named = by_name(applications)
    for index, row in statuses.items():
        for name, status in row.items():
            db.session.add(AttendanceMark(session_id=klass.sessions[index].id,
                                          application_id=named[name].id, status=status))
    db.session.commit()


@pytest.fixture()
def marked(running, db):
    """Four learners, 100.000 đ a day. An: both sessions of day 1 and the morning of day 2 (2
    days); Ba: late on day 1 (1 day), on the payroll; Hoa: excused on day 1; Út: absent."""
    klass, applications = running(daily_rate=100_000)
    _mark(db, klass, applications, {
        0: {"Hồ Thị An": "present", "Phạm Văn Ba": "late", "Đinh Thị Hoa": "excused",
            "Đinh Văn Út": "absent"},
        1: {"Hồ Thị An": "present", "Phạm Văn Ba": "present"},
        2: {"Hồ Thị An": "late"}})
    by_name(applications)["Phạm Văn Ba"].cadre.on_payroll = True
    db.session.commit()
    return klass, applications


def _compute(klass):
    from app.attendance.allowance_views import compute

    return compute(klass)


def _lines(data):
    return {line.cadre.full_name: (line.days, line.meal, line.travel, line.total)
            for line in data.lines}


def test_paid_days_payroll_and_the_total(app, marked):
    klass, _applications = marked
    data = _compute(klass)
    # An: 2 days × 100.000; Ba (payroll): 1 day, no meal; Hoa excused, Út absent: not listed
    assert _lines(data) == {"Hồ Thị An": (2, 200_000, 0, 200_000),
                            "Phạm Văn Ba": (1, 0, 0, 0)}
    assert data.total == 200_000
    assert data.in_words == "Bằng chữ: Hai trăm nghìn đồng chẵn."


def test_the_paid_day_setting(app, marked, db, users):
    klass, _applications = marked
    settings.save_paper_settings(users["coordinator"], ["present", "late", "excused"],
                                 "DANH SÁCH KÝ")
    db.session.commit()
    assert _lines(_compute(klass))["Đinh Thị Hoa"] == (1, 100_000, 0, 100_000)
    settings.save_paper_settings(users["coordinator"], ["present"], "DANH SÁCH KÝ")
    db.session.commit()
    lines = _lines(_compute(klass))
    assert lines["Hồ Thị An"][0] == 1 and "Đinh Thị Hoa" not in lines  # late is not paid now


def test_travel_per_commune_and_typed_per_person(app, marked, db, users, son_ha):
    klass, applications = marked
    settings.save_travel_rates(users["coordinator"], {son_ha["new:son-ky"].id: 50_000})
    db.session.commit()
    lines = _lines(_compute(klass))
    assert lines["Hồ Thị An"] == (2, 200_000, 50_000, 250_000)
    assert lines["Phạm Văn Ba"] == (1, 0, 0, 0)  # on the payroll: their agency pays travel
    db.session.add(TravelAmount(application_id=by_name(applications)["Phạm Văn Ba"].id,
                                amount=30_000))
    db.session.commit()
    data = _compute(klass)
    assert _lines(data)["Phạm Văn Ba"] == (1, 0, 30_000, 30_000)
    assert data.total == 280_000
    assert data.in_words == "Bằng chữ: Hai trăm tám mươi nghìn đồng chẵn."


def test_the_rate_by_organiser_level_and_date(app, db, users, son_ha):
    assert settings.meal_rate("commune", date(2026, 3, 1)).amount == 100_000
    assert settings.meal_rate("district", date(2024, 3, 1)).amount == 150_000
    assert settings.meal_rate("province", date(2026, 3, 1)).amount == 200_000
    settings.add_meal_rate(users["coordinator"], "commune", date(2026, 1, 1), 80_000,
                           "Nghị quyết số 10/2025/NQ-HĐND")
    db.session.commit()
    assert settings.meal_rate("commune", date(2025, 12, 31)).amount == 100_000
    rate = settings.meal_rate("commune", date(2026, 3, 1))
    assert (rate.amount, rate.basis) == (80_000, "Nghị quyết số 10/2025/NQ-HĐND")
    # who organises decides the level: a provincial department, the province's rate
    org = OrgInfo(issuer_kind="province_department", unit_title="tỉnh Quảng Ngãi",
                  office_name="Sở Nông nghiệp và Môi trường")
    assert settings.meal_rate(org.level, date(2026, 3, 1)).amount == 200_000


def test_the_coordinator_copies_the_rate_onto_the_class(client, login, users, running, db):
    klass, _applications = running(daily_rate=0)
    login(users["coordinator"])
    page = client.get(f"/classes/{klass.id}/allowance").get_data(as_text=True)
    assert "Áp dụng mức 100.000 đồng/ngày cho lớp" in page
    response = client.post(f"/classes/{klass.id}/allowance/rate")
    assert response.status_code == 303
    db.session.expire_all()
    assert klass.daily_rate == 100_000


def test_the_allowance_pdf_and_xlsx(client, login, users, marked, son_ha, db):
    klass, _applications = marked
    settings.save_travel_rates(users["coordinator"], {son_ha["new:son-ky"].id: 1_000_000})
    db.session.commit()
    login(users["coordinator"])
    with drawn_text() as runs:
        response = client.get(f"/classes/{klass.id}/allowance.pdf")
    assert response.status_code == 200
    import os

    if os.environ.get("PAPERS_DIR"):
        with open(os.path.join(os.environ["PAPERS_DIR"], "allowance.pdf"), "wb") as out:
            out.write(response.data)
    text = " ".join(texts(runs))
    assert "DANH SÁCH NHẬN TIỀN HỖ TRỢ" in text
    for label in allowance.HEADER:
        assert label in text, label
    assert "1.200.000" in texts(runs)  # An: 200.000 + 1.000.000
    assert "Hưởng lương NS" in text
    assert "Bằng chữ: Một triệu hai trăm nghìn đồng chẵn." in text
    for signer in ("NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"):
        assert signer in text
    book = client.get(f"/classes/{klass.id}/allowance.xlsx")
    sheet = load_workbook(io.BytesIO(book.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    an = next(r for r in rows if r[1] == "Hồ Thị An")
    assert an[3:8] == [2, 100_000, 200_000, 1_000_000, 1_200_000]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert total[7] == 1_200_000
    words = [r[0] for r in rows if r[0] and str(r[0]).startswith("Bằng chữ")]
    assert words == ["Bằng chữ: Một triệu hai trăm nghìn đồng chẵn."]


def test_an_empty_list_is_not_printed(client, login, users, running):
    klass, _applications = running()
    login(users["coordinator"])
    response = client.get(f"/classes/{klass.id}/allowance.pdf")
    assert response.status_code == 409
    assert "danh sách nhận tiền trống" in response.get_data(as_text=True)


@pytest.mark.parametrize(("amount", "message"), [
    ("-100.000", "không được âm"),
    ("abc", "Không đọc được số “abc”"),
    ("1.00.000", "Không đọc được số “1.00.000”"),
])
def test_a_bad_rate_is_refused_with_nothing_saved(client, login, users, db, amount, message):
    login(users["coordinator"])
    response = client.post("/admin/allowance/rates", data={
        "level": "commune", "valid_from": "01/01/2026", "amount": amount, "basis": ""})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MealRate)) == 0


def test_a_bad_travel_cell_saves_none(client, login, users, db, son_ha):
    login(users["coordinator"])
    son_ky, son_ha_ = son_ha["new:son-ky"].id, son_ha["new:son-ha"].id
    response = client.post("/admin/allowance/travel", data={
        f"t-{son_ky}": "50.000", f"t-{son_ha_}": "-5"})
    assert response.status_code == 400
    assert "Chưa lưu gì: 1 ô cần sửa." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(TravelRate)) == 0
    response = client.post("/admin/allowance/travel", data={f"t-{son_ky}": "50.000 đ"})
    assert response.status_code == 303
    assert settings.travel_rates() == {son_ky: 50_000}


def test_a_bad_typed_travel_saves_none(client, login, users, marked, db):
    klass, applications = marked
    named = by_name(applications)
    login(users["coordinator"])
    response = client.post(f"/classes/{klass.id}/allowance/travel", data={
        f"t-{named['Hồ Thị An'].id}": "20.000", f"t-{named['Phạm Văn Ba'].id}": "2,5"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(TravelAmount)) == 0


def test_the_paid_marks_need_one_at_least(client, login, users, db):
    login(users["coordinator"])
    response = client.post("/admin/allowance/papers", data={"sheet_title": "DANH SÁCH"})
    assert response.status_code == 400
    assert "Chọn ít nhất một loại điểm danh" in response.get_data(as_text=True)
    assert settings.current().paid == frozenset({"present", "late"})


@pytest.mark.parametrize("who", ["trainer", "learner"])
def test_only_coordinators_edit_the_settings(client, login, users, who):
    login(users[who])
    assert client.get("/admin/allowance/").status_code == 403
    assert client.post("/admin/allowance/rates", data={}).status_code == 403


def test_the_allowance_page_counts_its_queries(client, login, users, running, db,
                                             count_queries):
    small, few = running()
    big, many = running([(f"Nguyễn Văn {g}", "M") for g in
                         ("An", "Bình", "Cường", "Dũng", "Hải", "Khánh", "Long", "Minh")])
    for klass, applications in ((small, few), (big, many)):
        for a in applications:
            db.session.add(AttendanceMark(session_id=klass.sessions[0].id, application_id=a.id,
                                          status="present"))
    db.session.commit()
    login(users["coordinator"])
    counts = []
    for klass in (small, big):
        with count_queries() as n:
            assert client.get(f"/classes/{klass.id}/allowance").status_code == 200
        counts.append(n())
    assert counts[1] <= counts[0]  # not one more per learner


def test_a_new_class_starts_with_the_rate_in_force(client, login, users, db):
    from app.timeutil import local_today

    settings.add_meal_rate(users["coordinator"], "commune", local_today(), 90_000, "Nghị quyết")
    db.session.commit()
    login(users["coordinator"])
    page = client.get("/classes/new").get_data(as_text=True)
    assert 'value="90.000"' in page
