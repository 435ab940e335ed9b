"""Numbers typed the Vietnamese way in the class form and the allocation preview: "," is the
decimal mark, "." (or a space) groups thousands, money may end in "đ"; what cannot be read
for sure is refused at the field, with the typed text kept and nothing written."""

import html
import json
import re

import pytest
from sqlalchemy import func, select

from app.classes.models import TrainingClass
from tests.classes.conftest import confirm_fields
from tests.classes.test_classes import _form


def _field_error(page: str, name: str) -> str | None:
    """The error text shown under the field `name`, or None."""
    match = re.search(rf'id="{name}-error"[^>]*>\s*(.*?)\s*</div>', page, re.S)
    return match.group(1) if match else None


def _input(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(TrainingClass))


@pytest.mark.parametrize("typed, amount", [
    ("100.000", 100_000), ("100 000", 100_000), ("100\u00a0000", 100_000),
    ("100.000 đ", 100_000), ("100.000đ", 100_000), ("100000", 100_000),
    ("1.200.000", 1_200_000), ("150.000 đồng", 150_000), ("150.000 VND", 150_000),
])
def test_money_is_read_as_typed(client, db, login, son_ha, users, typed, amount):
    login("coordinator")
    response = client.post("/classes/new", data=_form(son_ha, users, daily_rate=typed))
    assert response.status_code == 302, _field_error(response.get_data(as_text=True),
                                                     "daily_rate")
    assert db.session.scalar(select(TrainingClass.daily_rate)) == amount


def test_decimals_with_a_comma_are_kept_and_shown_back(client, db, login, son_ha, users):
    login("coordinator")
    response = client.post("/classes/new", data=_form(
        son_ha, users, capacity="1.200", weight_woman="2,5", weight_village_leader="1.5",
        weight_not_trained="0,5", min_women_pct="40%", min_attendance_pct="75",
        max_per_unit="5", daily_rate="100.000 đ"))
    assert response.status_code == 302
    klass = db.session.scalar(select(TrainingClass))
    assert (klass.weight_woman, klass.weight_village_leader, klass.weight_not_trained) == (
        2.5, 1.5, 0.5)
    assert (klass.capacity, klass.daily_rate, klass.max_per_unit) == (1200, 100_000, 5)
    assert (klass.policy_percent(), klass.min_attendance_pct) == (40, 75)
    page = client.get(f"/classes/{klass.id}/edit").get_data(as_text=True)
    assert 'value="2,5"' in _input(page, "weight_woman")
    assert 'value="1,5"' in _input(page, "weight_village_leader")
    assert 'value="0,5"' in _input(page, "weight_not_trained")
    assert 'value="100.000"' in _input(page, "daily_rate")
    assert 'value="1.200"' in _input(page, "capacity")
    assert 'inputmode="decimal"' in _input(page, "weight_woman")
    assert 'inputmode="numeric"' in _input(page, "capacity")
    assert 'type="number"' not in page  # the browser would refuse "1,5"
    # the edit form posts back what it shows
    response = client.post(f"/classes/{klass.id}/edit", data=_form(
        son_ha, users, code=klass.code, capacity="1.200", daily_rate="100.000",
        weight_woman="3,5", weight_village_leader="1,5", weight_not_trained="0,5",
        min_women_pct="40", max_per_unit="5"))
    assert response.status_code == 302
    db.session.expire_all()
    klass = db.session.get(TrainingClass, klass.id)
    assert (klass.weight_woman, klass.daily_rate, klass.capacity) == (3.5, 100_000, 1200)
    detail = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "100.000 đ" in detail and "1.200" in detail


BAD = [
    # field, typed, message (shown at that field)
    ("capacity", "-5", "Số chỗ phải là số nguyên lớn hơn 0."),
    ("capacity", "1,5", "Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như 30."),
    ("capacity", "ba mươi", "Không đọc được số “ba mươi”; hãy ghi như 30."),
    ("capacity", "1.20", "Không đọc được số “1.20”; hãy ghi như 30."),
    ("daily_rate", "-100.000", "Mức hỗ trợ từ 0 đến 10.000.000 đồng."),
    ("daily_rate", "đ", "Không đọc được số “đ”; hãy ghi như 100.000 đ."),
    ("daily_rate", "1,2,3", "Không đọc được số “1,2,3”; hãy ghi như 100.000 đ."),
    ("daily_rate", "100.000,5",
     "Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như 100.000 đ."),
    ("daily_rate", "100,000",
     "Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như 100.000 đ."),
    ("daily_rate", "1e5", "Không đọc được số “1e5”; hãy ghi như 100.000 đ."),
    ("min_women_pct", "50,5", "Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như 50."),
    ("min_women_pct", "120", "Tỷ lệ nữ phải từ 0 đến 100."),
    ("min_attendance_pct", "-1", "Tỷ lệ phải từ 0 đến 100."),
    ("max_per_unit", "0", "Số chỗ tối đa mỗi xã phải từ 1 đến 10.000."),
    ("max_per_unit", "99.999.999.999", "Số chỗ tối đa mỗi xã phải từ 1 đến 10.000."),
    ("max_per_unit", "2,5", "Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như 5."),
    ("weight_woman", "2,25", "Chỉ ghi tối đa 1 chữ số sau dấu phẩy, như 1,5."),
    ("weight_woman", "1.200", "Không rõ “1.200” là 1200 hay 1,2; hãy ghi 1200 hoặc 1,2."),
    ("weight_woman", "2,500", "Không rõ “2,500” là 2500 hay 2,5; hãy ghi 2500 hoặc 2,5."),
    ("weight_woman", "-1", "Điểm phải từ 0 đến 100."),
    ("weight_woman", "nhiều", "Không đọc được số “nhiều”; hãy ghi như 1,5."),
    ("weight_not_trained", "1,2,3", "Không đọc được số “1,2,3”; hãy ghi như 1,5."),
    ("weight_village_leader", "1.5.0", "Không đọc được số “1.5.0”; hãy ghi như 1,5."),
]


@pytest.mark.parametrize("name, typed, message", BAD)
def test_bad_numbers_are_refused_at_the_field(client, db, login, son_ha, users, name, typed,
                                              message):
    login("coordinator")
    response = client.post("/classes/new", data=_form(son_ha, users, **{name: typed}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, name) == message
    assert f'value="{typed}"' in _input(page, name)  # what was typed stays
    assert "Not a valid" not in page
    assert _count(db) == 0


def test_a_blank_optional_field_shows_no_error_when_another_field_is_wrong(
        client, db, login, son_ha, users):
    login("coordinator")
    for blank in ("", "   "):
        response = client.post("/classes/new", data=_form(son_ha, users, max_per_unit=blank,
                                                          capacity="abc"))
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert _field_error(page, "capacity") is not None
        assert _field_error(page, "max_per_unit") is None
        assert "is-invalid" not in _input(page, "max_per_unit")
        assert "Hãy nhập một số nguyên." not in page
    assert _count(db) == 0


def test_base_form_leaves_a_field_cleared_by_optional_without_error(app):
    """The cause of the stray "Hãy nhập một số nguyên.": BaseForm.validate put a field's
    unreadable-text error back after `Optional` had cleared it for a blank field."""
    from werkzeug.datastructures import MultiDict
    from wtforms import IntegerField, StringField
    from wtforms.validators import DataRequired, Optional

    from app.core.forms import BaseForm

    class Form(BaseForm):
        class Meta:
            csrf = False

        name = StringField(validators=[DataRequired()])
        cap = IntegerField(validators=[Optional()])  # "" cannot be read: a process error

    with app.test_request_context():
        form = Form(MultiDict({"name": "", "cap": ""}))
        assert not form.validate()
        assert form.name.errors and form.cap.errors == []
        form = Form(MultiDict({"name": "x", "cap": "abc"}))
        assert not form.validate() and len(form.cap.errors) == 1


def test_a_blank_required_number_asks_for_it(client, db, login, son_ha, users):
    login("coordinator")
    response = client.post("/classes/new", data=_form(son_ha, users, capacity="",
                                                      weight_woman=" "))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, "capacity") == "Vui lòng nhập số chỗ."
    assert _field_error(page, "weight_woman") == "Vui lòng nhập điểm."
    assert _count(db) == 0


def test_a_bad_number_in_the_edit_form_changes_nothing(client, db, login, son_ha, users,
                                                       make_class):
    klass = make_class(status="planned", weight_woman=3.0, daily_rate=100_000)
    login("coordinator")
    response = client.post(f"/classes/{klass.id}/edit", data=_form(
        son_ha, users, code=klass.code, title="Đổi tên", daily_rate="150.000",
        weight_woman="2,75"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, "weight_woman") == "Chỉ ghi tối đa 1 chữ số sau dấu phẩy, như 1,5."
    assert 'value="2,75"' in _input(page, "weight_woman")
    db.session.expire_all()
    klass = db.session.get(TrainingClass, klass.id)
    assert (klass.title, klass.daily_rate, klass.weight_woman) == (
        "Lớp tập huấn thử", 100_000, 3.0)


# --- the allocation preview's policy (GET) ---------------------------------------------------


@pytest.fixture()
def applied(make_class, make_cadre, apply_for):
    klass = make_class(capacity=1)
    apply_for(klass, [make_cadre("Đinh Thị Hoa"), make_cadre("Phạm Văn Một", gender="M")])
    return klass


def _policy(**overrides):
    policy = {"min_women_pct": "50", "max_per_unit": "", "weight_woman": "3",
              "weight_village_leader": "2", "weight_not_trained": "1"}
    policy.update(overrides)
    return policy


def test_preview_policy_reads_decimal_commas(client, login, applied):
    login("coordinator")
    response = client.get(f"/classes/{applied.id}/applications", query_string=_policy(
        weight_woman="2,5", weight_village_leader="0,5", min_women_pct="40%"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nữ: +2,5 điểm" in page and "Cán bộ cấp thôn: +0,5 điểm" in page
    assert 'value="2,5"' in _input(page, "weight_woman")
    policy = json.loads(confirm_fields(page)["policy"])
    assert (policy["weight_woman"], policy["min_women_share"]) == (2.5, 0.4)


@pytest.mark.parametrize("name, typed, message", [
    ("weight_woman", "2,25", "Chỉ ghi tối đa 1 chữ số sau dấu phẩy, như 1,5."),
    ("weight_woman", "1,2,3", "Không đọc được số “1,2,3”; hãy ghi như 1,5."),
    ("weight_village_leader", "-1", "Điểm phải từ 0 đến 100."),
    ("min_women_pct", "50,5", "Hãy nhập số nguyên, không có phần thập phân (dấu phẩy), như 50."),
    ("max_per_unit", "abc", "Không đọc được số “abc”; hãy ghi như 5."),
])
def test_preview_policy_refuses_bad_numbers_at_the_field(client, login, applied, name, typed,
                                                         message):
    login("coordinator")
    response = client.get(f"/classes/{applied.id}/applications",
                          query_string=_policy(**{name: typed}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, name) == message
    assert f'value="{typed}"' in _input(page, name)
    assert 'name="fingerprint"' not in page  # no confirming a policy not shown
    assert page.count(html.escape(message, quote=False)) == 1  # at the field, not again above


def test_preview_blank_cap_is_no_error_when_a_weight_is_wrong(client, login, applied):
    login("coordinator")
    response = client.get(f"/classes/{applied.id}/applications",
                          query_string=_policy(max_per_unit="", weight_woman="abc"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, "weight_woman") is not None
    assert _field_error(page, "max_per_unit") is None


def test_number_messages_are_shown_in_english_on_english_pages(client, db, login, son_ha,
                                                              users):
    client.set_cookie("lang", "en")
    login("coordinator")
    response = client.post("/classes/new", data=_form(
        son_ha, users, capacity="ba mươi", weight_woman="1.200", daily_rate="100.000,5",
        max_per_unit="0"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, "capacity") == "Cannot read the number “ba mươi”; write it as in 30."
    assert _field_error(page, "weight_woman") == (
        "It is not clear whether “1.200” is 1200 or 1,2 (decimal comma); write 1200 or 1,2.")
    assert _field_error(page, "daily_rate") == (
        "Enter a whole number, without a decimal part (comma), as in 100.000 đ.")
    assert _field_error(page, "max_per_unit") == (
        "Maximum seats per commune must be from 1 to 10.000.")
    assert _count(db) == 0
