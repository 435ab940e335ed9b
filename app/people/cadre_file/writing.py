"""Writing cadre lists: the export of a filtered list and the import template (.xlsx)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from openpyxl.styles import Font
from sqlalchemy import select

from app.core import xlsx
from app.extensions import db
from app.people.cadre_file.columns import (
    COLUMN_WIDTHS,
    COLUMNS,
    DATA_SHEET,
    HELP_SHEET,
)
from app.people.ethnicities import ETHNICITIES
from app.people.models import LEVEL_LABELS, Cadre, Position, Unit
from app.vietnamese import format_date

PHONE_COLUMN = COLUMNS.index("Số điện thoại")


def _data_sheet(book):
    sheet = book.create_sheet(DATA_SHEET)
    xlsx.widths(sheet, COLUMN_WIDTHS)
    xlsx.print_setup(sheet, header_row=1, landscape=True)
    xlsx.header(sheet, COLUMNS)
    return sheet


def cadre_values(cadre: Cadre) -> list:
    """One cadre as the template's cells: the birth date as a date (or the year as a number
    when only the year is known), the rest as text (the phone number keeps its 0)."""
    return [
        cadre.full_name, cadre.gender_label,
        cadre.birth_date if cadre.birth_date else cadre.birth_year,
        cadre.ethnicity_name,
        cadre.position.name if cadre.position else "",
        cadre.village.name if cadre.village else "",
        cadre.commune.title if cadre.commune else "",
        cadre.phone or "",
        "Có" if cadre.on_payroll else "Không",
    ]


def write_xlsx(cadres: Iterable[Cadre]) -> bytes:
    """The cadres in the import template's columns, so the file can be imported back."""
    book = xlsx.book(write_only=True)
    sheet = _data_sheet(book)
    for cadre in cadres:
        xlsx.append(sheet, cadre_values(cadre), text_columns=[PHONE_COLUMN])
    return xlsx.to_bytes(book)


INSTRUCTIONS = [
    "Cách điền danh sách cán bộ",
    "1. Điền mỗi cán bộ một dòng ở trang “Danh sách”, giữ nguyên dòng tiêu đề. "
    "Có thể thêm cột khác (ví dụ STT); các cột đó được bỏ qua.",
    "2. Cột bắt buộc: Họ và tên, Giới tính, Ngày sinh, Chức vụ, Xã. "
    "Dân tộc, Thôn/Bản, Số điện thoại, Hưởng lương ngân sách có thể để trống.",
    "3. Giới tính: Nam hoặc Nữ. Ngày sinh: dd/mm/yyyy (ví dụ 05/03/1980), "
    "hoặc chỉ năm sinh (1980) nếu không rõ ngày.",
    "4. Dân tộc: tên theo danh mục 54 dân tộc (Quyết định 1019/QĐ-TCTK), ví dụ Kinh, Hrê, "
    "Xơ Đăng. Chức vụ và Xã: ghi đúng một tên trong các danh sách bên dưới.",
    "5. Thôn/Bản phải thuộc xã đã ghi. Chữ phải là Unicode (không dùng phông TCVN3/.Vn "
    "hay VNI). Nếu lưu CSV, chọn “CSV UTF-8”.",
    "6. Người đã có (cùng họ tên, ngày sinh và xã) được cập nhật, không tạo trùng. "
    "Nếu một dòng có lỗi thì không dòng nào được nhập: hãy sửa hết lỗi rồi tải lên lại.",
    "7. Hưởng lương ngân sách: ghi “Có” nếu cán bộ hưởng lương từ ngân sách nhà nước (không "
    "nhận hỗ trợ tiền ăn khi dự lớp), để trống hoặc ghi “Không” nếu không. Tệp không có cột "
    "này thì giữ nguyên thông tin đã lưu.",
]
EXAMPLE = ["Đinh Văn Bảy", "Nam", date(1985, 3, 15), "Hrê", "Trưởng thôn, bản",
           "", "xã Sơn Kỳ", "0905123456", "Không"]


def template_xlsx(positions: list[Position] | None = None,
                  communes: list[Unit] | None = None) -> bytes:
    """An empty list to fill in, with a help sheet: instructions, an example, the valid
    positions and communes."""
    from app.people.queries import communes as all_communes

    if positions is None:
        positions = list(db.session.scalars(
            select(Position).where(Position.active.is_(True))
            .order_by(Position.sort_order, Position.name)))
    if communes is None:
        communes = all_communes()
    book = xlsx.book(write_only=True)
    _data_sheet(book)
    help_sheet = book.create_sheet(HELP_SHEET)
    xlsx.widths(help_sheet, (34, 44, 30, 16, 40, 22, 22, 16))
    xlsx.print_setup(help_sheet, header_row=None)

    def title(text: str) -> list:
        return [xlsx.cell(help_sheet, text, font=Font(bold=True, size=12))]

    help_sheet.append(title(INSTRUCTIONS[0]))
    for line in INSTRUCTIONS[1:]:
        xlsx.append(help_sheet, [line])
    help_sheet.append([])
    help_sheet.append(title("Ví dụ một dòng"))
    xlsx.header(help_sheet, COLUMNS)
    example = list(EXAMPLE)
    if positions:
        example[4] = positions[0].name
    current = [c for c in communes if c.successor_id is None]
    if current:
        example[6] = current[0].title
    xlsx.append(help_sheet, example, text_columns=[PHONE_COLUMN])
    help_sheet.append([])
    help_sheet.append(title("Chức vụ hợp lệ (cột “Chức vụ”: ghi tên hoặc mã)"))
    help_sheet.append([_bold(help_sheet, "Tên chức vụ"), _bold(help_sheet, "Mã"),
                       _bold(help_sheet, "Cấp")])
    for position in positions:
        xlsx.append(help_sheet, [position.name, position.code,
                                 LEVEL_LABELS.get(position.level, "")])
    help_sheet.append([])
    help_sheet.append(title("Xã hợp lệ (cột “Xã”)"))
    help_sheet.append([_bold(help_sheet, "Xã"), _bold(help_sheet, "Ghi chú")])
    by_id = {c.id: c for c in communes}
    for commune in communes:
        note = ""
        if commune.successor_id is not None:
            successor = by_id.get(commune.successor_id)
            note = (f"Đã sáp nhập vào {successor.title}" if successor else "Đã sáp nhập")
            if commune.valid_to:
                note += f" (còn hiệu lực đến {format_date(commune.valid_to)})"
        xlsx.append(help_sheet, [commune.title, note])
    help_sheet.append([])
    help_sheet.append(title("Dân tộc (cột “Dân tộc”: Quyết định 1019/QĐ-TCTK)"))
    help_sheet.append([_bold(help_sheet, "Tên dân tộc"), _bold(help_sheet, "Mã"),
                       _bold(help_sheet, "Tên gọi khác")])
    for ethnicity in ETHNICITIES:
        xlsx.append(help_sheet, [ethnicity.name, ethnicity.code, "; ".join(ethnicity.aliases)],
                    text_columns=[1])
    return xlsx.to_bytes(book)


def _bold(sheet, value):
    return xlsx.cell(sheet, value, font=xlsx.BOLD)
