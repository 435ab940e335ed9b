"""A province's reporting workbook as a report template: read once (checked by its content,
every cell to fill found), then filled for a period and a unit.

The cells to fill hold named placeholders, `{{luot_nu}}`: an indicator of the registry
(`app.reports.indicators.LABELS`, so an indicator added there can be used at once), with
`.mau_so` for its denominator or `.ty_le` for its percentage (`{{luot_nu.ty_le}}`), or one of
the report's own fields (`FIELDS`: the period, the unit, the dates). Instead of (or beside)
placeholders, a sheet named `taphuan` may map cells to names, one a row: the cell ("C12" on the
first sheet, or "Biểu 02!C12") in column A, the name in column B; the cell receives the value
whatever it holds, and the mapping sheet is left out of the filled copy. A cell holding one
placeholder and nothing else receives the number itself (so the sheet's formulas and number
formats work on it); a placeholder inside a text ("Tổng: {{luot}} lượt") is replaced by the
number written the Vietnamese way.

Filling loads the workbook with openpyxl and writes values only: every style, merged cell,
formula, column width, print setting and the other sheets are kept as openpyxl reads them
(openpyxl does not keep shapes drawn on a sheet, such as text boxes; docs/REPORTS.md).

Plain functions: bytes and values in, bytes (or a `TemplateError` naming every cell that is
wrong) out.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from app.core.refusal import Refusal
from app.courses import uploads
from app.i18n_markers import N_
from app.numbers import format_number
from app.reports import indicators
from app.vietnamese import nfc

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]{0,80}?)\s*\}\}")
SUFFIXES = {"mau_so": N_("mẫu số"), "ty_le": N_("tỷ lệ phần trăm")}
FIELDS = {
    "ky_bao_cao": N_("Kỳ báo cáo (ví dụ “Năm 2026”)"),
    "don_vi": N_("Đơn vị báo cáo (toàn tỉnh hoặc tên xã)"),
    "tu_ngay": N_("Ngày đầu kỳ (dd/mm/yyyy)"),
    "den_ngay": N_("Ngày cuối kỳ (dd/mm/yyyy)"),
}
MAX_UNZIPPED = 50 * 1024 * 1024  # a reporting form unpacks to well under a megabyte
MAX_CELLS = 200_000  # cells written in the whole workbook
MAX_PROBLEMS = 20  # cells named in one refusal
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class TemplateError(Refusal):
    status = 400

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message, field="file")
        self.problems = problems or []


MAP_SHEET = "taphuan"  # the optional mapping sheet (compared without case or spaces)
_REFERENCE = re.compile(r"^(?:'?(?P<sheet>[^'!]{1,31})'?!)?\$?(?P<col>[A-Za-z]{1,3})\$?"
                        r"(?P<row>[0-9]{1,7})$")


@dataclass(frozen=True)
class Slot:
    """A cell to fill: its sheet, its coordinate ("C12") and the names it holds; `mapped`:
    named on the mapping sheet (the cell gets the value whatever it holds)."""

    sheet: str
    cell: str
    names: tuple[str, ...]
    mapped: bool = False


def indicator_names() -> dict[str, str]:
    """Every indicator a template may name, with its label (the registry's order)."""
    return dict(indicators.LABELS)


def known(name: str) -> bool:
    base, _dot, suffix = name.partition(".")
    if name in FIELDS:
        return True
    return base in indicators.LABELS and (not suffix or suffix in SUFFIXES)


def _cells(sheet):
    """The cells written in the sheet (not the empty grid its dimension may claim)."""
    return sheet._cells.values()  # noqa: SLF001 - openpyxl's own store; iter_rows pads


def _text(value) -> str | None:
    """The text of a cell that may hold placeholders (plain or rich text); None otherwise."""
    if isinstance(value, str):
        return value
    if value is not None and type(value).__name__ == "CellRichText":
        return str(value)
    return None


def _mapping_sheet(book):
    return next((ws for ws in book.worksheets
                 if ws.title.strip().lower() == MAP_SHEET), None)


def _mapped_slots(book, mapping) -> tuple[list[Slot], list[str]]:
    """The cells the mapping sheet names (column A: the cell, column B: the name); a first
    row that is not a cell reference is a header."""
    slots, problems = [], []
    first = next((ws for ws in book.worksheets if ws is not mapping), None)
    for row in range(1, min(mapping.max_row, 2000) + 1):
        reference = _text(mapping.cell(row, 1).value)
        name = (_text(mapping.cell(row, 2).value) or "").strip().strip("{}").strip()
        if not reference and not name:
            continue
        where = _("Trang “%(sheet)s”, dòng %(row)s", sheet=mapping.title, row=row)
        match = _REFERENCE.match((reference or "").strip())
        if match is None:
            if row > 1:
                problems.append(_("%(where)s: “%(ref)s” không phải tên ô (ví dụ C12 hoặc "
                                  "Biểu 02!C12).", where=where, ref=reference or ""))
            continue
        sheet_name = match.group("sheet")
        target = book[sheet_name] if sheet_name in book.sheetnames else (
            first if sheet_name is None else None)
        if target is None or target is mapping:
            problems.append(_("%(where)s: không có trang “%(sheet)s”.", where=where,
                              sheet=sheet_name or ""))
            continue
        coordinate = f"{match.group('col').upper()}{match.group('row')}"
        if not known(name):
            problems.append(_("%(where)s (ô %(cell)s): không có chỉ tiêu “%(name)s”.",
                              where=where, cell=coordinate, name=name))
            continue
        if isinstance(target[coordinate], MergedCell):
            problems.append(_("%(where)s: ô %(cell)s nằm giữa một ô gộp; hãy ghi ô đầu (trên "
                              "cùng bên trái) của ô gộp.", where=where, cell=coordinate))
            continue
        if target[coordinate].data_type == "f":
            problems.append(_("%(where)s: ô %(cell)s đang có công thức; điền vào đó sẽ xóa "
                              "công thức.", where=where, cell=coordinate))
            continue
        slots.append(Slot(target.title, coordinate, (name,), mapped=True))
    return slots, problems


def find_slots(book) -> tuple[list[Slot], list[str]]:
    """The cells to fill and what is wrong in the placeholders (one line per cell)."""
    slots, problems, seen = [], [], 0
    mapping = _mapping_sheet(book)
    if mapping is not None:
        slots, problems = _mapped_slots(book, mapping)
    for sheet in book.worksheets:
        if sheet is mapping:
            continue
        for cell in sorted(_cells(sheet), key=lambda c: (c.row, c.column)):
            seen += 1
            if seen > MAX_CELLS:
                raise TemplateError(_("Biểu mẫu có quá nhiều ô (hơn %(n)s ô có nội dung).",
                                      n=format_number(MAX_CELLS)))
            if cell.data_type == "f":
                continue  # a formula is kept as it is
            text = _text(cell.value)
            if not text or "{{" not in text:
                continue
            names = tuple(m.group(1) for m in PLACEHOLDER.finditer(text))
            where = _("Ô %(cell)s (trang “%(sheet)s”)", cell=cell.coordinate,
                      sheet=sheet.title)
            if not names:
                problems.append(_("%(where)s: dấu {{ }} chưa đóng hoặc không có tên chỉ tiêu.",
                                  where=where))
                continue
            unknown = [n for n in names if not known(n)]
            if unknown:
                problems.append(_("%(where)s: không có chỉ tiêu “%(name)s”.", where=where,
                                  name="”, “".join(unknown)))
                continue
            slots.append(Slot(sheet.title, cell.coordinate, names))
    return slots, problems


def _open(data: bytes, name: str):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TemplateError(_not_workbook(name)) from exc
    if unpacked > MAX_UNZIPPED:
        raise TemplateError(_("Tệp %(name)s quá lớn sau khi giải nén (hơn %(mb)s MB); một biểu "
                              "báo cáo thường nhỏ hơn nhiều.", name=name,
                              mb=MAX_UNZIPPED // 2**20))
    try:
        return load_workbook(io.BytesIO(data), rich_text=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise TemplateError(_not_workbook(name)) from exc


def _not_workbook(name: str) -> str:
    return _("Tệp %(name)s không phải bảng tính Excel (.xlsx) đọc được. Hãy lưu biểu mẫu của "
             "tỉnh thành .xlsx (Excel Workbook) rồi tải lên lại.", name=name)


def read_template(name: str, data: bytes, max_bytes: int) -> tuple[str, list[Slot]]:
    """Check an uploaded template by its content (an .xlsx without macros or links to other
    files: app/courses/uploads.py, app/core/active_content.py) and find its cells to fill.
    Returns the file's cleaned name and the slots; raises TemplateError (or UploadError)."""
    if data and len(data) <= max_bytes and uploads.sniff(data)[0] != "xlsx":
        shown = nfc(_CONTROL.sub(" ", os.path.basename((name or "").replace("\\", "/"))))
        raise TemplateError(_not_workbook(shown[:120] or "?"))
    checked = uploads.check(name, data, max_bytes)  # empty, too large, macros, links
    book = _open(checked.data, checked.original_name)
    slots, problems = find_slots(book)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(_("… và %(n)s ô khác.", n=len(problems) - MAX_PROBLEMS))
        raise TemplateError(_("Biểu mẫu có ô ghi chỉ tiêu không đúng; chưa lưu gì. Các chỉ tiêu "
                              "dùng được có trong bảng bên dưới."), shown)
    if not slots:
        raise TemplateError(_("Tệp %(name)s không có ô nào cần điền. Hãy ghi vào mỗi ô cần "
                              "điền tên chỉ tiêu trong hai cặp ngoặc nhọn, ví dụ {{luot_nu}}.",
                              name=checked.original_name))
    return checked.original_name, slots


def values_for(figures: Mapping[str, indicators.Figure], fields: Mapping[str, str]) -> dict:
    """The value of every name a template may hold, from the indicators of a scope."""
    out: dict[str, object] = dict(fields)
    for name, figure in figures.items():
        out[name] = figure.value
        out[f"{name}.mau_so"] = figure.of
        percent = figure.percent
        out[f"{name}.ty_le"] = round(percent, 1) if percent is not None else None
    return out


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return format_number(value, 1) if isinstance(value, float) else format_number(value)
    return str(value)


def fill(data: bytes, slots: list[Slot], values: Mapping[str, object]) -> bytes:
    """A copy of the template with its slots filled; everything else as it was."""
    book = load_workbook(io.BytesIO(data), rich_text=True)
    for slot in slots:
        cell = book[slot.sheet][slot.cell]
        text = _text(cell.value) or ""
        whole = PLACEHOLDER.fullmatch(text.strip())
        if slot.mapped or (whole and len(slot.names) == 1):
            cell.value = values.get(slot.names[0])
        else:
            cell.value = PLACEHOLDER.sub(lambda m: _shown(values.get(m.group(1))), text)
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text stays text, never a formula ("=..." included)
    mapping = _mapping_sheet(book)
    if mapping is not None and len(book.worksheets) > 1:
        book.remove(mapping)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
