"""Organisation settings: only admins edit them; defaults until saved; audited."""

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.documents.models import DEFAULTS, OrgSetting, org_info

FORM = {"parent_body": "UBND TỈNH QUẢNG NGÃI", "issuing_body": "UBND XÃ SƠN HÀ",
        "issuing_office": "Văn phòng HĐND và UBND xã", "place_name": "Sơn Hà",
        "number_suffix": "UBND", "signer_authority": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Hồ Thị Ký"}


def test_admin_edits_settings(client, db, users, login):
    assert org_info() == DEFAULTS and db.session.get(OrgSetting, 1) is None
    login("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert DEFAULTS.issuing_body in page
    response = client.post("/admin/settings", data={**FORM, "issuing_body": "", "signer_name": ""})
    assert response.status_code == 400
    assert "Vui lòng nhập Cơ quan ban hành." in response.get_data(as_text=True)
    assert db.session.get(OrgSetting, 1) is None
    assert client.post("/admin/settings", data=FORM).status_code == 302
    assert org_info().issuing_body == "UBND XÃ SƠN HÀ" and org_info().signer_name == "Hồ Thị Ký"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.update"))
    assert entry.data["changes"]["signer_name"][1] == "Hồ Thị Ký"


def test_only_admins(client, users, login):
    login("coordinator")
    assert client.get("/admin/settings").status_code == 403
