"""The example template shipped with the app: the training rows of a program report, laid out
as a province's form would be (merged heading cells, borders, a formula, A4 print setup), with
a placeholder in each cell to fill.

It is an example, not a copy of an official form: its rows follow the training results that
Biểu số 02 ("Kết quả thực hiện Chương trình", Phụ lục III, Thông tư 10/2022/TT-BLĐTBXH) asks
a province to report, but the wording, order and columns here are the app's own. A province
uploads its own workbook instead (docs/REPORTS.md)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, Side

from app.core import xlsx

NAME = "Ví dụ: kết quả tập huấn nâng cao năng lực (theo Biểu số 02, TT 10/2022)"
FILENAME = "vi-du-bieu-02-tap-huan.xlsx"
FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ROW = 6
# (number, content, unit, result, share): a share is the percentage placeholder or a formula.
ROWS = [
    ("1", "Số lớp tập huấn, hoạt động nâng cao năng lực đã tổ chức", "lớp", "{{so_hoat_dong}}",
     None),
    ("2", "Số lượt người được tập huấn", "lượt", "{{luot}}", None),
    ("2.1", "Trong đó: nữ", "lượt", "{{luot_nu}}", "{{luot_nu.ty_le}}"),
    ("2.2", "Trong đó: nam (= dòng 2 trừ dòng 2.1)", "lượt", "=D8-D9", None),
    ("2.3", "Trong đó: người dân tộc thiểu số", "lượt", "{{luot_dtts}}", "{{luot_dtts.ty_le}}"),
    ("2.4", "Trong đó: cán bộ chủ chốt cấp thôn", "lượt", "{{luot_lanh_dao_co_so}}",
     "{{luot_lanh_dao_co_so.ty_le}}"),
    ("2.5", "Cán bộ cấp xã", "lượt", "{{luot_cap_commune}}", "{{luot_cap_commune.ty_le}}"),
    ("2.6", "Cán bộ cấp thôn", "lượt", "{{luot_cap_village}}", "{{luot_cap_village.ty_le}}"),
    ("3", "Số người được tập huấn (không tính trùng)", "người", "{{nguoi}}", None),
    ("4", "Số lượt hoàn thành lớp (đủ tỷ lệ tham dự)", "lượt", "{{hoan_thanh}}",
     "{{hoan_thanh.ty_le}}"),
    ("5", "Lượt đăng ký học trực tuyến", "lượt", "{{hoc_truc_tuyen}}", None),
]


def _merged(sheet, cells: str, value, *, bold=False, italic=False, size=12, align="center"):
    sheet.merge_cells(cells)
    first = sheet[cells.split(":")[0]]
    first.value = value
    first.font = Font(name=FONT, bold=bold, italic=italic, size=size)
    first.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)


def build():
    book = xlsx.book()
    sheet = book.active
    sheet.title = "Biểu 02 - Tập huấn"
    _merged(sheet, "A1:F1", "Biểu mẫu ví dụ (theo Biểu số 02, Phụ lục III, Thông tư "
            "10/2022/TT-BLĐTBXH)", italic=True, size=11, align="right")
    _merged(sheet, "A2:F2", "KẾT QUẢ THỰC HIỆN HOẠT ĐỘNG NÂNG CAO NĂNG LỰC (TẬP HUẤN)",
            bold=True, size=14)
    _merged(sheet, "A3:F3", "Kỳ báo cáo: {{ky_bao_cao}} (từ {{tu_ngay}} đến {{den_ngay}})")
    _merged(sheet, "A4:F4", "Đơn vị báo cáo: {{don_vi}}")
    _merged(sheet, "A5:F5", "Biểu ví dụ của phần mềm, không phải bản sao biểu chính thức: "
            "hãy dùng biểu do tỉnh ban hành.", italic=True, size=10)
    sheet.row_dimensions[2].height = 36
    headers = ("TT", "Nội dung", "Đơn vị tính", "Thực hiện trong kỳ", "Tỷ lệ (%)", "Ghi chú")
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, column, text)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    sheet.row_dimensions[HEADER_ROW].height = 32
    for index, (number, content, unit, result, share) in enumerate(ROWS):
        row = HEADER_ROW + 1 + index
        for column, value in enumerate((number, content, unit, result, share, None), start=1):
            cell = sheet.cell(row, column, value)
            cell.font = Font(name=FONT, size=12, bold=number.isdigit())
            cell.border = BOX
            cell.alignment = Alignment(horizontal="left" if column == 2 else "center",
                                       vertical="center", wrap_text=column == 2)
            if column == 4:
                cell.number_format = "#,##0"
            elif column == 5:
                cell.number_format = "0.0"
    last = HEADER_ROW + len(ROWS)
    _merged(sheet, f"D{last + 2}:F{last + 2}", "…, ngày … tháng … năm …", italic=True)
    _merged(sheet, f"A{last + 3}:C{last + 3}", "NGƯỜI LẬP BIỂU", bold=True)
    _merged(sheet, f"D{last + 3}:F{last + 3}", "THỦ TRƯỞNG ĐƠN VỊ", bold=True)
    xlsx.widths(sheet, (7, 48, 10, 14, 11, 14))
    xlsx.print_setup(sheet, HEADER_ROW)
    return book


def workbook() -> bytes:
    return xlsx.to_bytes(build())
