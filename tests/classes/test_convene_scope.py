"""The document convening a class: its kind, number and date, on the class form and page.
The number has the form of Nghị định 30 ("15/QĐ-UBND"); a malformed one is refused at the
field, in Vietnamese, with nothing written."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.classes.models import TrainingClass


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
