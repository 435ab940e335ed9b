"""Organisation settings: only admins edit them; defaults until saved; the issuer's kind and
unit agree; the page previews the heading as it will print; audited."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.documents.models import DEFAULTS, OrgSetting, org_info


@pytest.fixture()
def form(son_ha):
    return {"issuer_kind": "commune_pc", "unit_id": son_ha["new:son-ha"].id,
            "office_name": "", "head_title": "Chủ tịch", "place_name": "Sơn Hà",
            "number_suffix": "UBND", "drafting_office": "VHXH",
            "signer_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH",
            "signer_name": "Hồ Thị Ký"}


def _preview(page: str) -> list[str]:
    """The heading lines the page lists (in the order they print)."""
    import re

    block = page[page.index('class="visually-hidden heading-lines"'):]
    block = block[:block.index("</ol>")]
    return re.findall(r"<li[^>]*>([^<]*)</li>", block)


def test_admin_edits_settings(client, db, users, login, form):
    assert org_info() == DEFAULTS and db.session.get(OrgSetting, 1) is None
    login("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert _preview(page) == ["ỦY BAN NHÂN DÂN", "XÃ SƠN HÀ"]  # the defaults' heading
    assert "Chưa chọn đơn vị hành chính của cơ quan ban hành" in page
    response = client.post("/admin/settings", data={**form, "signer_name": "", "unit_id": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vui lòng nhập Họ và tên người ký." in page
    assert db.session.get(OrgSetting, 1) is None
    assert client.post("/admin/settings", data=form).status_code == 302
    info = org_info()
    assert (info.issuer_kind, info.unit_title, info.signer_name) == (
        "commune_pc", "xã Sơn Hà", "Hồ Thị Ký")
    assert info.head_phrase == "Chủ tịch Ủy ban nhân dân xã Sơn Hà"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.update"))
    assert entry.data["changes"]["signer_name"][1] == "Hồ Thị Ký"
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Chưa chọn đơn vị hành chính" not in page


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"unit_id": "quang-ngai"}, "unit_id",
     "Ủy ban nhân dân xã phải gắn với một xã (hoặc thị trấn, phường); Tỉnh Quảng Ngãi không "
     "phải."),
    ({"issuer_kind": "province_department", "office_name": "Sở Nông nghiệp và Môi trường"},
     "unit_id", "phải gắn với một tỉnh; Xã Sơn Hà không phải."),
    ({"issuer_kind": "district_pc"}, "unit_id", "phải gắn với một huyện"),
    ({"issuer_kind": "commune_office"}, "office_name",
     "Vui lòng ghi tên phòng, văn phòng hoặc sở ban hành văn bản."),
    ({"office_name": "Phòng Văn hóa - Xã hội"}, "office_name",
     "Ủy ban nhân dân ban hành bằng tên của mình: để trống ô này"),
    ({"unit_id": ""}, "unit_id", "Vui lòng chọn đơn vị hành chính của cơ quan ban hành."),
])
def test_kind_unit_and_office_must_agree(client, db, users, login, form, son_ha, changes,
                                         field, message):
    from app.people.models import Unit

    if changes.get("unit_id") == "quang-ngai":
        changes = {**changes, "unit_id": db.session.scalar(
            select(Unit.id).where(Unit.code == "quang-ngai"))}
    login("admin")
    response = client.post("/admin/settings", data={**form, **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = page[page.index(f'id="{field}-error"'):]
    assert message in error[:error.index("</div>")]
    assert db.session.get(OrgSetting, 1) is None  # nothing written


def test_preview_shows_the_typed_heading_without_saving(client, db, users, login, form,
                                                         son_ha):
    login("admin")
    typed = {**form, "issuer_kind": "commune_office", "office_name": "Phòng Văn hóa - Xã hội",
             "head_title": "Trưởng phòng", "action": "preview"}
    response = client.post("/admin/settings", data=typed)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _preview(page) == ["ỦY BAN NHÂN DÂN XÃ SƠN HÀ", "PHÒNG VĂN HÓA - XÃ HỘI"]
    assert '<li class="fw-bold">PHÒNG VĂN HÓA - XÃ HỘI</li>' in page
    assert 'font-weight="bold">PHÒNG VĂN HÓA - XÃ HỘI</text>' in page  # the drawing
    assert '<li>ỦY BAN NHÂN DÂN XÃ SƠN HÀ</li>' in page  # the parent: upright
    assert db.session.get(OrgSetting, 1) is None


def test_a_saved_row_without_a_unit_asks_for_it_before_printing(db, son_ha):
    """A row the migration could not match to a unit: the heading cannot be written."""
    db.session.add(OrgSetting(id=1, issuer_kind="commune_pc", unit_id=None, office_name="",
                              head_title="Chủ tịch", place_name="Sơn Hà", number_suffix="UBND",
                              drafting_office="", signer_authority="", signer_title="CHỦ TỊCH",
                              signer_name="Đinh Văn Minh"))
    db.session.commit()
    assert "chưa chọn đơn vị hành chính" in org_info().problem()


def test_only_admins(client, users, login):
    login("coordinator")
    assert client.get("/admin/settings").status_code == 403
