"""The report's two files, read back: the workbook (openpyxl: one sheet per table, real
headers, number formats, A4 print setup) and the official PDF (Nghị định 30: heading, number,
trích yếu naming the program and period, tables, signer, Nơi nhận); both recorded in the
audit log; bad filters refused as on the dashboard."""

import io
import os

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.classes.models import TrainingClass
from app.programs.models import Program
from tests.documents.pdftext import drawn_text, texts
from tests.reports.test_indicators import data  # noqa: F401 - the hand-built data set


def _sheet_rows(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _table(sheet, first_header: str):
    rows = _sheet_rows(sheet)
    head = next(i for i, r in enumerate(rows) if r[0] == first_header)
    return rows[head], rows[head + 1:], head + 1


def test_the_workbook_has_a_sheet_per_table(client, data, users, login):  # noqa: F811
    login("coordinator")
    response = client.get("/reports/training.xlsx?kind=year&year=2026")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Chỉ tiêu", "Loại hoạt động", "Theo xã", "Theo quý",
                               "Điểm danh theo lớp", "Độ bao phủ"]
    sheet = book["Chỉ tiêu"]
    header, rows, head_row = _table(sheet, "STT")
    assert header == ["STT", "Chỉ tiêu", "Số", "Trên tổng", "Tỷ lệ"]
    by_label = {r[1]: r for r in rows}
    assert by_label["Lượt nữ"][2:] == [3, 5, 0.6]
    assert by_label["Tiền hỗ trợ học viên (đồng)"][2] == 670_000
    women = next(i for i, r in enumerate(rows) if r[1] == "Lượt nữ") + head_row + 1
    assert sheet.cell(row=women, column=5).number_format == "0.0%"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.print_title_rows == f"${head_row}:${head_row}"
    assert any(v == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" for r in _sheet_rows(sheet) for v in r)
    header, rows, _ = _table(book["Theo xã"], "Xã")
    assert header == ["Xã", "Lượt", "Nữ", "Tỷ lệ nữ", "Dân tộc thiểu số", "Tỷ lệ DTTS"]
    assert rows == [["Xã Sơn Kỳ", 4, 2, 0.5, 4, 1.0], ["Xã Sơn Hà", 1, 1, 1.0, 0, 0.0]]
    header, rows, _ = _table(book["Điểm danh theo lớp"], "Mã lớp")
    assert rows == [["A", 9, 12, 0.75]]


def test_the_official_pdf(client, data, users, login, db):  # noqa: F811
    login("coordinator")
    program = db.session.scalar(select(Program).where(Program.code == "mtqg-2026-2035"))
    for klass in db.session.scalars(select(TrainingClass).where(
            TrainingClass.code.in_(("A", "B")))):
        klass.program_id = program.id
    db.session.commit()
    with drawn_text() as runs:
        response = client.get(f"/reports/training.pdf?kind=year&year=2026&program_id="
                              f"{program.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    if os.environ.get("PAPERS_DIR"):
        with open(os.path.join(os.environ["PAPERS_DIR"], "report.pdf"), "wb") as out:
            out.write(response.data)
    text = " ".join(texts(runs))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "ỦY BAN NHÂN DÂN" in text
    assert "Số: ......./BC-UBND" in text
    assert "BÁO CÁO" in text
    assert "Kết quả tập huấn, bồi dưỡng thuộc Chương trình MTQG nông thôn mới" in text
    assert "2026–2035 năm 2026" in text  # the trích yếu names the program and the period
    assert "8 Lượt nữ 3 5 60%" in text and "25 Tiền hỗ trợ học viên (đồng) 670.000" in text
    assert "Lượt nữ" in text and "Xã Sơn Kỳ" in text
    assert "Nơi nhận:" in text and "Đinh Văn Minh" in text


def test_the_files_are_in_the_audit_log(client, data, users, login, db):  # noqa: F811
    login("coordinator")
    client.get("/reports/training.xlsx?kind=year&year=2026")
    client.get("/reports/training.pdf?kind=year&year=2026")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert sorted(e.data["endpoint"] for e in entries) == ["reports.training_pdf",
                                                           "reports.training_xlsx"]
    assert all("kind=year&year=2026" in e.data["query"] for e in entries)


def test_bad_filters_give_no_file(client, db, users, login):
    login("coordinator")
    for url in ("/reports/training.xlsx?kind=custom&start=31/03/2026&end=01/03/2026",
                "/reports/training.pdf?kind=year&year=2026&unit_id=999999",
                "/reports/training.xlsx?kind=year&year=2026&program_id=424242"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.mimetype == "text/html", url


def test_a_period_without_data_gives_zeros(client, db, users, login, son_ha):
    login("coordinator")
    response = client.get("/reports/training.xlsx?kind=year&year=2024")
    book = load_workbook(io.BytesIO(response.data))
    _header, rows, _ = _table(book["Chỉ tiêu"], "STT")
    assert all(r[2] == 0 for r in rows)
    assert client.get("/reports/training.pdf?kind=year&year=2024").status_code == 200
