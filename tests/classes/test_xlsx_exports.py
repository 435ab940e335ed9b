"""Every .xlsx the app writes is made for an office (issue 14): numbers are numbers, dates are
dates, a printed sheet fits one page wide on A4 and repeats its header row. Each exported
workbook is opened with openpyxl; a new .xlsx route must be added here, and only the shared
writer (app/core/xlsx.py) makes workbooks."""

import io
import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from tests.classes.test_papers import _admit, _settings

DIGITS = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def _check_print(sheet, header_row):
    setup = sheet.page_setup
    assert str(setup.paperSize) == "9", sheet.title  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0, sheet.title  # one page wide
    if header_row:
        assert sheet.print_title_rows == f"${header_row}:${header_row}", sheet.title
        assert sheet.freeze_panes == f"A{header_row + 1}", sheet.title


def _no_number_as_text(sheet, text_columns=()):
    """No cell holds a number typed as text, but for the columns meant as text (phones)."""
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str) and cell.column_letter not in text_columns:
                assert not DIGITS.match(cell.value), f"{sheet.title}!{cell.coordinate}"


def test_every_xlsx_route_is_checked_here(app):
    routes = sorted(rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".xlsx"))
    assert routes == ["/cadres/export.xlsx", "/cadres/import/template.xlsx",
                      "/certificates/register.xlsx", "/classes/<int:class_id>/admitted.xlsx",
                      "/classes/<int:class_id>/allowance.xlsx",
                      "/classes/<int:class_id>/attendance.xlsx",
                      "/report-forms/<int:template_id>/filled.xlsx",  # the province's layout,
                      "/report-forms/example.xlsx", "/reports/training.xlsx"]  # kept as sent


def test_the_example_form_and_the_training_report(client, login, db, users):
    """The two workbooks of the reports laid out by the app (the province's own form, filled,
    keeps the layout the province sent: tests/report_templates)."""
    login("admin")
    example = load_workbook(io.BytesIO(client.get("/report-forms/example.xlsx").data))
    _check_print(example.worksheets[0], header_row=6)
    login("coordinator")
    report = load_workbook(io.BytesIO(client.get("/reports/training.xlsx?kind=year&year=2026")
                                      .data))
    for sheet in report.worksheets:
        setup = sheet.page_setup
        assert str(setup.paperSize) == "9" and setup.fitToWidth == 1, sheet.title
        assert sheet.print_title_rows, sheet.title  # the header row on every printed page
        _no_number_as_text(sheet)


def test_only_the_shared_writer_makes_workbooks():
    root = Path(__file__).resolve().parents[2] / "app"
    writers = [str(p.relative_to(root)) for p in root.rglob("*.py")
               if re.search(r"\bWorkbook\(|import Workbook|WriteOnlyCell",
                            p.read_text(encoding="utf-8"))]
    assert writers == ["core/xlsx.py"]


def test_cadre_export_and_template(client, login, db, users, son_ha, make_cadre):
    make_cadre("Đinh Thị Hoa", birth_year=1980, birth_date=date(1980, 3, 5),
               phone="0905123456", ethnicity_code="18")
    make_cadre("Đinh Văn Bảy", gender="M", birth_year=1975, phone="0355000111")
    login("coordinator")
    sheet = load_workbook(io.BytesIO(client.get("/cadres/export.xlsx").data)).worksheets[0]
    _check_print(sheet, header_row=1)
    assert sheet.page_setup.orientation == "landscape"
    births = {row[0].value: row[2] for row in sheet.iter_rows(min_row=2)}
    assert births["Đinh Thị Hoa"].value == datetime(1980, 3, 5)
    assert births["Đinh Thị Hoa"].number_format == "dd/mm/yyyy"
    assert births["Đinh Văn Bảy"].value == 1975 and births["Đinh Văn Bảy"].data_type == "n"
    assert {row[7].value for row in sheet.iter_rows(min_row=2)} == {"0905123456", "0355000111"}
    _no_number_as_text(sheet, text_columns="H")

    book = load_workbook(io.BytesIO(client.get("/cadres/import/template.xlsx").data))
    data, help_sheet = book.worksheets
    _check_print(data, header_row=1)
    _check_print(help_sheet, header_row=None)
    example = next(row for row in help_sheet.iter_rows() if row[0].value == "Đinh Văn Bảy")
    assert example[2].is_date and example[7].value == "0905123456"


def test_admitted_list(client, login, db, son_ha, make_class, make_cadre, apply_for):
    _settings(son_ha)
    klass = make_class(capacity=30, communes=("new:son-ky",))
    people = [make_cadre(f"Đinh Thị Người{i}", birth_year=1960 + i) for i in range(25)]
    people.append(make_cadre("Hồ Văn Nam", gender="M", birth_date=date(1988, 6, 1)))
    _admit(db, klass, apply_for, people)
    login("coordinator")
    response = client.get(f"/classes/{klass.id}/admitted.xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    sheet = load_workbook(io.BytesIO(response.data)).active
    head = next(row[0].row for row in sheet.iter_rows() if row[0].value == "STT")
    _check_print(sheet, header_row=head)
    body = [row for row in sheet.iter_rows(min_row=head + 1) if isinstance(row[0].value, int)]
    assert [row[0].value for row in body] == list(range(1, 27))
    years = {row[1].value: row[2].value or row[3].value for row in body}
    assert years["Hồ Văn Nam"] == 1988 and years["Đinh Thị Người0"] == 1960
    assert all(row[2].data_type == "n" for row in body if row[2].value is not None)
    _no_number_as_text(sheet)


def test_attendance_allowance_and_register(client, login, db):
    """The papers of a finished class (the demo's TH-01) and the certificate register: the
    header repeated, one page wide, numbers (counts, days, money) stored as numbers."""
    from sqlalchemy import select

    from app.classes.models import TrainingClass
    from app.demo import load_all

    load_all()
    db.session.commit()
    klass = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "TH-01"))
    login("coordinator", "demo12345")
    for url, first in ((f"/classes/{klass.id}/attendance.xlsx", "STT"),
                       (f"/classes/{klass.id}/allowance.xlsx", "STT"),
                       ("/certificates/register.xlsx", "STT")):
        response = client.get(url)
        assert response.status_code == 200, url
        sheet = load_workbook(io.BytesIO(response.data)).active
        head = next(row[0].row for row in sheet.iter_rows() if row[0].value == first)
        _check_print(sheet, header_row=head)
        body = [row for row in sheet.iter_rows(min_row=head + 1) if isinstance(row[0].value,
                                                                                int)]
        assert len(body) >= 20, url
        _no_number_as_text(sheet)
    money = [cell for row in load_workbook(io.BytesIO(client.get(
        f"/classes/{klass.id}/allowance.xlsx").data)).active.iter_rows() for cell in row
        if isinstance(cell.value, int) and cell.value >= 1000]
    assert money and all(cell.number_format == "#,##0" for cell in money)
