"""A class records its program, component, activity type, funding source and plan: chosen
among the entries valid on its dates, refused at the field otherwise, nothing written."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.classes.models import TrainingClass
from app.programs.models import FundingSource, Plan
from tests.classes.test_classes import _form


def _errors(page: str) -> list[str]:
    return re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+?)\s*<', page)


def _options(page: str, name: str) -> dict[str, str]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)[1]
    return {value: ("*" if selected else "") + label for selected, value, label in re.findall(
        r'<option( selected)? value="([^"]*)">([^<]*)</option>', select_html) if value}


def _nothing_written(db, audits_before: int) -> None:
    assert db.session.scalar(select(func.count(TrainingClass.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audits_before


@pytest.fixture()
def plan(db, reference):
    plan = Plan(number="12/KH-UBND", issued_on=date(2026, 1, 15), issuer="UBND xã Sơn Hà",
                title="Tập huấn cán bộ giảm nghèo năm 2026", program_id=reference.new.id,
                valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31))
    db.session.add(plan)
    db.session.commit()
    return plan


def test_the_class_records_its_program_and_its_page_shows_it(client, db, login, son_ha, users,
                                                             reference, plan):
    login("coordinator")
    page = client.get("/classes/new").get_data(as_text=True)
    assert "Chương trình MTQG nông thôn mới" in page  # the program in force today, offered
    response = client.post("/classes/new", data=_form(
        son_ha, users, program_id=reference.new.id,
        activity_type_id=reference.types["tap-huan-boi-duong"].id,
        funding_source_id=reference.funds["ngan-sach-trung-uong"].id, plan_id=plan.id))
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    klass = db.session.scalar(select(TrainingClass))
    assert (klass.program_id, klass.plan_id) == (reference.new.id, plan.id)
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert reference.new.name in page
    assert "Nghị quyết số 257/2025/QH15 ngày 11/12/2025" in page
    assert "Lớp tập huấn, bồi dưỡng" in page and "Ngân sách trung ương" in page
    assert ("Kế hoạch số 12/KH-UBND ngày 15/01/2026 của UBND xã Sơn Hà: Tập huấn cán bộ giảm "
            "nghèo năm 2026") in page


def test_an_expired_funding_source_is_refused_with_its_message(client, db, login, son_ha,
                                                               users, reference):
    fund = reference.funds["long-ghep"]
    fund.valid_to = date(2025, 12, 31)
    db.session.commit()
    login("coordinator")
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    response = client.post("/classes/new", data=_form(
        son_ha, users, program_id=reference.new.id, funding_source_id=fund.id))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert ("Nguồn kinh phí “Lồng ghép từ các chương trình, dự án khác” chỉ có hiệu lực đến hết "
            "ngày 31/12/2025; lớp kết thúc ngày 02/12/2026.") in _errors(page)
    assert _options(page, "funding_source_id")[str(fund.id)].startswith("*")  # still shown
    _nothing_written(db, before)


def test_a_program_past_its_period_is_refused(client, db, login, son_ha, users, reference):
    login("coordinator")
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    response = client.post("/classes/new", data=_form(
        son_ha, users, program_id=reference.old.id, component_id=reference.component.id))
    assert response.status_code == 400
    errors = _errors(response.get_data(as_text=True))
    assert ("Chương trình “Chương trình MTQG giảm nghèo bền vững 2021–2025” chỉ có hiệu lực đến "
            "hết ngày 31/12/2025; lớp kết thúc ngày 02/12/2026.") in errors
    assert ("Hợp phần “Dự án 7 / Tiểu dự án 1” chỉ có hiệu lực đến hết ngày 31/12/2025; lớp "
            "kết thúc ngày 02/12/2026.") not in errors  # its own period is the program's
    _nothing_written(db, before)
    # a class of 2025 may record it
    response = client.post("/classes/new", data=_form(
        son_ha, users, start_date="01/12/2025", end_date="02/12/2025", apply_from="",
        apply_until="", program_id=reference.old.id, component_id=reference.component.id))
    assert response.status_code == 302
    # and one starting before the 2026-2035 program is refused that one
    response = client.post("/classes/new", data=_form(
        son_ha, users, code="TH-2025-02", start_date="31/12/2025", end_date="01/01/2026",
        apply_from="", apply_until="", program_id=reference.new.id))
    assert response.status_code == 400
    assert any(e.endswith("chỉ có hiệu lực từ ngày 01/01/2026; lớp bắt đầu ngày 31/12/2025.")
               for e in _errors(response.get_data(as_text=True)))


def test_a_component_goes_with_its_own_program(client, db, login, son_ha, users, reference):
    login("coordinator")
    dates = {"start_date": "01/06/2025", "end_date": "02/06/2025", "apply_from": "",
             "apply_until": ""}
    response = client.post("/classes/new", data=_form(
        son_ha, users, component_id=reference.component.id, **dates))
    assert response.status_code == 400
    assert ("Hãy chọn chương trình của hợp phần đã chọn (“Chương trình MTQG giảm nghèo bền vững "
            "2021–2025”).") in _errors(response.get_data(as_text=True))
    reference.new.valid_from = date(2025, 1, 1)  # two programs in force: pick the wrong one
    db.session.commit()
    response = client.post("/classes/new", data=_form(
        son_ha, users, program_id=reference.new.id, component_id=reference.component.id,
        **dates))
    assert response.status_code == 400
    assert any(e.startswith("Hợp phần “Dự án 7 / Tiểu dự án 1” thuộc chương trình")
               for e in _errors(response.get_data(as_text=True)))
    assert db.session.scalar(select(func.count(TrainingClass.id))) == 0


def test_the_form_offers_what_is_valid_on_the_class_dates(client, db, login, users, reference,
                                                         make_class):
    old_class = make_class(start=date(2025, 6, 1), program_id=reference.old.id)
    new_class = make_class(start=date(2026, 12, 1))
    login("coordinator")
    page = client.get(f"/classes/{old_class.id}/edit").get_data(as_text=True)
    programs = _options(page, "program_id")
    assert list(programs) == [str(reference.old.id)] and programs[str(reference.old.id)][0] == "*"
    assert str(reference.component.id) in _options(page, "component_id")
    page = client.get(f"/classes/{new_class.id}/edit").get_data(as_text=True)
    assert list(_options(page, "program_id")) == [str(reference.new.id)]
    assert _options(page, "component_id") == {}  # the 2026-2035 program has none entered


def test_a_retired_entry_stays_on_its_class_but_is_not_chosen_anew(client, db, login, son_ha,
                                                                  users, reference, make_class):
    fund = reference.funds["ngan-sach-trung-uong"]
    klass = make_class(start=date(2026, 12, 1), funding_source_id=fund.id)
    fund.active = False
    db.session.commit()
    login("coordinator")
    response = client.post(f"/classes/{klass.id}/edit", data=_form(
        son_ha, users, code=klass.code, funding_source_id=fund.id, capacity="5"))
    assert response.status_code == 302  # kept as it was: the class can still be edited
    assert db.session.get(TrainingClass, klass.id).capacity == 5
    response = client.post(f"/classes/{klass.id}/copy", data=_form(
        son_ha, users, code="TH-2026-77", funding_source_id=fund.id))
    assert response.status_code == 400
    assert ("Nguồn kinh phí “Ngân sách trung ương” đã ngừng sử dụng; hãy chọn mục khác."
            in _errors(response.get_data(as_text=True)))


def test_changing_the_dates_is_checked_against_the_entries(client, db, login, son_ha, users,
                                                          reference, make_class):
    fund = reference.funds["long-ghep"]
    fund.valid_to = date(2026, 12, 31)
    db.session.commit()
    klass = make_class(start=date(2026, 12, 1), funding_source_id=fund.id)
    login("coordinator")
    response = client.post(f"/classes/{klass.id}/edit", data=_form(
        son_ha, users, code=klass.code, start_date="05/01/2027", end_date="06/01/2027",
        apply_from="", apply_until="", funding_source_id=fund.id))
    assert response.status_code == 400
    assert any("chỉ có hiệu lực đến hết ngày 31/12/2026" in e
               for e in _errors(response.get_data(as_text=True)))
    db.session.expire_all()
    assert db.session.get(TrainingClass, klass.id).start_date == date(2026, 12, 1)


def test_setup_assigns_the_program_in_force_to_classes_without_one(app, db, reference,
                                                                  make_class):
    in_2025 = make_class(start=date(2025, 3, 10))
    in_2027 = make_class(start=date(2027, 3, 10))
    across = make_class(start=date(2025, 12, 31), days=2)  # in neither program alone
    result = app.test_cli_runner().invoke(args=["setup"])
    assert "Đã ghi chương trình" not in result.output  # only when asked
    assert db.session.get(TrainingClass, in_2025.id).program_id is None
    result = app.test_cli_runner().invoke(args=["setup", "--assign-programs"])
    assert result.exit_code == 0, result.output
    assert "Đã ghi chương trình cho 2 lớp." in result.output
    db.session.expire_all()
    assert db.session.get(TrainingClass, in_2025.id).program_id == reference.old.id
    assert db.session.get(TrainingClass, in_2027.id).program_id == reference.new.id
    assert db.session.get(TrainingClass, across.id).program_id is None
    again = app.test_cli_runner().invoke(args=["setup", "--assign-programs"])
    assert "Đã ghi chương trình cho 0 lớp." in again.output


def test_the_refusal_reads_in_english_on_an_english_page(client, db, login, son_ha, users,
                                                        reference):
    fund = db.session.get(FundingSource, reference.funds["long-ghep"].id)
    fund.valid_to = date(2025, 12, 31)
    db.session.commit()
    login("coordinator")
    client.set_cookie("lang", "en")
    response = client.post("/classes/new", data=_form(son_ha, users, funding_source_id=fund.id))
    assert response.status_code == 400
    assert any(e.startswith("Funding source “Lồng ghép từ các chương trình, dự án khác” is "
                            "valid only until 31/12/2025")
               for e in _errors(response.get_data(as_text=True)))
