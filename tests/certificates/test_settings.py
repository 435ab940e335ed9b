"""The certificate settings on /admin/settings: the number pattern and the signer."""

import pytest

from app.documents.models import org_info
from tests.documents.test_settings import form  # noqa: F401 - the settings form fixture


@pytest.mark.parametrize("pattern", ["GCN-UBND", "{số}/{số}/GCN", "{số}/gcn", "{số} GCN",
                                     "{so}/GCN"])
def test_a_pattern_without_one_serial_number_or_with_odd_characters_is_refused(
        client, users, login, form, pattern):  # noqa: F811
    login("admin")
    response = client.post("/admin/settings", data={**form, "certificate_pattern": pattern})
    assert response.status_code == 400
    assert "Mẫu số giấy chứng nhận phải có đúng một “{số}”" in response.get_data(as_text=True)
    assert org_info().certificate_pattern == "{số}/GCN-UBND"


def test_the_admin_sets_the_pattern_and_a_signer_of_certificates(client, users, login,
                                                                 form):  # noqa: F811
    login("admin")
    response = client.post("/admin/settings", data={
        **form, "certificate_pattern": "{số}/{năm}/GCN-UBND",
        "certificate_signer_authority": "", "certificate_signer_title": "CHỦ TỊCH",
        "certificate_signer_name": "Phạm Văn Lý"})
    assert response.status_code == 302
    info = org_info()
    assert info.certificate_number(15, 2026) == "015/2026/GCN-UBND"
    assert info.certificate_signer == ("", "CHỦ TỊCH", "Phạm Văn Lý")


def test_a_certificate_signer_needs_a_title_and_empty_means_the_papers_signer(
        client, users, login, form):  # noqa: F811
    login("admin")
    response = client.post("/admin/settings", data={
        **form, "certificate_signer_name": "Phạm Văn Lý", "certificate_signer_title": ""})
    assert response.status_code == 400
    assert "Vui lòng ghi chức vụ người ký giấy chứng nhận" in response.get_data(as_text=True)
    assert client.post("/admin/settings", data=form).status_code == 302
    assert org_info().certificate_signer == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hồ Thị Ký")
    assert org_info().certificate_pattern == "{số}/GCN-UBND"  # left empty: the default
