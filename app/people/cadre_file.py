"""Cadre lists as spreadsheets: read (.xlsx / UTF-8 .csv), validate, import, export, template.

Plain domain code (DESIGN.md section 3): no request objects. The columns are the public
contract of DESIGN.md section 4, so that an export can be edited and imported back.

The import is all or nothing: `read_table` and `validate` collect every problem (row, column,
Vietnamese message) before anything is written; `import_rows` only flushes, the caller commits
(or rolls back for a dry run).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from sqlalchemy import select

from app.audit.models import record
from app.extensions import db
from app.people import service
from app.people.ethnicities import ETHNICITIES, by_code, lookup
from app.people.models import LEVEL_LABELS, Cadre, Position, Unit, identity_key
from app.vietnamese import fold, format_date, looks_like_legacy_encoding, nfc

# The header of the import template and of the export, in this order (DESIGN.md section 4).
NAME, GENDER, BIRTH, ETHNICITY, POSITION, VILLAGE, COMMUNE, PHONE = COLUMNS = (
    "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chức vụ", "Thôn/Bản", "Xã",
    "Số điện thoại",
)
REQUIRED = (NAME, GENDER, BIRTH, POSITION, COMMUNE)
ROW = "_row"  # key of the spreadsheet row number in the dicts returned by read_table
DATA_SHEET = "Danh sách"
HELP_SHEET = "Hướng dẫn"
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10  # the header may sit below a title of a few rows

NOT_SPREADSHEET = "Tệp không phải bảng tính .xlsx hoặc .csv UTF-8."
COLUMN_WIDTHS = (30, 10, 13, 14, 40, 22, 22, 16)
# Fields whose column may be left out of a file (the stored value is then kept).
OPTIONAL_FIELDS = {ETHNICITY: "ethnicity_code", VILLAGE: "village_id", PHONE: "phone"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: spreadsheet row (None: the whole file), column, message."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportProblem(Exception):
    """The file as a whole cannot be used. `readable` is False when it is not a spreadsheet."""

    def __init__(self, problems: list[Problem] | str, readable: bool = True):
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        self.problems = problems
        self.readable = readable
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class ValidRow:
    row: int
    data: service.CadreData
    key: str
    present: frozenset[str]  # optional columns present in the file
    commune_choices: frozenset[int] = frozenset()  # same-named units of the same commune
    village_choices: frozenset[int] = frozenset()
    name_all_caps: bool = False


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cadre_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def text(self) -> str:
        return (f"{self.total} dòng: thêm mới {self.created}, cập nhật {self.updated}, "
                f"không đổi {self.unchanged}.")


# --------------------------------------------------------------------------- reading


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


def _cell_text(value) -> str:
    """A cell as text: dates as dd/mm/yyyy, whole numbers without ".0"."""
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
    return str(value).strip()


def _is_blank(values: Iterable) -> bool:
    return all(_cell_text(v) == "" for v in values)


def _xlsx_rows(data: bytes) -> Iterator[list[tuple[int, list]]]:
    """For each worksheet (the help sheet excepted): its non-blank rows with their numbers."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign zip
        raise ImportProblem(NOT_SPREADSHEET, readable=False) from exc
    try:
        sheets = [ws for ws in book.worksheets if _header_key(ws.title) != _header_key(HELP_SHEET)]
        for sheet in sheets or book.worksheets[:1]:
            rows = []
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
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
        raise ImportProblem(
            "Tệp CSV không ở mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi. Trong Excel, hãy chọn "
            "Lưu thành (Save As) > “CSV UTF-8 (Comma delimited) (*.csv)”, hoặc lưu thành "
            ".xlsx, rồi tải lên lại.", readable=False)
    raise ImportProblem(NOT_SPREADSHEET, readable=False)


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    text = _decode_csv(data)
    if "\x00" in text or sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n"):
        raise ImportProblem(NOT_SPREADSHEET, readable=False)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in a Vietnamese locale separates with ";": take the most frequent separator.
    delimiter = max(",;\t", key=first_line.count)
    rows = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""),
                                                   delimiter=delimiter), 1):
            if not _is_blank(values):
                rows.append((number, values))
                if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    break
    except csv.Error as exc:
        raise ImportProblem(NOT_SPREADSHEET, readable=False) from exc
    return rows


def _find_header(rows: list[tuple[int, list]]) -> int | None:
    """Index (in rows) of the header: the first row naming at least two known columns."""
    for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len({_column_of(v) for v in values} - {None}) >= 2:
            return index
    return None


def read_table(filename: str, data: bytes) -> list[dict]:
    """Rows of a cadre list as dicts {column: text, ROW: spreadsheet row number}.

    The format is recognised by content, not by the file name (kept for the messages'
    callers). Raises ImportProblem for a file
    that is not a spreadsheet, is empty, or lacks required columns.
    """
    if not data or not data.strip():
        raise ImportProblem("Tệp trống, không có dữ liệu.")
    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data)):
        sheets = list(_xlsx_rows(data))
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportProblem("Tệp Excel 97-2003 (.xls) chưa được hỗ trợ. Hãy mở tệp trong Excel "
                            "và lưu thành .xlsx (Excel Workbook), rồi tải lên lại.",
                            readable=False)
    else:
        sheets = [_csv_rows(data)]

    chosen, header_at = None, None
    for rows in sheets:
        at = _find_header(rows)
        if at is not None:
            chosen, header_at = rows, at
            break
    if chosen is None:
        chosen = next((rows for rows in sheets if rows), [])
        if not chosen:
            raise ImportProblem("Tệp trống, không có dữ liệu.")
        header_at = 0

    header_row, header = chosen[header_at]
    columns: dict[str, int] = {}
    problems = []
    for index, value in enumerate(header):
        column = _column_of(value)
        if column is None:
            continue
        if column in columns:
            problems.append(Problem(header_row, column, f"Cột “{column}” có hai lần "
                                    f"(cột {columns[column] + 1} và cột {index + 1})."))
        else:
            columns[column] = index
    for column in REQUIRED:
        if column not in columns:
            problems.append(Problem(header_row, column, f"Thiếu cột bắt buộc “{column}”. Dòng "
                                    "tiêu đề phải có các cột: " + ", ".join(COLUMNS) + "."))
    if problems:
        raise ImportProblem(problems)

    body = chosen[header_at + 1:]
    if len(body) > MAX_ROWS:
        raise ImportProblem(f"Tệp có quá nhiều dòng; mỗi lần nhập tối đa {MAX_ROWS:,} dòng."
                            .replace(",", "."))
    result = []
    for number, values in body:
        row = {column: _cell_text(values[index]) if index < len(values) else ""
               for column, index in columns.items()}
        if all(text == "" for text in row.values()):
            continue  # e.g. a numbered but empty line: only "STT" filled in
        row[ROW] = number
        result.append(row)
    if not result:
        raise ImportProblem(f"Tệp chỉ có dòng tiêu đề (dòng {header_row}), chưa có dòng dữ "
                            "liệu nào.")
    return result


# --------------------------------------------------------------------------- validating


def _clean(text: str) -> str:
    return " ".join(nfc(text or "").split())


def _match_key(text: str) -> str:
    return _clean(text).casefold()


_GENDERS = {"nam": "M", "m": "M", "male": "M", "trai": "M",
            "nu": "F", "f": "F", "female": "F", "gai": "F"}
_COMMUNE_ABBREVIATIONS = {"thị trấn": ("tt", "tt."), "xã": ("x.",), "phường": ("p.",)}


class _Lookup:
    """Several names for the same things: exact (NFC, case-insensitive) first, then folded."""

    def __init__(self):
        self.exact: dict[str, set] = {}
        self.folded: dict[str, set] = {}

    def add(self, name: str, item) -> None:
        self.exact.setdefault(_match_key(name), set()).add(item)
        self.folded.setdefault(fold(_clean(name)), set()).add(item)

    def find(self, text: str) -> set:
        return set(self.exact.get(_match_key(text)) or self.folded.get(fold(_clean(text))) or ())


class Reference:
    """Communes, villages and positions, loaded once for a whole file (two queries)."""

    def __init__(self):
        self.positions = list(db.session.scalars(select(Position)))
        units = db.session.scalars(
            select(Unit).where(Unit.kind.in_(("commune", "village")))).all()
        self.units = {u.id: u for u in units}
        self.communes = _Lookup()
        self.position_names = _Lookup()
        self.villages_by_parent: dict[int, list[Unit]] = {}
        for unit in units:
            if unit.kind == "commune":
                self._add_commune(unit)
            else:
                self.villages_by_parent.setdefault(unit.parent_id, []).append(unit)
        self._add_positions()
        self._families: dict[int, frozenset[int]] = {}
        self._village_lookups: dict[int, _Lookup] = {}

    def _add_commune(self, unit: Unit) -> None:
        self.communes.add(unit.name, unit.id)
        self.communes.add(f"{unit.category} {unit.name}", unit.id)
        for short in _COMMUNE_ABBREVIATIONS.get(unit.category, ()):
            self.communes.add(f"{short} {unit.name}", unit.id)

    def _add_positions(self) -> None:
        def parts(name: str) -> list[tuple[str, str]]:
            return [(raw, fold(_clean(raw))) for raw in name.split(",")]

        for position in self.positions:
            self.position_names.add(position.name, position.id)
            self.position_names.add(position.code, position.id)
        # "Trưởng thôn" for "Trưởng thôn, tổ trưởng tổ dân phố": a part of a name is a name
        # too, when no other position has it and it does not begin another position's name.
        for position in self.positions:
            own = parts(position.name)
            if len(own) < 2:
                continue
            for raw, part in own:
                if len(part.split()) < 2 or self.position_names.find(raw):
                    continue
                if any(other.id != position.id and (
                        fold(_clean(other.name)).startswith(part)
                        or part in (p for _r, p in parts(other.name)))
                       for other in self.positions):
                    continue
                self.position_names.add(raw, position.id)
        self._position_folded = [(fold(_clean(p.name)), p.id) for p in self.positions]

    def find_position(self, text: str) -> set[int]:
        """By name, code or a part of the name; else by the beginning of exactly one name."""
        found = self.position_names.find(text)
        if found:
            return found
        folded = fold(_clean(text))
        if len(folded.split()) >= 2:
            return {pid for name, pid in self._position_folded if name.startswith(folded)}
        return set()

    def root(self, unit_id: int) -> int:
        """The unit that carries this one on today (after mergers)."""
        seen = set()
        unit = self.units[unit_id]
        while unit.successor_id is not None and unit.successor_id in self.units \
                and unit.id not in seen:
            seen.add(unit.id)
            unit = self.units[unit.successor_id]
        return unit.id

    def family(self, commune_id: int) -> frozenset[int]:
        """The commune and every unit merged into it, like queries.commune_family_ids."""
        if commune_id not in self._families:
            ids, frontier = {commune_id}, {commune_id}
            while frontier:
                frontier = {u.id for u in self.units.values()
                            if u.kind == "commune" and u.successor_id in frontier} - ids
                ids |= frontier
            self._families[commune_id] = frozenset(ids)
        return self._families[commune_id]

    def villages(self, commune_id: int) -> _Lookup:
        """Villages of the commune's family (as queries.villages_of), by name and title."""
        if commune_id not in self._village_lookups:
            found = _Lookup()
            for parent in self.family(commune_id):
                for village in self.villages_by_parent.get(parent, ()):
                    found.add(village.name, village.id)
                    found.add(f"{village.category} {village.name}", village.id)
            self._village_lookups[commune_id] = found
        return self._village_lookups[commune_id]

    def position(self, position_id: int) -> Position:
        return next(p for p in self.positions if p.id == position_id)


def _legacy(row: dict, column: str, problems: list[Problem]) -> bool:
    text = row.get(column) or ""
    if text and looks_like_legacy_encoding(text):
        problems.append(Problem(row[ROW], column, (
            f"“{text}” bị lỗi phông: chữ gõ bằng bảng mã cũ (TCVN3/VNI), không phải Unicode. "
            "Hãy chuyển mã sang Unicode (ví dụ Unikey > Công cụ chuyển mã) rồi nhập lại.")))
        return True
    return False


def _name(row: dict, problems: list[Problem]) -> tuple[str | None, bool]:
    text = _clean(row.get(NAME, ""))
    if _legacy(row, NAME, problems):
        return None, False
    if not text:
        problems.append(Problem(row[ROW], NAME, "Chưa ghi họ và tên."))
        return None, False
    if len(text) > 120:
        problems.append(Problem(row[ROW], NAME, "Họ và tên dài quá 120 ký tự."))
        return None, False
    if any(ch.isdigit() for ch in text) or not any(ch.isalpha() for ch in text):
        problems.append(Problem(row[ROW], NAME, f"Họ và tên “{text}” không hợp lệ."))
        return None, False
    all_caps = text.isupper() and len(text) > 1
    if all_caps:  # "ĐINH THỊ HOA" -> "Đinh Thị Hoa": Vietnamese names capitalise each word
        text = " ".join(word.capitalize() for word in text.split())
    return text, all_caps


def _gender(row: dict, problems: list[Problem]) -> str | None:
    text = _clean(row.get(GENDER, ""))
    if not text:
        problems.append(Problem(row[ROW], GENDER, "Chưa ghi giới tính (Nam hoặc Nữ)."))
        return None
    gender = _GENDERS.get(fold(text))
    if gender is None:
        problems.append(Problem(row[ROW], GENDER,
                                f"Giới tính “{text}” không hợp lệ; hãy ghi Nam hoặc Nữ."))
    return gender


def _birth(row: dict, problems: list[Problem]) -> tuple[date | None, int | None]:
    text = _clean(row.get(BIRTH, ""))
    if not text:
        problems.append(Problem(row[ROW], BIRTH,
                                "Chưa ghi ngày sinh (dd/mm/yyyy) hoặc năm sinh (yyyy)."))
        return None, None
    try:
        return service.parse_birth(text)
    except ValueError as exc:
        message = str(exc)
        if not message or message.isascii():  # a message from Python itself, not ours
            message = f"Ngày sinh “{text}” không hợp lệ; hãy ghi dd/mm/yyyy hoặc yyyy."
        problems.append(Problem(row[ROW], BIRTH, message))
        return None, None


def _ethnicity(row: dict, problems: list[Problem]) -> str | None:
    text = _clean(row.get(ETHNICITY, ""))
    if not text or _legacy(row, ETHNICITY, problems):
        return None
    found = by_code(text.zfill(2)) if text.isdigit() else lookup(text)
    if found is None:
        problems.append(Problem(row[ROW], ETHNICITY, (
            f"Không có dân tộc “{text}” trong danh mục 54 dân tộc (Quyết định 1019/QĐ-TCTK). "
            "Hãy ghi tên chính thức, ví dụ Kinh, Hrê, Xơ Đăng, hoặc để trống.")))
        return None
    return found.code


def _position(row: dict, ref: Reference, problems: list[Problem]) -> Position | None:
    text = _clean(row.get(POSITION, ""))
    if _legacy(row, POSITION, problems):
        return None
    if not text:
        problems.append(Problem(row[ROW], POSITION, "Chưa ghi chức vụ."))
        return None
    found = ref.find_position(text)
    if len(found) > 1:
        names = sorted(ref.position(pid).name for pid in found)
        problems.append(Problem(row[ROW], POSITION, (
            f"Chức vụ “{text}” chưa rõ: có thể là {'; '.join(names)}. Hãy ghi đủ tên chức vụ.")))
        return None
    if not found:
        problems.append(Problem(row[ROW], POSITION, (
            f"Chức vụ “{text}” không có trong danh mục chức vụ. Xem danh sách chức vụ hợp lệ "
            f"ở trang “{HELP_SHEET}” của tệp mẫu.")))
        return None
    return ref.position(found.pop())


def _commune(row: dict, ref: Reference, problems: list[Problem]) -> tuple[Unit | None, set]:
    text = _clean(row.get(COMMUNE, ""))
    if _legacy(row, COMMUNE, problems):
        return None, set()
    if not text:
        problems.append(Problem(row[ROW], COMMUNE, "Chưa ghi xã."))
        return None, set()
    found = ref.communes.find(text)
    if not found:
        problems.append(Problem(row[ROW], COMMUNE, (
            f"Không tìm thấy xã “{text}”. Xem danh sách xã ở trang “{HELP_SHEET}” của tệp mẫu.")))
        return None, set()
    roots = {ref.root(unit_id) for unit_id in found}
    if len(roots) > 1:
        names = sorted({ref.units[unit_id].title for unit_id in found})
        problems.append(Problem(row[ROW], COMMUNE, (
            f"Tên xã “{text}” chưa rõ: có thể là {' hoặc '.join(names)}. "
            "Hãy ghi đúng tên có dấu.")))
        return None, set()
    # The same name before and after a merger (xã Sơn Hạ): prefer the current unit.
    root = roots.pop()
    chosen = root if root in found else max(
        found, key=lambda i: ref.units[i].valid_to or date.max)
    return ref.units[chosen], found


def _village(row: dict, commune: Unit | None, ref: Reference,
             problems: list[Problem]) -> tuple[int | None, set]:
    text = _clean(row.get(VILLAGE, ""))
    if not text or _legacy(row, VILLAGE, problems) or commune is None:
        return None, set()
    found = ref.villages(commune.id).find(text)
    if not found:
        problems.append(Problem(row[ROW], VILLAGE, (
            f"Không tìm thấy thôn/bản “{text}” thuộc {commune.title}.")))
        return None, set()
    if len(found) > 1:
        # Villages of the same name in communes merged together: the commune's own first.
        own = {v for v in found if ref.units[v].parent_id == commune.id}
        if len(own) == 1:
            return own.pop(), found
        parents = sorted({ref.units[ref.units[v].parent_id].title for v in found
                          if ref.units[v].parent_id in ref.units})
        problems.append(Problem(row[ROW], VILLAGE, (
            f"Có nhiều thôn/bản tên “{text}” ({', '.join(parents)}). Hãy ghi tên xã cũ "
            "vào cột “Xã” để chọn đúng thôn/bản.")))
        return None, set()
    return next(iter(found)), found


def _phone(row: dict, problems: list[Problem]) -> str | None:
    text = _clean(row.get(PHONE, ""))
    if not text:
        return None
    phone = service.normalise_phone(text)
    if phone and len(phone) == 9 and not phone.startswith("0") and text.isdigit():
        phone = "0" + phone  # a number cell in Excel loses the leading zero
    if not phone or not re.fullmatch(r"0\d{9,10}", phone) or re.search(r"[^\d\s.+()-]", text):
        problems.append(Problem(row[ROW], PHONE, (
            f"Số điện thoại “{text}” không hợp lệ; hãy ghi 10 chữ số, ví dụ 0905123456.")))
        return None
    return phone


def validate(rows: list[dict], ref: Reference | None = None,
             ) -> tuple[list[ValidRow], list[Problem]]:
    """Check every row; returns the valid rows and every problem (sorted by row).

    Loads the reference lists once: the number of queries does not grow with the rows.
    """
    ref = ref or Reference()
    present = frozenset(column for column in OPTIONAL_FIELDS if any(column in r for r in rows))
    valid: list[ValidRow] = []
    problems: list[Problem] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        mine: list[Problem] = []
        name, all_caps = _name(row, mine)
        gender = _gender(row, mine)
        born, year = _birth(row, mine)
        ethnicity = _ethnicity(row, mine)
        position = _position(row, ref, mine)
        commune, commune_choices = _commune(row, ref, mine)
        village, village_choices = _village(row, commune, ref, mine)
        phone = _phone(row, mine)
        if mine:
            problems.extend(mine)
            continue
        key = identity_key(name, born, year, ref.root(commune.id))
        if key in first_row_of:
            problems.append(Problem(row[ROW], NAME, (
                f"Trùng với dòng {first_row_of[key]}: cùng họ tên, ngày sinh và xã "
                f"({name}, {_clean(row.get(BIRTH, ''))}). Hãy xóa một trong hai dòng.")))
            continue
        first_row_of[key] = row[ROW]
        data = service.CadreData(
            full_name=name, gender=gender, birth_date=born, birth_year=year,
            ethnicity_code=ethnicity, position_id=position.id, level=position.level,
            commune_id=commune.id, village_id=village, phone=phone)
        valid.append(ValidRow(row=row[ROW], data=data, key=key, present=present,
                              commune_choices=frozenset(commune_choices),
                              village_choices=frozenset(village_choices),
                              name_all_caps=all_caps))
    problems.sort(key=lambda p: (p.row or 0, COLUMNS.index(p.column)
                                 if p.column in COLUMNS else -1))
    return valid, problems


# --------------------------------------------------------------------------- importing


def existing_by_key(keys: list[str], chunk: int = 500) -> dict[str, Cadre]:
    """The cadres having these identity keys (one query per 500 keys)."""
    found: dict[str, Cadre] = {}
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        for cadre in db.session.scalars(select(Cadre).where(Cadre.identity_key.in_(part))
                                        ).unique():
            found[cadre.identity_key] = cadre
    return found


def _merge_with_existing(row: ValidRow, cadre: Cadre) -> service.CadreData:
    """What the file says, keeping what it leaves open: absent columns, the stored spelling of
    an all-capitals name, the stored unit when the file's name fits it, the stored level."""
    data = replace(row.data)
    for column, attribute in OPTIONAL_FIELDS.items():
        if column not in row.present:
            setattr(data, attribute, getattr(cadre, attribute))
    if row.name_all_caps and cadre.full_name.casefold() == data.full_name.casefold():
        data.full_name = cadre.full_name
    if cadre.commune_id in row.commune_choices:
        data.commune_id = cadre.commune_id
    if cadre.village_id is not None and cadre.village_id in row.village_choices:
        data.village_id = cadre.village_id
    if cadre.position_id == data.position_id:
        data.level = cadre.level
    return data


def import_rows(actor, rows: list[ValidRow], dry_run: bool = False) -> Summary:
    """Create or update the cadres of validated rows. Flushes only: the caller commits, or
    rolls back (dry run: the summary says what an import would do)."""
    summary = Summary()
    existing = existing_by_key([r.key for r in rows])
    for row in rows:
        cadre = existing.get(row.key)
        if cadre is None:
            cadre = service.create_cadre(actor, row.data, source="import")
            summary.created += 1
        elif service.update_cadre(actor, cadre, _merge_with_existing(row, cadre),
                                  source="import"):
            summary.updated += 1
        else:
            summary.unchanged += 1
        summary.cadre_ids.append(cadre.id)
    db.session.flush()
    return summary


def record_import(actor, summary: Summary, filename: str, source: str) -> None:
    """The audit entry of one import (the caller commits)."""
    record(actor, "cadre.import", "cadre", None,
           f"Nhập danh sách cán bộ từ tệp {filename}: thêm mới {summary.created}, "
           f"cập nhật {summary.updated}, không đổi {summary.unchanged}",
           data={"file": filename, "source": source, **summary.as_dict()})


def load(filename: str, data: bytes) -> tuple[list[ValidRow], list[Problem]]:
    """read_table + validate; file-level problems are returned like row problems."""
    try:
        rows = read_table(filename, data)
    except ImportProblem as exc:
        return [], exc.problems
    return validate(rows)


# --------------------------------------------------------------------------- writing

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header_cells(sheet) -> list[WriteOnlyCell]:
    cells = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _text_cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value if value != "" else None)
    cell.number_format = "@"  # keep "05/03/1980" and "0905..." as text in Excel
    return cell


def _data_sheet(book: Workbook):
    sheet = book.create_sheet(DATA_SHEET)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append(_header_cells(sheet))
    return sheet


def cadre_values(cadre: Cadre) -> list[str]:
    """One cadre as the template's cells (text)."""
    return [
        cadre.full_name, cadre.gender_label, cadre.birth_text, cadre.ethnicity_name,
        cadre.position.name if cadre.position else "",
        cadre.village.name if cadre.village else "",
        cadre.commune.title if cadre.commune else "",
        cadre.phone or "",
    ]


def write_xlsx(cadres: Iterable[Cadre]) -> bytes:
    """The cadres in the import template's columns, so the file can be imported back."""
    book = Workbook(write_only=True)
    sheet = _data_sheet(book)
    for cadre in cadres:
        sheet.append([_text_cell(sheet, value) for value in cadre_values(cadre)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


INSTRUCTIONS = [
    "Cách điền danh sách cán bộ",
    "1. Điền mỗi cán bộ một dòng ở trang “Danh sách”, giữ nguyên dòng tiêu đề. "
    "Có thể thêm cột khác (ví dụ STT); các cột đó được bỏ qua.",
    "2. Cột bắt buộc: Họ và tên, Giới tính, Ngày sinh, Chức vụ, Xã. "
    "Dân tộc, Thôn/Bản, Số điện thoại có thể để trống.",
    "3. Giới tính: Nam hoặc Nữ. Ngày sinh: dd/mm/yyyy (ví dụ 05/03/1980), "
    "hoặc chỉ năm sinh (1980) nếu không rõ ngày.",
    "4. Dân tộc: tên theo danh mục 54 dân tộc (Quyết định 1019/QĐ-TCTK), ví dụ Kinh, Hrê, "
    "Xơ Đăng. Chức vụ và Xã: ghi đúng một tên trong các danh sách bên dưới.",
    "5. Thôn/Bản phải thuộc xã đã ghi. Chữ phải là Unicode (không dùng phông TCVN3/.Vn "
    "hay VNI). Nếu lưu CSV, chọn “CSV UTF-8”.",
    "6. Người đã có (cùng họ tên, ngày sinh và xã) được cập nhật, không tạo trùng. "
    "Nếu một dòng có lỗi thì không dòng nào được nhập: hãy sửa hết lỗi rồi tải lên lại.",
]
EXAMPLE = ["Đinh Văn Bảy", "Nam", "15/03/1985", "Hrê", "Trưởng thôn, tổ trưởng tổ dân phố",
           "", "xã Sơn Kỳ", "0905123456"]


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
    book = Workbook(write_only=True)
    _data_sheet(book)
    help_sheet = book.create_sheet(HELP_SHEET)
    for index, width in enumerate((34, 44, 30, 16, 40, 22, 22, 16)):
        help_sheet.column_dimensions[chr(ord("A") + index)].width = width

    def title(text: str) -> list:
        cell = WriteOnlyCell(help_sheet, value=text)
        cell.font = Font(bold=True, size=12)
        return [cell]

    help_sheet.append(title(INSTRUCTIONS[0]))
    for line in INSTRUCTIONS[1:]:
        help_sheet.append([line])
    help_sheet.append([])
    help_sheet.append(title("Ví dụ một dòng"))
    help_sheet.append(_header_cells(help_sheet))
    example = list(EXAMPLE)
    if positions:
        example[4] = positions[0].name
    current = [c for c in communes if c.successor_id is None]
    if current:
        example[6] = current[0].title
    help_sheet.append([_text_cell(help_sheet, v) for v in example])
    help_sheet.append([])
    help_sheet.append(title("Chức vụ hợp lệ (cột “Chức vụ”: ghi tên hoặc mã)"))
    help_sheet.append([_bold(help_sheet, "Tên chức vụ"), _bold(help_sheet, "Mã"),
                       _bold(help_sheet, "Cấp")])
    for position in positions:
        help_sheet.append([position.name, position.code, LEVEL_LABELS.get(position.level, "")])
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
        help_sheet.append([commune.title, note])
    help_sheet.append([])
    help_sheet.append(title("Dân tộc (cột “Dân tộc”: Quyết định 1019/QĐ-TCTK)"))
    help_sheet.append([_bold(help_sheet, "Tên dân tộc"), _bold(help_sheet, "Mã"),
                       _bold(help_sheet, "Tên gọi khác")])
    for ethnicity in ETHNICITIES:
        help_sheet.append([ethnicity.name, _text_cell(help_sheet, ethnicity.code),
                           "; ".join(ethnicity.aliases)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bold(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = _BOLD
    return cell
