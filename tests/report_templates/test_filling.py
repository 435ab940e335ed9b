"""The province's own form, filled: placeholders found (and refused, naming the cell, when they
name no indicator), and the copy filled with everything else kept, read back with openpyxl."""

import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Font, PatternFill, Side

from app.courses.uploads import UploadError
from app.report_templates import example, filling
from app.reports.indicators import LABELS, Figure

MAX = 5 * 1024 * 1024


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _province_form() -> bytes:
    """A form laid out as a province's: a merged, bold heading, a bordered, filled cell for the
    number, a formula using it, a text with a placeholder inside, print settings, two sheets."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu 02"
    sheet.merge_cells("A1:D1")
    sheet["A1"] = "KẾT QUẢ TẬP HUẤN {{ky_bao_cao}}"
    sheet["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    sheet["B3"] = "Lượt nữ"
    sheet["C3"] = "{{luot_nu}}"
    sheet["C3"].font = Font(name="Times New Roman", italic=True, color="FF0000")
    sheet["C3"].fill = PatternFill("solid", fgColor="FFFF00")
    sheet["C3"].border = Border(bottom=Side(style="double"))
    sheet["C3"].number_format = "#,##0"
    sheet["C4"] = "{{luot}}"
    sheet["C5"] = "=C4-C3"
    sheet["C6"] = "{{luot_nu.ty_le}}"
    sheet["B7"] = "Tổng: {{luot}} lượt, trong đó nữ {{luot_nu}} ({{luot_nu.ty_le}}%)"
    sheet.column_dimensions["B"].width = 42
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"
    sheet.print_title_rows = "1:1"
    book.create_sheet("Ghi chú")["A1"] = "Không có gì để điền ở đây"
    return _save(book)


VALUES = filling.values_for(
    {"luot": Figure(1200), "luot_nu": Figure(750, 1200)},
    {"ky_bao_cao": "Năm 2026", "don_vi": "Xã Sơn Kỳ", "tu_ngay": "01/01/2026",
     "den_ngay": "31/12/2026"})


def test_the_filled_copy_keeps_styles_merged_cells_formulas_and_print_settings(app):
    data = _province_form()
    _name, slots = filling.read_template("bieu-02.xlsx", data, MAX)
    assert [(s.sheet, s.cell) for s in slots] == [("Biểu 02", c) for c in
                                                  ("A1", "C3", "C4", "C6", "B7")]
    filled = load_workbook(io.BytesIO(filling.fill(data, slots, VALUES)))
    sheet = filled["Biểu 02"]
    assert sheet["C3"].value == 750 and sheet["C4"].value == 1200  # numbers, not text
    assert sheet["C6"].value == 62.5
    assert sheet["C5"].value == "=C4-C3"  # the formula kept
    assert sheet["A1"].value == "KẾT QUẢ TẬP HUẤN Năm 2026"
    assert sheet["B7"].value == "Tổng: 1.200 lượt, trong đó nữ 750 (62,5%)"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:D1"]
    assert sheet["A1"].font.bold and sheet["A1"].font.size == 14
    c3 = sheet["C3"]
    assert c3.font.italic and c3.font.color.rgb == "00FF0000"
    assert c3.fill.fgColor.rgb == "00FFFF00" and c3.border.bottom.style == "double"
    assert c3.number_format == "#,##0"
    assert sheet.column_dimensions["B"].width == 42
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$1:$1"
    assert filled["Ghi chú"]["A1"].value == "Không có gì để điền ở đây"


def test_an_unknown_indicator_is_refused_naming_its_cell(app):
    book = Workbook()
    book.active.title = "Biểu 02"
    book.active["C12"] = "{{luot_nuu}}"
    book.active["D3"] = "{{luot}}"
    book.active["E4"] = "{{luot.ty_lee}}"
    with pytest.raises(filling.TemplateError) as refused:
        filling.read_template("bieu.xlsx", _save(book), MAX)
    assert refused.value.problems == [
        "Ô E4 (trang “Biểu 02”): không có chỉ tiêu “luot.ty_lee”.",
        "Ô C12 (trang “Biểu 02”): không có chỉ tiêu “luot_nuu”.",
    ]


def test_a_file_that_is_not_a_workbook_or_has_no_placeholder_is_refused(app):
    with pytest.raises(filling.TemplateError, match="không phải bảng tính Excel"):
        filling.read_template("bieu.xlsx", b"%PDF-1.4\n%%EOF", MAX)
    with pytest.raises(filling.TemplateError, match="không phải bảng tính Excel"):
        filling.read_template("bieu.xlsx", "Họ và tên;Xã\n".encode(), MAX)
    book = Workbook()
    book.active["A1"] = "Biểu không có ô nào cần điền"
    with pytest.raises(filling.TemplateError, match="không có ô nào cần điền"):
        filling.read_template("bieu.xlsx", _save(book), MAX)
    with pytest.raises(UploadError, match="rỗng"):
        filling.read_template("bieu.xlsx", b"", MAX)


def test_a_workbook_with_macros_is_refused(app):
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_province_form())) as source, \
            zipfile.ZipFile(data, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    with pytest.raises(UploadError, match="macro"):
        filling.read_template("bieu.xlsx", data.getvalue(), MAX)


def test_the_example_uses_only_indicators_of_the_registry(app):
    data = example.workbook()
    _name, slots = filling.read_template(example.FILENAME, data, MAX)
    names = {n.split(".")[0] for s in slots for n in s.names} - set(filling.FIELDS)
    assert names <= set(LABELS) and "luot_nu" in names
    filled = load_workbook(io.BytesIO(filling.fill(data, slots, VALUES)))
    sheet = filled.active
    assert sheet["D8"].value == 1200 and sheet["D10"].value == "=D8-D9"
    assert sheet.print_title_rows == "$6:$6"
    assert "Biểu mẫu ví dụ" in sheet["A1"].value
    assert sheet["A3"].value == "Kỳ báo cáo: Năm 2026 (từ 01/01/2026 đến 31/12/2026)"


def test_a_mapping_sheet_names_cells_that_hold_nothing_yet(app):
    """A form whose cells must stay as the province sent them: a sheet "taphuan" maps cells to
    names; the cells are filled whatever they hold and the mapping sheet is left out."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu 02"
    sheet.merge_cells("C3:D3")
    sheet["C3"].font = Font(bold=True)
    sheet["C4"] = 0
    sheet["C5"] = "=C3-C4"
    mapping = book.create_sheet("taphuan")
    for row in (["Ô", "Chỉ tiêu"], ["C3", "luot"], ["'Biểu 02'!C4", "{{luot_nu}}"]):
        mapping.append(row)
    data = _save(book)
    _name, slots = filling.read_template("bieu.xlsx", data, MAX)
    assert [(s.cell, s.names, s.mapped) for s in slots] == [
        ("C3", ("luot",), True), ("C4", ("luot_nu",), True)]
    filled = load_workbook(io.BytesIO(filling.fill(data, slots, VALUES)))
    assert filled.sheetnames == ["Biểu 02"]
    sheet = filled["Biểu 02"]
    assert (sheet["C3"].value, sheet["C4"].value, sheet["C5"].value) == (1200, 750, "=C3-C4")
    assert sheet["C3"].font.bold and [str(r) for r in sheet.merged_cells.ranges] == ["C3:D3"]


def test_a_mapping_sheet_is_refused_row_by_row(app):
    book = Workbook()
    book.active.title = "Biểu 02"
    book.active.merge_cells("C3:D3")
    book.active["E5"] = "=1+1"
    mapping = book.create_sheet("TaPhuan")
    for row in (["C3", "luot"], ["D3", "luot"], ["C9", "luot_nuu"], ["Biểu 9!C3", "luot"],
                ["E5", "luot"], ["ở đâu", "luot"]):
        mapping.append(row)
    with pytest.raises(filling.TemplateError) as refused:
        filling.read_template("bieu.xlsx", _save(book), MAX)
    assert refused.value.problems == [
        "Trang “TaPhuan”, dòng 2: ô D3 nằm giữa một ô gộp; hãy ghi ô đầu (trên cùng bên trái) "
        "của ô gộp.",
        "Trang “TaPhuan”, dòng 3 (ô C9): không có chỉ tiêu “luot_nuu”.",
        "Trang “TaPhuan”, dòng 4: không có trang “Biểu 9”.",
        "Trang “TaPhuan”, dòng 5: ô E5 đang có công thức; điền vào đó sẽ xóa công thức.",
        "Trang “TaPhuan”, dòng 6: “ở đâu” không phải tên ô (ví dụ C12 hoặc Biểu 02!C12).",
    ]


def test_text_filled_in_stays_text_never_a_formula(app):
    data = _xlsx_with({"A1": "{{don_vi}}", "A2": "{{ky_bao_cao}} {{luot}}"})
    _name, slots = filling.read_template("bieu.xlsx", data, MAX)
    values = {**VALUES, "don_vi": "=HYPERLINK(\"http://x\")", "ky_bao_cao": "=1+1"}
    sheet = load_workbook(io.BytesIO(filling.fill(data, slots, values))).active
    assert sheet["A1"].data_type == "s" and sheet["A1"].value == "=HYPERLINK(\"http://x\")"
    assert sheet["A2"].data_type == "s"


def _xlsx_with(cells: dict) -> bytes:
    book = Workbook()
    for where, value in cells.items():
        book.active[where] = value
    return _save(book)
