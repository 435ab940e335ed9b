"""Reading a cadre list: .xlsx or UTF-8 .csv, recognised by content; rows keyed by column."""
from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from app.core import active_content
from app.i18n_markers import N_
from app.numbers import format_number
from app.people.cadre_file.columns import (
    BIRTH,
    COLUMNS,
    COMMUNE,
    GENDER,
    HEADER_SEARCH_ROWS,
    HELP_SHEET,
    MAX_ROWS,
    NAME,
    NOT_SPREADSHEET,
    PHONE,
    POSITION,
    REQUIRED,
    ROW,
    VILLAGE,
    ImportProblem,
    Problem,
)
from app.vietnamese import fold, format_date, looks_like_legacy_encoding, nfc

LEGACY_FILE = N_(
    "Tệp được gõ bằng bảng mã cũ (TCVN3/.Vn hoặc VNI), không phải Unicode, nên không đọc được "
    "tên các cột: “%(sample)s”. Hãy chuyển mã cả tệp sang Unicode (ví dụ Unikey > Công cụ "
    "chuyển mã, chọn bảng mã nguồn TCVN3 hoặc VNI, đích Unicode) rồi tải lên lại.")


def _header_key(text) -> str:
    """Header text compared without case, spacing, NFC/NFD or a trailing "(hint)"."""
    text = nfc(str(text or "")).casefold()
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[\s*:]+", "", text)


_HEADERS = {_header_key(c): c for c in COLUMNS}
_HEADERS_FOLDED = {re.sub(r"\s+", "", fold(c)): c for c in COLUMNS}
# A few spellings found in real lists.
_HEADERS.update({_header_key(k): v for k, v in {
    "Họ tên": NAME, "Họ và tên đệm và tên": NAME, "Phái": GENDER, "Giới": GENDER,
    "Năm sinh": BIRTH, "Ngày tháng năm sinh": BIRTH, "Ngày, tháng, năm sinh": BIRTH,
    "Chức danh": POSITION, "Chức vụ, chức danh": POSITION, "Thôn": VILLAGE,
    "Bản": VILLAGE, "Thôn, bản": VILLAGE, "Thôn/Bản/Tổ dân phố": VILLAGE,
    "Xã/Thị trấn": COMMUNE, "Xã, thị trấn": COMMUNE, "Xã/Phường": COMMUNE,
    "Điện thoại": PHONE, "SĐT": PHONE, "Số ĐT": PHONE,
}.items()})


def _column_of(header) -> str | None:
    key = _header_key(header)
    if not key:
        return None
    return _HEADERS.get(key) or _HEADERS_FOLDED.get(re.sub(r"\s+", "", fold(
        re.sub(r"\(.*?\)", "", nfc(str(header))))))


# What a cadre list really holds: its 8 columns and a few more (numbering, notes); no cell of
# it is longer than a few hundred characters. Beyond these a file is read no further, whatever
# size its sheet claims (a 1.5 KB .xlsx can claim 1,048,576 rows of 16,384 cells).
MAX_COLUMNS = 40
MAX_CELL_CHARS = 500
READ_SECONDS = 20  # reading longer than this is refused (a hostile or broken file)


def _cell_text(value) -> str:
    """A cell as text: dates as dd/mm/yyyy, whole numbers without ".0"; text longer than
    MAX_CELL_CHARS is cut there (with "…"), so no check downstream works on, or echoes, more."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + "…"


class _Deadline:
    """Refuses a file still being read after READ_SECONDS."""

    def __init__(self):
        self.until = time.monotonic() + READ_SECONDS

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise ImportProblem(_("Đọc tệp quá lâu (hơn %(s)s giây): tệp quá lớn hoặc có cấu "
                                  "trúc bất thường. Hãy chép dữ liệu sang một tệp mới theo mẫu "
                                  "rồi tải lên lại.", s=READ_SECONDS))


_INLINE, _TEXT, _RUN = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("is", "t", "r"))


class _RowParser(WorkSheetParser):
    """openpyxl's row parser, with inline strings read as plain text. openpyxl writes every
    text cell as an inline string (our own export and template included) and reads each one
    back through a rich-text object: that was most of the time spent reading a 20,000-row
    list. The text is the same as openpyxl's (`Text.content`: the plain part, then the
    runs; phonetic hints left out)."""

    def parse_cell(self, element):
        if element.get("t") != "inlineStr":
            return super().parse_cell(element)
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        child = element.find(_INLINE)
        value = None if child is None else "".join(
            [child.findtext(_TEXT) or ""] + [run.findtext(_TEXT) or ""
                                             for run in child.iterfind(_RUN)])
        return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": 0}


def sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    """(row number, values) of the rows an .xlsx worksheet really holds, each cut to its first
    MAX_COLUMNS columns.

    openpyxl's own iteration (`iter_rows`) pads every gap between two rows with empty rows as
    wide as the sheet claims to be: one cell in row 1,048,576 then costs a million rows of
    16,384 cells. Its row parser (`WorkSheetParser`, the one `iter_rows` runs on; openpyxl is
    pinned) yields only the rows written in the file."""
    parent = sheet.parent
    with sheet._get_source() as source:
        parser = _RowParser(source, sheet._shared_strings, data_only=parent.data_only,
                                 epoch=parent.epoch, date_formats=parent._date_formats,
                                 timedelta_formats=parent._timedelta_formats)
        for number, cells in parser.parse():
            values = [None] * min(max((c["column"] for c in cells), default=0), MAX_COLUMNS)
            for cell in cells:
                if cell["column"] <= MAX_COLUMNS:
                    values[cell["column"] - 1] = cell["value"]
            yield number, values


def _is_blank(values: Iterable) -> bool:
    return all(_cell_text(v) == "" for v in values)


# A workbook of 20,000 rows unpacks to a few megabytes; a "zip bomb" of a few hundred
# kilobytes could unpack to gigabytes in the reader's memory.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


def _check_unzipped_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportProblem(_(NOT_SPREADSHEET), readable=False) from exc
    if total > MAX_UNZIPPED_BYTES:
        raise ImportProblem(_("Tệp quá lớn sau khi giải nén (hơn %(mb)s MB); mỗi lần nhập tối "
                              "đa 20.000 dòng. Hãy chia danh sách thành nhiều tệp.",
                              mb=MAX_UNZIPPED_BYTES // 2**20), readable=False)


def _check_active_content(data: bytes) -> None:
    """Links to other workbooks or programs (DDE, external links) refuse the file
    (app/core/active_content.py, the same check as every uploaded Office file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = active_content.office_problem(archive)
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportProblem(_(NOT_SPREADSHEET), readable=False) from exc
    if found:
        raise ImportProblem(active_content.office_message(_("tải lên"), found), readable=False)


def _xlsx_rows(data: bytes) -> Iterator[list[tuple[int, list]]]:
    """For each worksheet (the help sheet excepted): its non-blank rows with their numbers."""
    _check_unzipped_size(data)
    _check_active_content(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign zip
        raise ImportProblem(_(NOT_SPREADSHEET), readable=False) from exc
    try:
        sheets = [ws for ws in book.worksheets if _header_key(ws.title) != _header_key(HELP_SHEET)]
        deadline = _Deadline()
        for sheet in sheets or book.worksheets[:1]:
            rows = []
            for number, values in sheet_rows(sheet):
                deadline.check()
                if not _is_blank(values):
                    rows.append((number, list(values)))
                    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        break
            yield rows
    finally:
        book.close()


def _decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: a CSV in a legacy code page, or no text at all.
    sample = data[:4096]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    if control == 0:
        raise ImportProblem(_(
            "Tệp CSV không ở mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi. Trong Excel, hãy chọn "
            "Lưu thành (Save As) > “CSV UTF-8 (Comma delimited) (*.csv)”, hoặc lưu thành "
            ".xlsx, rồi tải lên lại."), readable=False)
    raise ImportProblem(_(NOT_SPREADSHEET), readable=False)


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    text = _decode_csv(data)
    if "\x00" in text or sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n"):
        raise ImportProblem(_(NOT_SPREADSHEET), readable=False)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in a Vietnamese locale separates with ";": take the most frequent separator.
    delimiter = max(",;\t", key=first_line.count)
    rows, deadline, number = [], _Deadline(), 0
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""),
                                                   delimiter=delimiter), 1):
            deadline.check()
            values = values[:MAX_COLUMNS]
            if not _is_blank(values):
                rows.append((number, values))
                if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    break
    except csv.Error as exc:
        if "field limit" in str(exc):  # one cell of more than csv.field_size_limit() bytes
            raise ImportProblem(_("Dòng %(row)s của tệp có một ô dài bất thường (hơn %(n)s ký "
                                  "tự); một danh sách cán bộ không có ô nào dài như vậy. Hãy "
                                  "kiểm tra lại tệp.", row=number + 1,
                                  n=format_number(csv.field_size_limit()))) from exc
        raise ImportProblem(_(NOT_SPREADSHEET), readable=False) from exc
    return rows


def _find_header(rows: list[tuple[int, list]]) -> int | None:
    """Index (in rows) of the header: the first row naming at least two known columns."""
    for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len({_column_of(v) for v in values} - {None}) >= 2:
            return index
    return None


def _legacy_sample(rows: list[tuple[int, list]]) -> str | None:
    """The first cell of these rows that looks typed in TCVN3/VNI, or None."""
    for _number, values in rows:
        for value in values:
            text = _cell_text(value)
            if text and looks_like_legacy_encoding(text):
                return text[:60]
    return None


def read_table(filename: str, data: bytes) -> list[dict]:
    """Rows of a cadre list as dicts {column: text, ROW: spreadsheet row number}.

    The format is recognised by content, not by the file name (kept for the messages'
    callers). Raises ImportProblem for a file
    that is not a spreadsheet, is empty, or lacks required columns.
    """
    if not data or not data.strip():
        raise ImportProblem(_("Tệp trống, không có dữ liệu."))
    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data)):
        sheets = list(_xlsx_rows(data))
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportProblem(_("Tệp Excel 97-2003 (.xls) chưa được hỗ trợ. Hãy mở tệp trong "
                              "Excel và lưu thành .xlsx (Excel Workbook), rồi tải lên lại."),
                            readable=False)
    else:
        sheets = [_csv_rows(data)]

    chosen, header_at = None, None
    for rows in sheets:
        at = _find_header(rows)
        if at is not None:
            chosen, header_at = rows, at
            break
    header_found = chosen is not None
    if chosen is None:
        chosen = next((rows for rows in sheets if rows), [])
        if not chosen:
            raise ImportProblem(_("Tệp trống, không có dữ liệu."))
        header_at = 0

    header_row, header = chosen[header_at]
    columns: dict[str, int] = {}
    problems = []
    for index, value in enumerate(header):
        column = _column_of(value)
        if column is None:
            continue
        if column in columns:
            problems.append(Problem(header_row, column, _(
                "Cột “%(column)s” có hai lần (cột %(first)s và cột %(second)s).",
                column=column, first=columns[column] + 1, second=index + 1)))
        else:
            columns[column] = index
    missing = [column for column in REQUIRED if column not in columns]
    # Only the header (or, when none was recognised, the rows it was looked for in): a name
    # such as "Müller" further down must not hide a plainly missing column.
    header_rows = chosen[:header_at + 1] if header_found else chosen[:HEADER_SEARCH_ROWS]
    legacy = _legacy_sample(header_rows) if missing else None
    if legacy:  # a whole file typed in an old font: its headers cannot be read either
        raise ImportProblem([Problem(header_row, None, _(LEGACY_FILE, sample=legacy))])
    for column in missing:
        problems.append(Problem(header_row, column, _(
            "Thiếu cột bắt buộc “%(column)s”. Dòng tiêu đề phải có các cột: %(columns)s.",
            column=column, columns=", ".join(COLUMNS))))
    if problems:
        raise ImportProblem(problems)

    body = chosen[header_at + 1:]
    if len(body) > MAX_ROWS:
        raise ImportProblem(_("Tệp có quá nhiều dòng; mỗi lần nhập tối đa %(n)s dòng.",
                              n=format_number(MAX_ROWS)))
    result = []
    for number, values in body:
        row = {column: _cell_text(values[index]) if index < len(values) else ""
               for column, index in columns.items()}
        if all(text == "" for text in row.values()):
            continue  # e.g. a numbered but empty line: only "STT" filled in
        row[ROW] = number
        result.append(row)
    if not result:
        raise ImportProblem(_("Tệp chỉ có dòng tiêu đề (dòng %(row)s), chưa có dòng dữ liệu "
                              "nào.", row=header_row))
    return result
