"""The lists pages: the admin adds, edits, retires and deletes entries, coordinators add plans;
bad input is refused at its field with nothing written, and an entry in use is never
deleted."""

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.programs.models import Component, FundingSource, Plan, Program


def _errors(page: str) -> list[str]:
    return re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+?)\s*<', page)


def _options(page: str, name: str) -> dict[str, str]:
    """The options of the select `name`: value -> label (selected ones marked with a *)."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)[1]
    return {value: ("*" if selected else "") + label for selected, value, label in re.findall(
        r'<option( selected)? value="([^"]*)">([^<]*)</option>', select_html)}


def _audits(db) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


def _class(make_class, reference, **fields):
    """A class in 2026 recorded under the 2026–2035 program, paid from the central budget."""
    return make_class(start=date(2026, 12, 1), program_id=reference.new.id,
                      funding_source_id=reference.funds["ngan-sach-trung-uong"].id, **fields)


def test_admin_adds_a_program_and_a_component(client, db, login, users, reference):
    login("admin")
    response = client.post("/programs/new", data={
        "name": "Chương trình thử nghiệm của tỉnh", "short_name": "Chương trình tỉnh",
        "legal_basis": "Nghị quyết của HĐND tỉnh", "valid_from": "01/01/2027",
        "valid_to": "31/12/2030"})
    assert response.status_code == 302
    program = db.session.scalar(select(Program).where(Program.short_name == "Chương trình tỉnh"))
    assert program.code == "chuong-trinh-tinh" and program.valid_to == date(2030, 12, 31)
    response = client.post(f"/programs/{program.id}/components/new", data={
        "code": "Nội dung 1", "name": "Tập huấn cán bộ cơ sở", "valid_from": "",
        "valid_to": ""})
    assert response.status_code == 302
    page = client.get("/programs/").get_data(as_text=True)
    assert "Chương trình thử nghiệm của tỉnh" in page and "Tập huấn cán bộ cơ sở" in page
    assert "01/01/2027 – 31/12/2030" in page


def test_a_period_that_ends_before_it_starts_is_refused_at_its_field(client, db, login, users,
                                                                     reference):
    login("admin")
    before = _audits(db)
    response = client.post("/programs/new", data={
        "name": "Chương trình sai ngày", "short_name": "Sai ngày", "valid_from": "01/01/2027",
        "valid_to": "31/12/2026"})
    assert response.status_code == 400
    assert "Ngày cuối còn hiệu lực phải trùng hoặc sau ngày bắt đầu hiệu lực." in _errors(
        response.get_data(as_text=True))
    assert db.session.scalar(select(Program).where(Program.short_name == "Sai ngày")) is None
    assert _audits(db) == before


def test_a_component_outside_its_programs_period_is_refused(client, db, login, users,
                                                            reference):
    login("admin")
    response = client.post(f"/programs/{reference.old.id}/components/new", data={
        "code": "Dự án 7 / Tiểu dự án 2", "name": "Giám sát, đánh giá",
        "valid_from": "01/01/2021", "valid_to": "31/12/2026"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert ("Ngày này nằm ngoài thời gian hiệu lực của chương trình “Chương trình MTQG giảm "
            "nghèo bền vững 2021–2025” (01/01/2021 – 31/12/2025).") in _errors(page)
    assert db.session.scalar(select(func.count(Component.id))) == 1


def test_a_name_already_listed_is_refused(client, db, login, users, reference):
    login("admin")
    response = client.post("/programs/funding-sources/new", data={
        "name": "ngân sách trung ương", "valid_from": "", "valid_to": ""})
    assert response.status_code == 400
    assert "Đã có mục tên này trong danh mục." in _errors(response.get_data(as_text=True))


def test_only_the_admin_edits_the_lists_but_coordinators_write_plans(client, db, login, users,
                                                                     reference):
    login("coordinator")
    assert client.get("/programs/").status_code == 200
    assert client.get("/programs/new").status_code == 403
    assert client.post(f"/programs/{reference.old.id}/active", data={"active": "0"}) \
        .status_code == 403
    page = client.get("/programs/plans/new").get_data(as_text=True)
    assert "Chương trình MTQG nông thôn mới" in page  # programs to choose from
    response = client.post("/programs/plans/new", data={
        "number": "12/KH-UBND", "issued_on": "15/01/2026", "issuer": "UBND xã Sơn Hà",
        "title": "Tập huấn cán bộ giảm nghèo năm 2026", "program_id": reference.new.id,
        "valid_from": "01/01/2026", "valid_to": "31/12/2026"})
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan))
    assert (plan.number, plan.program_id) == ("12/KH-UBND", reference.new.id)
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "plan.create"))
    assert audit.summary == "Thêm kế hoạch 12/KH-UBND ngày 15/01/2026"


def test_a_plan_of_a_program_stays_within_its_period(client, db, login, users, reference):
    login("coordinator")
    response = client.post("/programs/plans/new", data={
        "number": "48/KH-UBND", "issued_on": "12/03/2024", "issuer": "UBND huyện Sơn Hà",
        "title": "Thực hiện Chương trình năm 2024", "program_id": reference.new.id,
        "valid_from": "01/01/2024", "valid_to": "31/12/2024"})
    assert response.status_code == 400
    assert any("nằm ngoài thời gian hiệu lực của chương trình" in e
               for e in _errors(response.get_data(as_text=True)))
    assert db.session.scalar(select(func.count(Plan.id))) == 0


def test_the_admin_cannot_delete_an_entry_in_use(client, db, login, users, reference,
                                                 make_class):
    klass = _class(make_class, reference, code="TH-2026-09")
    login("admin")
    fund = reference.funds["ngan-sach-trung-uong"]
    before = _audits(db)
    response = client.post(f"/programs/funding-sources/{fund.id}/delete", data={"confirm": "1"})
    assert response.status_code == 409
    assert ("Không xóa được nguồn kinh phí “Ngân sách trung ương”: đang được dùng cho lớp "
            "TH-2026-09.") in response.get_data(as_text=True)
    assert db.session.get(FundingSource, fund.id) is not None
    assert _audits(db) == before
    response = client.post(f"/programs/{reference.new.id}/delete", data={"confirm": "1"})
    assert response.status_code == 409
    assert db.session.get(Program, reference.new.id) is not None
    # the old program has a component: in use too
    response = client.post(f"/programs/{reference.old.id}/delete", data={"confirm": "1"})
    assert response.status_code == 409
    assert "hợp phần Dự án 7 / Tiểu dự án 1" in response.get_data(as_text=True)
    # an unused entry goes, once confirmed on its page
    unused = reference.funds["huy-dong"]
    assert client.post(f"/programs/funding-sources/{unused.id}/delete").status_code == 400
    response = client.post(f"/programs/funding-sources/{unused.id}/delete", data={"confirm": "1"})
    assert response.status_code == 302
    assert db.session.get(FundingSource, unused.id) is None
    assert klass.funding_source_id == fund.id


def test_a_period_that_would_leave_classes_outside_is_refused(client, db, login, users,
                                                              reference, make_class):
    _class(make_class, reference, code="TH-2026-10")
    login("admin")
    fund = reference.funds["ngan-sach-trung-uong"]
    response = client.post(f"/programs/funding-sources/{fund.id}", data={
        "name": fund.name, "valid_from": "", "valid_to": "30/11/2026"})
    assert response.status_code == 400
    assert "Không đổi được: lớp TH-2026-10 có ngày sau ngày này." in _errors(
        response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(FundingSource, fund.id).valid_to is None


def test_retired_entries_are_not_offered_but_stay_on_their_classes(client, db, login, users,
                                                                   reference, make_class):
    klass = _class(make_class, reference, code="TH-2026-11")
    fund = reference.funds["ngan-sach-trung-uong"]
    login("admin")
    response = client.post(f"/programs/funding-sources/{fund.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert db.session.get(FundingSource, fund.id).active is False
    page = client.get("/programs/").get_data(as_text=True)
    assert "Ngừng sử dụng" in page and "Dùng lại" in page
    new_form = client.get("/classes/new").get_data(as_text=True)
    assert str(fund.id) not in _options(new_form, "funding_source_id")
    edit_form = client.get(f"/classes/{klass.id}/edit").get_data(as_text=True)
    assert _options(edit_form, "funding_source_id")[str(fund.id)] == "*Ngân sách trung ương"
    detail = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Ngân sách trung ương" in detail
    # a double tap asks for the same state: nothing changes
    assert client.post(f"/programs/funding-sources/{fund.id}/active",
                       data={"active": "0"}).status_code == 302
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "funding_source.retire")) == 1


def test_the_lists_page_queries_do_not_grow_with_entries(client, db, login, users, reference,
                                                         make_class, count_queries):
    _class(make_class, reference, code="TH-2026-12")
    db.session.add(Plan(number="99/KH-UBND", issued_on=date(2026, 1, 1), issuer="UBND",
                        title="Kế hoạch"))  # one of each list: an empty list skips a query
    db.session.commit()
    login("coordinator")
    client.get("/programs/")
    db.session.expire_all()
    with count_queries() as few:
        assert client.get("/programs/").status_code == 200
    for i in range(8):
        program = Program(code=f"p{i}", name=f"Chương trình {i}", short_name=f"CT {i}",
                          valid_from=date(2027, 1, 1) + timedelta(days=i))
        db.session.add(program)
        db.session.flush()
        db.session.add(Component(program_id=program.id, code=f"Nội dung {i}", name="Tập huấn"))
        db.session.add(FundingSource(code=f"f{i}", name=f"Nguồn {i}"))
        db.session.add(Plan(number=f"{i}/KH-UBND", issued_on=date(2026, 1, 1), issuer="UBND",
                            title="Kế hoạch", program_id=program.id))
    db.session.commit()
    for i in range(3):
        _class(make_class, reference, code=f"TH-2026-2{i}")
    db.session.expire_all()
    with count_queries() as many:
        page = client.get("/programs/").get_data(as_text=True)
    assert "Chương trình 7" in page and "Nguồn 7" in page and "lớp TH-2026-21" in page
    assert "và 1 mục khác" in page  # the fourth class using the funding source
    assert many() == few()
