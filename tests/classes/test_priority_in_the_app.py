"""Required roles, the village quota and the ethnic-minority weight in the app: the class form,
the preview (notes for what cannot be met), the stored reasons and policy."""

import html
import re

import pytest
from sqlalchemy import func, select

from app.classes import enrolment
from app.classes.models import Application, TrainingClass
from app.people.models import Unit
from tests.classes.conftest import confirm_fields
from tests.classes.test_classes import _form

HEAD = "Trưởng thôn, bản"


@pytest.fixture()
def villages(db, son_ha):
    """Three villages of xã Sơn Kỳ (two under the former xã Sơn Ba, merged into it) and one of
    xã Sơn Hà."""
    made = {}
    for key, name, commune in (("ba1", "Gò Da", "old:son-ba"), ("ba2", "Tà Bần", "old:son-ba"),
                               ("ky1", "Xà Nay", "old:son-ky"), ("ha1", "Làng Rê", "old:son-bao")):
        unit = Unit(code=f"t-{key}", name=name, kind="village", category="thôn",
                    parent_id=son_ha[commune].id)
        db.session.add(unit)
        made[key] = unit
    db.session.commit()
    return made


def _preview(client, klass, **policy):
    base = {"min_women_pct": 50, "weight_woman": 0, "weight_village_leader": 2,
            "weight_not_trained": 1}
    return client.get(f"/classes/{klass.id}/applications", query_string={**base, **policy})


def test_class_form_stores_the_new_policy_parts(client, db, son_ha, users, login):
    login("coordinator")
    response = client.post("/classes/new", data=_form(
        son_ha, users, required_positions=["truong-thon", "ctv-giam-ngheo"],
        min_per_village="1", max_per_village="2", weight_ethnic_minority="0,5"))
    assert response.status_code == 302
    klass = db.session.scalar(select(TrainingClass))
    policy = klass.policy
    assert policy.required_positions == {"truong-thon", "ctv-giam-ngheo"}
    assert (policy.min_per_village, policy.max_per_village) == (1, 2)
    assert policy.weight_ethnic_minority == 0.5
    detail = html.unescape(client.get(f"/classes/{klass.id}").get_data(as_text=True))
    roles = re.search(r'class="col-5 required-roles">(.*?)</dd>', detail).group(1)
    assert roles.split("; ") == [HEAD, "Cộng tác viên giảm nghèo"]
    assert re.search(r'village-quota">từ 1 đến 2</dd>', detail)
    assert "Điểm ưu tiên người dân tộc thiểu số</dt><dd class=\"col-5\">0,5" in detail
    page = client.get(f"/classes/{klass.id}/edit").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="truong-thon"', page) or re.search(
        r'value="truong-thon"[^>]*checked', page)
    assert 'value="0,5"' in page
    # Unticking a role removes it; the other stays.
    response = client.post(f"/classes/{klass.id}/edit", data=_form(
        son_ha, users, required_positions=["ctv-giam-ngheo"], min_per_village="",
        max_per_village=""))
    assert response.status_code == 302
    db.session.expire_all()
    klass = db.session.get(TrainingClass, klass.id)
    assert klass.required_positions == ["ctv-giam-ngheo"]
    detail = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert 'village-quota">không giới hạn</dd>' in detail
    assert (klass.min_per_village, klass.max_per_village) == (0, None)


def test_a_class_without_the_new_fields_gets_the_defaults(client, db, son_ha, users, login):
    login("coordinator")
    data = _form(son_ha, users, weight_woman="0")
    assert client.post("/classes/new", data=data).status_code == 302
    policy = db.session.scalar(select(TrainingClass)).policy
    assert policy.required_positions == frozenset() and policy.min_per_village == 0
    assert policy.max_per_village is None and policy.weight_ethnic_minority == 0


@pytest.mark.parametrize(("overrides", "message"), [
    ({"min_per_village": "3", "max_per_village": "2"},
     "Số người tối đa mỗi thôn (2) phải lớn hơn hoặc bằng số người tối thiểu mỗi thôn (3)."),
    ({"max_per_village": "0"}, "Số người tối đa mỗi thôn phải từ 1 đến 10.000."),
    ({"min_per_village": "-1"}, "Số người tối thiểu mỗi thôn phải từ 0 đến 10.000."),
    ({"required_positions": ["khong-co"]},
     "Không có chức vụ “khong-co” trong danh mục chức vụ."),
    ({"weight_ethnic_minority": "-1"}, "Điểm phải từ 0 đến 100."),
])
def test_class_form_refuses_a_quota_that_cannot_be_and_writes_nothing(
        client, db, son_ha, users, login, overrides, message):
    login("coordinator")
    response = client.post("/classes/new", data=_form(son_ha, users, **overrides))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in page
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 0


def test_applicants_carry_village_position_and_ethnicity(db, make_class, make_cadre, apply_for,
                                                         son_ha, villages):
    klass = make_class()
    in_merged = make_cadre("Đinh Văn Một", gender="M", village_id=villages["ba1"].id)
    kinh = make_cadre("Nguyễn Thị Hai", ethnicity_code="01", position="cong-chuc-khac")
    elsewhere = make_cadre("Hồ Văn Ba", gender="M", village_id=villages["ha1"].id)  # Sơn Hà
    unknown = make_cadre("Phạm Thị Bốn", ethnicity_code=None)
    apps = apply_for(klass, [in_merged, kinh, elsewhere, unknown])
    applicants = enrolment._to_applicants(klass, apps, enrolment.unit_roots())
    first, second, third, fourth = (applicants[a.id] for a in apps)
    assert (first.village_id, first.position, first.ethnic_minority) == (
        villages["ba1"].id, "truong-thon", True)
    assert first.unit_id == son_ha["new:son-ky"].id  # the commune after the merger
    assert (second.village_id, second.position, second.ethnic_minority) == (
        None, "cong-chuc-khac", False)
    assert third.village_id is None  # a village of another commune is not theirs
    assert fourth.ethnic_minority is False


def test_required_role_missing_in_villages_is_said_and_no_seat_left_empty(
        client, db, login, make_class, make_cadre, apply_for, villages):
    klass = make_class(capacity=3)
    head = make_cadre("Đinh Văn Trưởng", gender="M", village_id=villages["ba1"].id)
    others = [make_cadre(f"Đinh Thị Số{i}", position="cong-chuc-khac") for i in range(4)]
    apply_for(klass, [*others, head])
    login("coordinator")
    response = _preview(client, klass, required_positions="truong-thon")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert (f"Chưa có ai là “{HEAD}” (đối tượng bắt buộc) đăng ký ở 3 thôn: thôn Làng Rê, xã "
            "Sơn Hà; thôn Tà Bần, xã Sơn Kỳ; thôn Xà Nay, xã Sơn Kỳ. Các chỗ vẫn được xét chọn "
            "cho người khác, không để trống.") in page
    assert "Đối tượng bắt buộc: 1 / 1 người được triệu tập" in page
    admitted = page[page.index('class="list-group mb-3 preview-admitted"'):]
    admitted = admitted[:admitted.index("</ol>")]
    assert admitted.count('class="list-group-item"') == 3  # every seat taken
    assert admitted.index("Đinh Văn Trưởng") < admitted.index("Đinh Thị Số0")
    assert f"Thuộc đối tượng bắt buộc của lớp ({HEAD}): được xét chọn trước những người khác" \
        in page
    # Confirming stores the policy with its role, and the reasons as previewed.
    assert client.post(f"/classes/{klass.id}/allocation",
                       data=confirm_fields(response.get_data(as_text=True))).status_code == 302
    db.session.expire_all()
    klass = db.session.get(TrainingClass, klass.id)
    assert klass.required_positions == ["truong-thon"] and klass.status == "allocated"
    stored = db.session.scalar(select(Application).where(Application.cadre_id == head.id))
    assert stored.status == "admitted" and stored.reasons[0].startswith(
        "Được xét chọn: thứ 1/3")


def test_a_village_minimum_that_cannot_be_met_is_said(client, db, login, make_class, make_cadre,
                                                      apply_for, villages):
    klass = make_class(capacity=3)
    people = [make_cadre(f"Đinh Văn Gò{i}", gender="M", village_id=villages["ba1"].id)
              for i in range(3)]
    people += [make_cadre(f"Đinh Thị Tà{i}", village_id=villages["ba2"].id) for i in range(2)]
    apply_for(klass, people)
    login("coordinator")
    page = html.unescape(_preview(client, klass, min_per_village=2).get_data(as_text=True))
    assert ("Số chỗ của lớp hoặc số chỗ tối đa của xã không đủ để mỗi thôn có ít nhất 2 người; "
            "1 thôn được chọn ít hơn (trong ngoặc là số người được chọn): thôn Gò Da, xã Sơn Kỳ "
            "(1).") in page
    assert ("Có 2 thôn đăng ký chưa đủ 2 người (số tối thiểu mỗi thôn; trong ngoặc là số người "
            "đăng ký): thôn Làng Rê, xã Sơn Hà (0); thôn Xà Nay, xã Sơn Kỳ (0).") in page
    assert "Số người tối thiểu mỗi thôn: 2; 1 thôn chưa đủ" in page
    admitted = page[page.index("preview-admitted"):page.index("preview-waitlist")]
    assert admitted.count("Đinh Thị Tà") == 2 and admitted.count("Đinh Văn Gò") == 1


def test_preview_refuses_a_village_quota_that_cannot_be_at_the_field(
        client, db, login, make_class, make_cadre, apply_for):
    klass = make_class()
    apply_for(klass, [make_cadre()])
    login("coordinator")
    response = _preview(client, klass, min_per_village=3, max_per_village=1)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Số người tối đa mỗi thôn (1) phải lớn hơn hoặc bằng số người tối thiểu mỗi thôn " \
           "(3)." in page
    assert 'name="fingerprint"' not in page  # nothing to confirm


def test_reasons_name_the_commune_and_the_village(client, db, login, make_class, make_cadre,
                                                  apply_for, son_ha, villages):
    klass = make_class(capacity=2)
    people = [make_cadre(f"Đinh Văn Kỳ{i}", gender="M", village_id=villages["ky1"].id)
              for i in range(3)]
    people.append(make_cadre("Hồ Văn Hà", gender="M", commune=son_ha["new:son-ha"],
                             position="cong-chuc-khac"))
    apply_for(klass, people)
    login("coordinator")
    page = html.unescape(_preview(client, klass, max_per_unit=1, min_women_pct=0)
                         .get_data(as_text=True))
    assert ("Chưa được xét chọn do xã Sơn Kỳ đã đủ 1 người, là số chỗ tối đa của mỗi xã; xếp vào "
            "danh sách chờ") in page
    page = html.unescape(_preview(client, klass, max_per_village=1, min_women_pct=0)
                         .get_data(as_text=True))
    assert ("Chưa được xét chọn do thôn Xà Nay, xã Sơn Kỳ đã đủ 1 người, là số người tối đa của "
            "mỗi thôn; xếp vào danh sách chờ") in page


def test_ethnic_minority_weight_counts_in_the_preview(client, db, login, make_class, make_cadre,
                                                      apply_for):
    klass = make_class(capacity=1)
    kinh = make_cadre("Nguyễn Văn Kinh", gender="M", ethnicity_code="01")
    hre = make_cadre("Đinh Văn Hrê", gender="M")
    apply_for(klass, [kinh, hre])
    login("coordinator")
    page = html.unescape(_preview(client, klass, weight_ethnic_minority="1", min_women_pct=0)
                         .get_data(as_text=True))
    assert "Người dân tộc thiểu số: +1 điểm" in page
    admitted = page[page.index("preview-admitted"):page.index("preview-waitlist")]
    assert "Đinh Văn Hrê" in admitted


def test_confirmed_policy_matches_what_was_previewed(client, db, login, make_class, make_cadre,
                                                     apply_for):
    klass = make_class(capacity=1)
    apply_for(klass, [make_cadre(), make_cadre("Phạm Văn Hai", gender="M")])
    login("coordinator")
    page = _preview(client, klass, required_positions="truong-thon", max_per_village=2,
                    min_per_village=1).get_data(as_text=True)
    fields = confirm_fields(page)
    assert client.post(f"/classes/{klass.id}/allocation", data=fields).status_code == 302
    db.session.expire_all()
    policy = db.session.get(TrainingClass, klass.id).policy
    assert (policy.required_positions, policy.min_per_village, policy.max_per_village) == (
        {"truong-thon"}, 1, 2)
    # A confirmation whose roles were changed by hand is refused, nothing written.
    other = make_class(capacity=1)
    apply_for(other, [make_cadre("Đinh Thị Ba")])
    page = _preview(client, other).get_data(as_text=True)
    fields = confirm_fields(page)
    fields["policy"] = fields["policy"].replace('"required_positions": []',
                                                '"required_positions": ["truong-thon"]')
    response = client.post(f"/classes/{other.id}/allocation", data=fields)
    assert response.status_code == 409
    assert db.session.get(TrainingClass, other.id).status == "open"
    assert enrolment.preview(other, other.policy).result.admitted  # still previewable
