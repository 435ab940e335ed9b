"""The report templates' pages: who may upload (admin) and fill (coordinators), refusals shown
at the file field with the cells named and nothing saved, the filled copy downloaded (and
written in the audit log), a commune coordinator filling for their commune only."""

import html
import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.report_templates.models import ReportTemplate
from tests.reports.test_indicators import data  # noqa: F401 - the hand-built data set


def _xlsx(cells: dict) -> bytes:
    book = Workbook()
    book.active.title = "Biểu 02"
    for where, value in cells.items():
        book.active[where] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, name, content, filename="bieu-tinh.xlsx"):
    return client.post("/report-forms/", data={"name": name,
                                                    "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _count(db):
    return db.session.scalar(select(func.count(ReportTemplate.id)))


def test_who_may_open_upload_and_fill(client, db, users, login):
    for role, status in (("learner", 403), ("trainer", 403), ("coordinator", 200),
                         ("admin", 200)):
        login(role)
        assert client.get("/report-forms/").status_code == status, role
        client.post("/auth/logout")
    login("coordinator")
    page = client.get("/report-forms/").get_data(as_text=True)
    assert "{{luot_nu}}" in page and 'name="file"' not in page  # the names, no upload form
    assert _upload(client, "Biểu", _xlsx({"C3": "{{luot}}"})).status_code == 403
    assert client.post("/report-forms/example").status_code == 403
    assert _count(db) == 0


def test_refused_templates_name_the_cell_and_save_nothing(client, db, users, login):
    login("admin")
    response = _upload(client, "Biểu của tỉnh", _xlsx({"C12": "{{luot_nuu}}", "D3": "{{luot}}"}))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Ô C12 (trang “Biểu 02”): không có chỉ tiêu “luot_nuu”." in page
    response = _upload(client, "Biểu của tỉnh", b"%PDF-1.4 not a workbook\n%%EOF", "bieu.xlsx")
    assert response.status_code == 400
    assert "không phải bảng tính Excel (.xlsx)" in html.unescape(response.get_data(as_text=True))
    response = _upload(client, "Biểu của tỉnh", _xlsx({"A1": "Không có ô cần điền"}))
    assert response.status_code == 400 and 'id="file-error"' in response.get_data(as_text=True)
    assert _count(db) == 0


def test_a_coordinator_downloads_the_filled_form_and_it_is_audited(client, db, users, login,
                                                                    data):  # noqa: F811
    login("admin")
    response = _upload(client, "Biểu của tỉnh", _xlsx({"C3": "{{luot_nu}}", "C4": "{{luot}}",
                                                       "A1": "Đơn vị: {{don_vi}}"}))
    assert response.status_code == 303
    template = db.session.scalar(select(ReportTemplate))
    assert template.names == ["don_vi", "luot_nu", "luot"]
    client.post("/auth/logout")
    login("coordinator")
    detail = client.get(f"/report-forms/{template.id}").get_data(as_text=True)
    assert "C3" in detail and "luot_nu" in detail
    response = client.get(f"/report-forms/{template.id}/filled.xlsx?kind=year&year=2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert (sheet["C3"].value, sheet["C4"].value) == (3, 5)  # as the dashboard counts 2026
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()[-1]
    assert entry.object_type == "template" and entry.object_id == template.id
    son_ky = data["son_ky"].id
    response = client.get(f"/report-forms/{template.id}/filled.xlsx?kind=year&year=2026"
                          f"&unit_id={son_ky}")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["C4"].value == 4 and sheet["A1"].value == "Đơn vị: Xã Sơn Kỳ"
    bad = client.get(f"/report-forms/{template.id}/filled.xlsx?kind=custom"
                     "&start=31/03/2026&end=01/03/2026")
    assert bad.status_code == 400 and "Ngày kết thúc" in bad.get_data(as_text=True)


def test_a_commune_coordinator_fills_for_their_commune_only(client, db, users, login, make_user,
                                                            son_ha, data):  # noqa: F811
    login("admin")
    assert client.post("/report-forms/example").status_code == 303
    template = db.session.scalar(select(ReportTemplate))
    client.post("/auth/logout")
    make_user("dieuphoi_son_ky", roles=("coordinator",), unit_id=son_ha["new:son-ky"].id)
    login("dieuphoi_son_ky")
    url = f"/report-forms/{template.id}/filled.xlsx?kind=year&year=2026"
    sheet = load_workbook(io.BytesIO(client.get(url).data)).active
    assert sheet["D8"].value == 4 and sheet["A4"].value == "Đơn vị báo cáo: Xã Sơn Kỳ"
    other = son_ha["new:son-ha"].id
    assert client.get(f"{url}&unit_id={other}").status_code == 400


def test_the_admin_deletes_a_template(client, db, users, login):
    login("admin")
    client.post("/report-forms/example")
    template = db.session.scalar(select(ReportTemplate))
    assert client.post(f"/report-forms/{template.id}/delete").status_code == 303
    assert _count(db) == 0


def test_a_name_taken_is_refused_at_the_name(client, db, users, login):
    login("admin")
    assert _upload(client, "Biểu của tỉnh", _xlsx({"C3": "{{luot}}"})).status_code == 303
    again = _upload(client, "Biểu của tỉnh", _xlsx({"C3": "{{luot}}"}))
    assert again.status_code == 409
    page = html.unescape(again.get_data(as_text=True))
    assert 'id="name-error"' in page and "Đã có biểu mẫu mang tên này" in page
    assert _count(db) == 1


def test_the_example_file_shows_how_cells_are_marked(client, db, users, login):
    login("coordinator")
    response = client.get("/report-forms/example.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["D9"].value == "{{luot_nu}}" and "ví dụ" in sheet["A1"].value
