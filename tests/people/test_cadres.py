import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.people.models import Cadre, Position, Unit


def _position_id(db, code="truong-thon"):
    return db.session.scalar(select(Position.id).where(Position.code == code))


def _form(db, son_ha, **overrides):
    data = {"full_name": "Đinh Thị Bích", "gender": "F", "birth": "05/02/1985",
            "ethnicity_code": "18", "position_id": _position_id(db),
            "commune_id": son_ha["new:son-ky"].id, "village_id": "", "phone": "0905 111 222"}
    data.update(overrides)
    return data


def test_search_finds_names_without_diacritics(client, users, login, make_cadre):
    make_cadre("Nguyễn Thị Hoa", ethnicity_code="01")
    make_cadre("Đinh Văn Hòa", gender="M")
    make_cadre("Phạm Văn Bốc", gender="M")
    login("coordinator")
    page = client.get("/cadres/?q=nguyen thi hoa").get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in page and "Phạm Văn Bốc" not in page
    page = client.get("/cadres/?q=hoa").get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in page and "Đinh Văn Hòa" in page
    page = client.get("/cadres/?q=Đinh").get_data(as_text=True)
    assert "Đinh Văn Hòa" in page and "Nguyễn Thị Hoa" not in page


def test_list_is_in_vietnamese_name_order(client, users, login, make_cadre):
    for name in ["Lê Văn Đức", "Nguyễn Thị Ánh", "Trần Văn Dũng", "Phạm Thị Anh", "Đinh Văn Ân",
                 "Hồ Thị An"]:
        make_cadre(name)
    login("coordinator")
    page = client.get("/cadres/").get_data(as_text=True)
    order = ["Hồ Thị An", "Phạm Thị Anh", "Nguyễn Thị Ánh", "Đinh Văn Ân", "Trần Văn Dũng",
             "Lê Văn Đức"]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)


def test_filters_and_pagination(app, client, users, login, make_cadre, son_ha, make_village):
    village = make_village(son_ha["old:son-ba"], "Gò Da")
    for i in range(7):
        make_cadre(f"Đinh Thị Nữ{i}", gender="F", village_id=village.id)
    for i in range(5):
        make_cadre(f"Phạm Văn Nam{i}", gender="M", commune=son_ha["new:son-ha"])
    login("coordinator")
    app.config["PAGE_SIZE"] = 5
    try:
        page1 = client.get("/cadres/?gender=F").get_data(as_text=True)
        assert "7 cán bộ" in page1 and "Trang 1 / 2" in page1 and "Phạm Văn" not in page1
        page2 = client.get("/cadres/?gender=F&page=2").get_data(as_text=True)
        assert page2.count("Đinh Thị Nữ") == 2
        commune = client.get(f"/cadres/?commune={son_ha['new:son-ha'].id}").get_data(True)
        assert "5 cán bộ" in commune
        by_village = client.get(
            f"/cadres/?commune={son_ha['new:son-ky'].id}&village={village.id}").get_data(True)
        assert "7 cán bộ" in by_village and "Gò Da" in by_village
        # the former commune rolls up into its successor and the other way round
        old = client.get(f"/cadres/?commune={son_ha['old:son-ba'].id}").get_data(True)
        assert "0 cán bộ" in old
    finally:
        app.config["PAGE_SIZE"] = 50


def test_village_of_another_commune_is_dropped_from_the_filters(client, db, users, login,
                                                                make_cadre, son_ha, make_village):
    """Without JavaScript the village list only changes after "Lọc": changing the commune then
    sends the old commune's village. The list must follow the commune, not turn up empty."""
    village = make_village(son_ha["old:son-ba"], "Gò Da")
    make_cadre("Đinh Thị Gò", village_id=village.id)  # xã Sơn Kỳ
    make_cadre("Phạm Văn Hà", gender="M", commune=son_ha["new:son-ha"])
    login("coordinator")
    son_ha_id = son_ha["new:son-ha"].id
    page = client.get(f"/cadres/?commune={son_ha_id}&village={village.id}").get_data(True)
    assert "1 cán bộ" in page and "Phạm Văn Hà" in page and "Đinh Thị Gò" not in page
    assert f'<option value="{village.id}" selected' not in page
    alone = client.get(f"/cadres/?village={village.id}").get_data(True)
    assert "2 cán bộ" in alone
    export = client.get(f"/cadres/export.xlsx?commune={son_ha_id}&village={village.id}")
    rows = list(load_workbook(io.BytesIO(export.data)).worksheets[0].values)
    assert [r[0] for r in rows[1:]] == ["Phạm Văn Hà"]


def test_list_query_count_does_not_grow_with_rows(client, db, users, login, make_cadre,
                                                  son_ha, count_queries):
    login("coordinator")
    make_cadre("Đinh Thị Một")
    son_ky = son_ha["new:son-ky"].id  # the fixture's units leave with the session below
    client.get("/cadres/")
    db.session.remove()
    with count_queries() as few:
        client.get("/cadres/")
    for i in range(30):
        make_cadre(f"Phạm Văn Người{i}", gender="M", commune=db.session.get(Unit, son_ky))
    db.session.remove()
    with count_queries() as many:
        client.get("/cadres/")
    assert many() == few()


def test_create_cadre_normalises_name(client, db, users, login, son_ha):
    login("coordinator")
    nfd = "Đinh Thị Bi\u0301ch"  # decomposed accent
    response = client.post("/cadres/new", data=_form(db, son_ha, full_name=f"  {nfd}  "))
    assert response.status_code == 302
    cadre = db.session.scalar(select(Cadre))
    assert cadre.full_name == "Đinh Thị Bích"
    assert cadre.birth_date.isoformat() == "1985-02-05" and cadre.birth_year == 1985
    assert cadre.phone == "0905111222" and cadre.level == "village"
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.object_id == cadre.id)) == "cadre.create"


def test_create_refuses_bad_input_and_keeps_what_was_typed(client, db, users, login, son_ha,
                                                           make_village):
    login("coordinator")
    other_village = make_village(son_ha["old:son-thanh"], "Tà Bần")
    cases = [
        ({"birth": "31/02/1980"}, "Ngày không hợp lệ"),
        ({"birth": "01/01/2999"}, "ở tương lai"),
        ({"birth": "2024"}, "chưa đủ 15 tuổi"),
        ({"full_name": ""}, "Vui lòng nhập họ và tên."),
        ({"gender": ""}, "Vui lòng chọn giới tính."),
        ({"village_id": other_village.id}, "không thuộc xã Sơn Kỳ"),
    ]
    for overrides, message in cases:
        response = client.post("/cadres/new", data=_form(db, son_ha, **overrides))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, overrides
        assert message in page, overrides
        assert "0905 111 222" in page  # nothing the user typed is lost
    assert db.session.scalar(select(func.count(Cadre.id))) == 0


def test_same_person_cannot_be_added_twice(client, db, users, login, son_ha, make_cadre):
    make_cadre("Đinh Thị Bích", birth_year=1985, birth_date=None)
    login("coordinator")
    response = client.post("/cadres/new", data=_form(db, son_ha, birth="1985"))
    assert response.status_code == 400
    assert "Đã có cán bộ cùng họ tên" in response.get_data(as_text=True)


def test_same_person_through_former_commune_name(client, db, users, login, son_ha, make_cadre):
    make_cadre("Đinh Thị Bích", birth_year=1985, commune=son_ha["new:son-ky"])
    login("coordinator")
    response = client.post("/cadres/new", data=_form(
        db, son_ha, birth="1985", commune_id=son_ha["old:son-ba"].id))
    assert response.status_code == 400


def test_edit_and_deactivate_keep_history(client, db, users, login, make_cadre):
    cadre = make_cadre("Phạm Văn Tuấn", gender="M")
    login("coordinator")
    page = client.get(f"/cadres/{cadre.id}/edit").get_data(as_text=True)
    assert "Phạm Văn Tuấn" in page
    response = client.post(f"/cadres/{cadre.id}/edit", data={
        "full_name": "Phạm Văn Tuấn", "gender": "M", "birth": "1980", "ethnicity_code": "18",
        "position_id": _position_id(db, "ctv-giam-ngheo"), "commune_id": cadre.commune_id,
        "village_id": "", "phone": ""})
    assert response.status_code == 302
    response = client.post(f"/cadres/{cadre.id}/active",
                           data={"reason": "Chuyển công tác", "target": "0"})
    assert response.status_code == 302
    db.session.refresh(cadre)
    assert cadre.active is False and cadre.position.code == "ctv-giam-ngheo"
    page = client.get(f"/cadres/{cadre.id}").get_data(as_text=True)
    assert "Chuyển công tác" in page and "Sửa cán bộ" in page
    assert "Phạm Văn Tuấn" not in client.get("/cadres/").get_data(as_text=True)
    assert "Phạm Văn Tuấn" in client.get("/cadres/?status=inactive").get_data(as_text=True)


def test_deactivating_twice_never_reactivates(client, db, users, login, make_cadre):
    """The form asks for a state, not a toggle: a double tap on a slow phone, or the button in
    a tab left open, must not bring the cadre back."""
    cadre = make_cadre("Phạm Văn Tuấn", gender="M")
    login("coordinator")
    page = client.get(f"/cadres/{cadre.id}").get_data(as_text=True)
    assert 'name="target" type="hidden" value="0"' in page
    for _ in range(2):
        response = client.post(f"/cadres/{cadre.id}/active",
                               data={"reason": "Nghỉ việc", "target": "0"})
        assert response.status_code == 302
    db.session.refresh(cadre)
    assert cadre.active is False
    assert "đã ngừng theo dõi từ trước" in client.get(f"/cadres/{cadre.id}").get_data(
        as_text=True)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "cadre.deactivate", AuditEntry.object_id == cadre.id)).all()
    assert len(entries) == 1
    stale = client.post(f"/cadres/{cadre.id}/active", data={"reason": "x"})
    assert stale.status_code == 400
    assert "Trang này đã cũ" in stale.get_data(as_text=True)
    again = client.post(f"/cadres/{cadre.id}/active", data={"target": "1"})
    assert again.status_code == 302
    db.session.refresh(cadre)
    assert cadre.active is True


def test_learner_and_trainer_cannot_see_cadres(client, users, login):
    login("learner")
    assert client.get("/cadres/").status_code == 403
    client.post("/auth/logout")
    login("trainer")
    assert client.get("/cadres/").status_code == 403


def test_coordinator_creates_and_links_a_learner_account(client, db, users, login, make_cadre):
    from app.auth.models import User

    cadre = make_cadre("Đinh Thị Lanh", phone="0905777888")
    login("coordinator")
    missing = client.post(f"/cadres/{cadre.id}/account", data={"username": "lanh"})
    assert missing.status_code == 400
    assert "Nhập mật khẩu ban đầu" in missing.get_data(as_text=True)
    response = client.post(f"/cadres/{cadre.id}/account",
                           data={"username": "lanh", "password": "bay giay tren nuong"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "lanh"))
    assert user.roles == {"learner"} and user.cadre.id == cadre.id
    assert user.phone == "0905777888"
    other = make_cadre("Phạm Văn Khác", gender="M")
    taken = client.post(f"/cadres/{other.id}/account", data={"username": "lanh"})
    assert taken.status_code == 400
    assert "đã gắn với cán bộ Đinh Thị Lanh" in taken.get_data(as_text=True)
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"login": "0905777888",
                                            "password": "bay giay tren nuong"}).status_code == 302


def test_linking_an_account_typed_in_another_case_finds_it(client, db, users, login,
                                                           make_cadre):
    """"Learner" typed on a phone is the existing account "learner", never a second account
    that could not sign in apart from the first."""
    from app.auth.models import User

    cadre = make_cadre("Đinh Thị Lanh")
    login("coordinator")
    response = client.post(f"/cadres/{cadre.id}/account",
                           data={"username": "Learner", "password": "mat-khau-moi-1"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(User.id)).where(
        func.lower(User.username) == "learner")) == 1
    db.session.refresh(cadre)
    assert cadre.user.id == users["learner"].id
    assert users["learner"].check_password("secret-pass-1")  # the typed password is ignored


def test_a_birth_year_and_a_date_of_that_year_are_the_same_person_on_the_form(
        client, db, users, login, son_ha, make_cadre):
    """As in the cadre import: the village list gave the year, the form the date (or the other
    way round); the coordinator is sent to the existing record, nothing is added."""
    from datetime import date

    with_date = make_cadre("Đinh Thị Bích", birth_year=1985, birth_date=date(1985, 2, 5))
    make_cadre("Hồ Văn Mười", gender="M", birth_year=1979)
    login("coordinator")
    response = client.post("/cadres/new", data=_form(db, son_ha, birth="1985"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"sinh ngày 05/02/1985: Đinh Thị Bích (mã {with_date.id})" in page
    response = client.post("/cadres/new", data=_form(
        db, son_ha, full_name="Hồ Văn Mười", gender="M", birth="09/09/1979"))
    assert response.status_code == 400
    assert "chỉ ghi năm sinh 1979: Hồ Văn Mười" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Cadre.id))) == 2
    # a record is never a clash with itself: its date may be cut to the year and put back
    edit = f"/cadres/{with_date.id}/edit"
    assert client.post(edit, data=_form(db, son_ha, birth="1985")).status_code == 302
    assert client.post(edit, data=_form(db, son_ha, birth="05/02/1985")).status_code == 302
    # another day of that year, another commune: other people, added
    assert client.post("/cadres/new", data=_form(db, son_ha, birth="06/02/1985")
                       ).status_code == 302
    assert client.post("/cadres/new", data=_form(
        db, son_ha, birth="1985", commune_id=son_ha["new:son-linh"].id)).status_code == 302
    # now "1985" for this record would also name the other Bích, born 06/02/1985: refused
    page = client.post(edit, data=_form(db, son_ha, birth="1985")).get_data(as_text=True)
    assert "sinh ngày 06/02/1985" in page and "sinh ngày 05/02/1985" not in page


def test_old_and_new_tone_placement_are_the_same_person(client, db, users, login, son_ha,
                                                       make_cadre):
    make_cadre("Đinh Thị Hoà", birth_year=1985)
    login("coordinator")
    response = client.post("/cadres/new", data=_form(db, son_ha, full_name="Đinh Thị Hòa",
                                                     birth="1985"))
    assert response.status_code == 400
    assert "Đã có cán bộ cùng họ tên" in response.get_data(as_text=True)


def test_names_with_digits_or_symbols_are_refused_like_the_import(client, db, users, login,
                                                                 son_ha):
    login("coordinator")
    for bad in ("123", "<b>Đinh</b>", '=HYPERLINK("http://evil.example","x")'):
        response = client.post("/cadres/new", data=_form(db, son_ha, full_name=bad))
        assert response.status_code == 400, bad
        assert "chỉ gồm chữ cái" in response.get_data(as_text=True), bad
    ok = client.post("/cadres/new", data=_form(db, son_ha, full_name="Đinh Thị H'Nhi"))
    assert ok.status_code == 302
    assert db.session.scalar(select(func.count(Cadre.id))) == 1


def test_unknown_village_is_an_error_at_the_field(client, db, users, login, son_ha):
    login("coordinator")
    response = client.post("/cadres/new", data=_form(db, son_ha, village_id=99999))
    assert response.status_code == 400
    assert "Thôn/bản không tồn tại." in response.get_data(as_text=True)


def test_wtforms_messages_are_vietnamese(client, db, users, login, son_ha):
    login("coordinator")
    response = client.post("/cadres/new", data=_form(db, son_ha, gender="X",
                                                     full_name="Đinh Thị " + "A" * 130))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Lựa chọn không hợp lệ." in page and "Not a valid choice" not in page
    assert "Không được dài quá 120 ký tự." in page


def test_export_never_writes_a_formula(client, db, users, login, make_cadre):
    import io

    from openpyxl import load_workbook

    make_cadre('=HYPERLINK("http://evil.example","x")')  # stored by some other path
    login("coordinator")
    data = client.get("/cadres/export.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cell = sheet.cell(row=2, column=1)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_new_cadre_form_queries_do_not_grow_with_communes(client, db, users, login, son_ha,
                                                        make_village, count_queries):
    login("coordinator")
    client.get("/cadres/new")
    db.session.remove()
    with count_queries() as few:
        client.get("/cadres/new")
    for key, commune in son_ha.items():
        if key.startswith("old:"):
            make_village(commune, f"Thôn của {commune.name}")
    db.session.remove()
    with count_queries() as many:
        page = client.get("/cadres/new").get_data(as_text=True)
    assert many() == few()
    assert "Thôn của Sơn Ba – xã Sơn Kỳ" in page


def test_errors_sit_at_their_field_and_are_announced(client, db, users, login, son_ha):
    """A screen reader reads the error with the field: one error block per field, named by the
    input's aria-describedby (with the hint), and the input marked invalid."""
    import re

    login("coordinator")
    response = client.post("/cadres/new", data=_form(db, son_ha, full_name="Đinh 2 Hoa",
                                                     birth="31/02/1980"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for name in ("full_name", "birth"):
        tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag
        assert f'aria-describedby="{name}-error {name}-help"' in tag
        assert page.count(f'id="{name}-error"') == 1
    assert "31/02/1980" in page and "Đinh 2 Hoa" in page  # what was typed stays
    phone = re.search(r'<input[^>]*\bname="phone"[^>]*>', page).group(0)
    assert "aria-invalid" not in phone


def test_every_problem_of_the_form_shows_at_once(client, db, users, login, son_ha):
    """Missing choices do not hide a bad name or an impossible date until the next try."""
    login("coordinator")
    response = client.post("/cadres/new", data=_form(
        db, son_ha, full_name="Đinh 2", birth="31/02/1980", gender="", position_id="",
        commune_id=""))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in ("không hợp lệ: chỉ gồm chữ cái", "Ngày không hợp lệ: 31/02/1980",
                    "Vui lòng chọn giới tính.", "Vui lòng chọn chức vụ.", "Vui lòng chọn xã."):
        assert message in page, message
    assert "Xã không hợp lệ." not in page  # one message per problem
    assert db.session.scalar(select(func.count(Cadre.id))) == 0


def test_phones_follow_the_same_rule_as_the_import(client, db, users, login, son_ha):
    """The form must not store a number the import would refuse, or the export of the list
    could never be imported back."""
    from app.people import cadre_file as cf

    login("coordinator")
    for typed in ("123456789012", "0905 abc 123", "12345"):
        response = client.post("/cadres/new", data=_form(db, son_ha, phone=typed))
        assert response.status_code == 400, typed
        assert f"Số điện thoại “{typed}” không hợp lệ" in response.get_data(as_text=True)
    response = client.post("/cadres/new", data=_form(db, son_ha, phone="+84 905 111 222"))
    assert response.status_code == 302
    cadre = db.session.scalar(select(Cadre))
    assert cadre.phone == "0905111222"
    exported = client.get("/cadres/export.xlsx").data
    valid, problems = cf.load("xuat.xlsx", exported)
    assert problems == [] and valid[0].data.phone == "0905111222"


def test_the_position_list_is_grouped_by_level_without_retired_positions(
        client, db, users, login, son_ha):
    login("coordinator")
    page = client.get("/cadres/new").get_data(as_text=True)
    select_html = page[page.index('<select class="form-select" id="position_id"'):]
    select_html = select_html[:select_html.index("</select>")]
    assert select_html.index("— chọn —") < select_html.index('<optgroup label="Cấp thôn">') \
        < select_html.index("Tổ trưởng tổ dân phố") < select_html.index("Già làng") \
        < select_html.index('<optgroup label="Cấp xã">') \
        < select_html.index("Phó Chủ tịch UBND xã") \
        < select_html.index('<optgroup label="Cấp tỉnh">')
    assert "cần cập nhật" not in select_html and "cấp huyện" not in select_html


def test_a_cadre_of_a_to_dan_pho_is_never_a_truong_thon(client, db, users, login, son_ha):
    """The form refuses "Trưởng thôn, bản" for a cadre of a tổ dân phố and names the office;
    the cadre's page then prints "Tổ trưởng tổ dân phố"."""
    from app.people.models import Unit

    village = Unit(code="tdp-3", name="Tổ 3", kind="village", category="tổ dân phố",
                   parent_id=son_ha["old:di-lang"].id)
    db.session.add(village)
    db.session.commit()
    login("coordinator")
    form = _form(db, son_ha, commune_id=son_ha["new:son-ha"].id, village_id=village.id)
    refused = client.post("/cadres/new", data=form)
    assert refused.status_code == 400
    assert ("“Trưởng thôn, bản” không dùng cho tổ dân phố Tổ 3: hãy chọn “Tổ trưởng tổ dân phố”"
            in refused.get_data(as_text=True))
    form["position_id"] = _position_id(db, "to-truong-to-dan-pho")
    response = client.post("/cadres/new", data=form)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Tổ trưởng tổ dân phố" in page and "Trưởng thôn" not in page


def test_a_retired_position_stays_with_its_cadre_and_can_be_found(
        client, db, users, login, make_cadre):
    """A cadre left on "Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)" by migration 0008:
    the list filter finds them, the edit form shows their position (not a blank one) and
    keeps it when something else is edited, and offers the two offices to choose from."""
    cadre = make_cadre("Phạm Văn Chủ", gender="M", position="chu-tich-pho-chu-tich-ubnd-xa")
    make_cadre("Đinh Thị Khác")
    login("coordinator")
    retired = _position_id(db, "chu-tich-pho-chu-tich-ubnd-xa")
    listing = client.get("/cadres/").get_data(as_text=True)
    assert f'<option value="{retired}">Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)' \
        in listing
    found = client.get(f"/cadres/?position={retired}").get_data(as_text=True)
    assert "Phạm Văn Chủ" in found and "Đinh Thị Khác" not in found
    page = client.get(f"/cadres/{cadre.id}/edit").get_data(as_text=True)
    assert '<optgroup label="Chức vụ không còn dùng">' \
        f'<option selected value="{retired}">' in page
    assert "Phó Chủ tịch UBND xã</option>" in page
    response = client.post(f"/cadres/{cadre.id}/edit", data={
        "full_name": "Phạm Văn Chủ", "gender": "M", "birth": "1985", "ethnicity_code": "18",
        "position_id": retired, "commune_id": cadre.commune_id, "village_id": "",
        "phone": "0905 000 111"})
    assert response.status_code == 302
    db.session.refresh(cadre)
    assert cadre.position_id == retired and cadre.phone == "0905000111"
