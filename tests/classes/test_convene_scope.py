"""Who may convene whom, with the units valid on the class's dates: a commune convenes its
own cadres; a district (until 30/06/2025) its communes; the province any commune of the
province. The convening document's number has the form of Nghị định 30 ("15/QĐ-UBND").
Refusals come at the field, in Vietnamese, with nothing written."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.classes import service
from app.classes.models import TrainingClass
from app.documents.models import save_settings
from app.people.models import Unit

OLD = (date(2025, 3, 10), date(2025, 3, 11))  # before the 2025 merger
NEW = (date(2026, 12, 1), date(2026, 12, 2))


def _issuer(db, kind, unit, **changes):
    save_settings(None, {"issuer_kind": kind, "unit_id": unit.id,
                         "office_name": changes.pop("office_name", ""),
                         "head_title": "Chủ tịch", "place_name": "Sơn Hà",
                         "number_suffix": "UBND", "drafting_office": "",
                         "signer_authority": "", "signer_title": "CHỦ TỊCH",
                         "signer_name": "Đinh Văn Minh"})
    db.session.commit()


def _unit(db, code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _data(users, units, dates=NEW, **changes):
    return service.ClassData(
        code=changes.pop("code", "TH-01"), title="Lớp thử", place="Hội trường",
        start_date=dates[0], end_date=dates[1], capacity=10,
        trainer_ids=[users["trainer"].id], unit_ids=[u.id for u in units], **changes)


def _refused(users, units, dates=NEW, **changes) -> dict[str, list[str]]:
    with pytest.raises(service.ClassInputError) as caught:
        service.create_class(users["coordinator"], _data(users, units, dates, **changes))
    return caught.value.errors


def test_a_commune_convenes_only_itself(db, son_ha, users):
    _issuer(db, "commune_pc", son_ha["new:son-ha"])
    service.create_class(users["coordinator"], _data(users, [son_ha["new:son-ha"]]))
    errors = _refused(users, [son_ha["new:son-ha"], son_ha["new:son-ky"]], code="TH-02")
    assert errors["unit_ids"] == [
        "Ủy ban nhân dân xã Sơn Hà chỉ triệu tập, mời được cán bộ của xã Sơn Hà; lớp cho "
        "nhiều xã do tỉnh tổ chức (sở hoặc Ủy ban nhân dân tỉnh). Không mời được: xã Sơn Kỳ."]


def test_a_commune_office_has_its_commune_s_scope(db, son_ha, users):
    _issuer(db, "commune_office", son_ha["new:son-ha"], office_name="Phòng Văn hóa - Xã hội")
    errors = _refused(users, [son_ha["new:son-linh"]])
    assert errors["unit_ids"][0].startswith("Phòng Văn hóa - Xã hội chỉ triệu tập, mời được "
                                            "cán bộ của xã Sơn Hà")


def test_the_new_commune_did_not_exist_before_the_merger(db, son_ha, users):
    _issuer(db, "commune_pc", son_ha["new:son-ha"])
    errors = _refused(users, [son_ha["old:son-bao"]], dates=OLD)
    assert errors["unit_ids"] == [
        "Ủy ban nhân dân xã Sơn Hà không có trong thời gian lớp học (10/03/2025 – 11/03/2025): "
        "Xã Sơn Hà có từ 01/07/2025. Lớp này do cơ quan có thẩm quyền lúc đó triệu tập."]


def test_before_the_merger_the_district_convened_its_communes(db, son_ha, users):
    _issuer(db, "district_pc", _unit(db, "son-ha"))
    service.create_class(users["coordinator"], _data(
        users, [son_ha["old:son-ba"], son_ha["old:di-lang"]], dates=OLD))
    errors = _refused(users, [son_ha["new:son-ky"]], code="TH-02")
    assert errors["unit_ids"][0].startswith("Ủy ban nhân dân huyện Sơn Hà không có trong thời "
                                            "gian lớp học (01/12/2026 – 02/12/2026)")
    errors = _refused(users, [son_ha["new:son-ky"]], dates=OLD, code="TH-03")
    assert errors["unit_ids"] == [
        "Xã Sơn Kỳ chỉ có từ 01/07/2025, không có trong thời gian lớp học (10/03/2025 – "
        "11/03/2025).",
        "Ủy ban nhân dân huyện Sơn Hà chỉ mời được các xã, thị trấn của huyện Sơn Hà. Không "
        "mời được: xã Sơn Kỳ."]


def test_the_province_convenes_communes_valid_on_the_class_dates(db, son_ha, users):
    _issuer(db, "province_pc", _unit(db, "quang-ngai"))
    service.create_class(users["coordinator"], _data(
        users, [son_ha["new:son-ha"], son_ha["new:son-ky"], son_ha["new:son-linh"]]))
    service.create_class(users["coordinator"], _data(
        users, [son_ha["old:son-ba"], son_ha["old:son-cao"]], dates=OLD, code="TH-02"))
    errors = _refused(users, [son_ha["old:son-ba"]], code="TH-03")
    assert errors["unit_ids"] == [
        "Xã Sơn Ba chỉ có đến 30/06/2025 (đã sáp nhập vào xã Sơn Kỳ): lớp học 01/12/2026 – "
        "02/12/2026 mời xã Sơn Kỳ."]
    other = Unit(code="kon-tum-xa", name="Đăk Hà", kind="commune", category="xã")
    db.session.add(other)
    db.session.commit()
    errors = _refused(users, [other], code="TH-04")
    assert errors["unit_ids"] == ["Ủy ban nhân dân tỉnh Quảng Ngãi chỉ mời được các xã của "
                                  "tỉnh Quảng Ngãi. Không mời được: xã Đăk Hà."]


def test_without_a_unit_in_the_settings_the_scope_is_not_checked(db, son_ha, users):
    service.create_class(users["coordinator"], _data(
        users, [son_ha["new:son-ha"], son_ha["new:son-ky"]]))


def test_the_class_form_offers_what_the_issuer_may_convene(client, db, son_ha, users, login):
    login("coordinator")

    def offered():
        page = client.get("/classes/new").get_data(as_text=True)
        return {u.title_cap for u in db.session.scalars(select(Unit).where(
            Unit.kind == "commune")) if f">{u.title_cap}</label>" in page
            or f">{u.title_cap} (" in page}

    assert offered() == {"Xã Sơn Hà", "Xã Sơn Hạ", "Xã Sơn Kỳ", "Xã Sơn Linh", "Xã Sơn Thủy"}
    _issuer(db, "commune_pc", son_ha["new:son-ha"])
    assert offered() == {"Xã Sơn Hà"}
    _issuer(db, "district_pc", _unit(db, "son-ha"))
    assert len(offered()) == 14 and "Thị trấn Di Lăng" in offered()


def test_a_refused_unit_is_told_at_the_field_and_nothing_is_written(client, db, son_ha, users,
                                                                     login):
    _issuer(db, "commune_pc", son_ha["new:son-ha"])
    login("coordinator")
    response = client.post("/classes/new", data=_form(son_ha, users))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = page[page.index('id="unit_ids-error"'):]
    assert "Không mời được: xã Sơn Kỳ." in error[:error.index("</div>")]
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 0


def test_editing_an_old_class_is_not_refused_unless_its_units_or_dates_change(
        db, son_ha, users, make_class):
    klass = make_class(communes=("new:son-ha", "new:son-ky"), status="planned")
    _issuer(db, "commune_pc", son_ha["new:son-ha"])
    data = service.ClassData.of(klass)
    data.capacity = 5
    assert service.update_class(users["coordinator"], klass, data)
    data.unit_ids = [son_ha["new:son-ky"].id]
    with pytest.raises(service.ClassInputError) as caught:
        service.update_class(users["coordinator"], klass, data)
    assert "Không mời được: xã Sơn Kỳ." in caught.value.errors["unit_ids"][0]


# --------------------------------------------------------------------------- the document


def _form(son_ha, users, **overrides):
    data = {"code": "TH-2026-01", "title": "Lớp tập huấn giảm nghèo", "course_id": "",
            "place": "Hội trường UBND xã Sơn Hà", "start_date": "2026-12-01",
            "end_date": "2026-12-02", "capacity": "30", "apply_from": "", "apply_until": "",
            "description": "", "trainer_ids": [users["trainer"].id],
            "unit_ids": [son_ha["new:son-ha"].id, son_ha["new:son-ky"].id],
            "min_attendance_pct": "80", "daily_rate": "100000", "min_women_pct": "50",
            "max_per_unit": "", "weight_woman": "3", "weight_village_leader": "2",
            "weight_not_trained": "1", "convene_kind": "decision", "convene_number": "",
            "convene_date": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"convene_number": "15-QĐ-UBND"}, "convene_number",
     "Số văn bản phải có dạng 15/QĐ-UBND: số thứ tự, dấu “/”, chữ viết tắt tên loại văn bản "
     "(QĐ), dấu “-”, ký hiệu cơ quan ban hành."),
    ({"convene_number": "QĐ-UBND"}, "convene_number", "Số văn bản phải có dạng 15/QĐ-UBND"),
    ({"convene_number": "0/QĐ-UBND"}, "convene_number", "Số văn bản phải có dạng 15/QĐ-UBND"),
    ({"convene_number": "15/GM-UBND"}, "convene_number",
     "Số của quyết định có chữ viết tắt QĐ, ví dụ 15/QĐ-UBND; “GM” không phải."),
    ({"convene_kind": "invitation", "convene_number": "15/QĐ-UBND"}, "convene_number",
     "Số của giấy mời có chữ viết tắt GM, ví dụ 15/GM-UBND"),
    ({"convene_date": "02/12/2026"}, "convene_date",
     "Văn bản triệu tập phải ban hành trước khi lớp học bắt đầu (01/12/2026)."),
])
def test_a_malformed_convening_document_is_refused_at_its_field(client, db, son_ha, users,
                                                                login, overrides, field,
                                                                message):
    login("coordinator")
    response = client.post("/classes/new", data=_form(son_ha, users, **overrides))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = page[page.index(f'id="{field}-error"'):]
    assert message in error[:error.index("</div>")]
    if "convene_number" in overrides:
        assert f'value="{overrides["convene_number"]}"' in page  # what was typed stays
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 0


def test_the_convening_document_is_kept_written_the_official_way(client, db, son_ha, users,
                                                                 login):
    login("coordinator")
    response = client.post("/classes/new", data=_form(
        son_ha, users, convene_number=" 15 / qđ-ubnd ", convene_date="20/11/2026"))
    assert response.status_code == 302
    klass = db.session.scalar(select(TrainingClass))
    assert (klass.convene_kind, klass.convene_number, klass.convene_date) == (
        "decision", "15/QĐ-UBND", date(2026, 11, 20))
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Quyết định số 15/QĐ-UBND ngày 20/11/2026" in page
    edit = client.get(f"/classes/{klass.id}/edit").get_data(as_text=True)
    assert 'value="15/QĐ-UBND"' in edit and 'value="20/11/2026"' in edit
    copy = client.get(f"/classes/{klass.id}/copy").get_data(as_text=True)
    assert 'value="15/QĐ-UBND"' not in copy  # a new class, a new paper


def test_the_demo_follows_the_scope_of_its_organisation(db, client, login):
    """`flask demo`: the People's Committee of xã Sơn Hà convenes xã Sơn Hà; the allocated
    classes carry their decision, whose annex prints."""
    from app.demo import load_all
    from app.documents.models import org_info
    from tests.documents.pdftext import drawn_text, texts

    load_all()
    db.session.commit()
    org = org_info()
    assert (org.issuer_kind, org.unit_title) == ("commune_pc", "xã Sơn Hà")
    classes = db.session.scalars(select(TrainingClass).order_by(TrainingClass.code)).all()
    assert {u.title for k in classes for u in k.invited_units} == {"xã Sơn Hà"}
    assert [k.convene_number for k in classes if k.has_seats] == [
        "41/QĐ-UBND", "57/QĐ-UBND", "63/QĐ-UBND"]
    finished = next(k for k in classes if k.status == "finished")
    login("coordinator", "demo12345")
    with drawn_text() as runs:
        response = client.get(f"/classes/{finished.id}/admitted.pdf")
    assert response.status_code == 200
    page = " ".join(texts(runs, 1))
    assert page.startswith("ỦY BAN NHÂN DÂN XÃ SƠN HÀ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert "(Kèm theo Quyết định số 41/QĐ-UBND ngày " in page
