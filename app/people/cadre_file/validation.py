"""Validating every row of a cadre list before anything is written (no query per row)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.people import service
from app.people.cadre_file.columns import (
    BIRTH,
    COLUMNS,
    COMMUNE,
    ETHNICITY,
    GENDER,
    HELP_SHEET,
    NAME,
    OPTIONAL_FIELDS,
    PAYROLL,
    PAYROLL_NO,
    PAYROLL_YES,
    PHONE,
    POSITION,
    ROW,
    VILLAGE,
    Problem,
    ValidRow,
)
from app.people.cadre_file.matching import match_by_year
from app.people.ethnicities import lookup
from app.people.models import Position, Unit, identity_key
from app.people.reference import ALIASES, VILLAGE_PAIRS, position_code_for_village
from app.vietnamese import fold, looks_like_legacy_encoding, nfc, title_case_name


def _clean(text: str) -> str:
    return " ".join(nfc(text or "").split())


def _no_commas(text: str) -> str:
    """"Cô đỡ thôn bản" is "Cô đỡ thôn, bản": position names are matched without commas."""
    return _clean(text.replace(",", " "))


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
        self.communes.add(unit.title, unit.id)
        for short in _COMMUNE_ABBREVIATIONS.get(unit.category, ()):
            self.communes.add(f"{short} {unit.name}", unit.id)

    def _add_positions(self) -> None:
        """Every position by its name and code; old names and short names (reference.ALIASES);
        the beginning of exactly one name among the positions still offered."""
        self.positions_by_code = {p.code: p for p in self.positions}
        for position in self.positions:
            self.position_names.add(_no_commas(position.name), position.id)
            self.position_names.add(position.code, position.id)
        for alias, code in ALIASES.items():
            if code in self.positions_by_code and not self.position_names.find(
                    _no_commas(alias)):
                self.position_names.add(_no_commas(alias), self.positions_by_code[code].id)
        self._position_folded = [(fold(_no_commas(p.name)), p.id) for p in self.positions
                                 if p.active]

    def find_position(self, text: str, village: Unit | None = None) -> set[int]:
        """By name, code or alias; else by the beginning of exactly one name. An office named
        for each kind of village (Trưởng thôn, bản / Tổ trưởng tổ dân phố) is the one of the
        row's village, the thôn one without a village (as migration 0008)."""
        text = _no_commas(text)
        found = self.position_names.find(text)
        if not found:
            folded = fold(text)
            if len(folded.split()) >= 2:
                found = {pid for name, pid in self._position_folded if name.startswith(folded)}
        codes = {self.position(pid).code for pid in found}
        if len(codes) > 1 and codes not in [set(pair) for pair in VILLAGE_PAIRS]:
            return found
        if not codes:
            return found
        # one position, or both names of one office ("Bí thư chi bộ"): the thôn one first
        code = codes.pop() if len(codes) == 1 else next(
            thon for thon, _group in VILLAGE_PAIRS if thon in codes)
        named = position_code_for_village(code, village.category if village else None)
        return {(self.positions_by_code.get(named) or self.positions_by_code[code]).id}

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
                    found.add(village.title, village.id)
            self._village_lookups[commune_id] = found
        return self._village_lookups[commune_id]

    def position(self, position_id: int) -> Position:
        return next(p for p in self.positions if p.id == position_id)


def _legacy(row: dict, column: str, problems: list[Problem]) -> bool:
    text = row.get(column) or ""
    if text and looks_like_legacy_encoding(text):
        problems.append(Problem(row[ROW], column, _(
            "“%(text)s” bị lỗi phông: chữ gõ bằng bảng mã cũ (TCVN3/VNI), không phải Unicode. "
            "Hãy chuyển mã sang Unicode (ví dụ Unikey > Công cụ chuyển mã) rồi nhập lại.",
            text=text)))
        return True
    return False


def _name(row: dict, problems: list[Problem]) -> tuple[str | None, bool]:
    text = _clean(row.get(NAME, ""))
    if _legacy(row, NAME, problems):
        return None, False
    problem = service.name_problem(text)
    if problem:
        problems.append(Problem(row[ROW], NAME, problem))
        return None, False
    all_caps = text.isupper() and len(text) > 1
    if all_caps:  # "ĐINH THỊ HOA" -> "Đinh Thị Hoa": Vietnamese names capitalise each word
        text = title_case_name(text)
    return text, all_caps


def _gender(row: dict, problems: list[Problem]) -> str | None:
    text = _clean(row.get(GENDER, ""))
    if not text:
        problems.append(Problem(row[ROW], GENDER, _("Chưa ghi giới tính (Nam hoặc Nữ).")))
        return None
    gender = _GENDERS.get(fold(text))
    if gender is None:
        problems.append(Problem(row[ROW], GENDER, _(
            "Giới tính “%(text)s” không hợp lệ; hãy ghi Nam hoặc Nữ.", text=text)))
    return gender


def _birth(row: dict, problems: list[Problem]) -> tuple[date | None, int | None]:
    text = _clean(row.get(BIRTH, ""))
    if not text:
        problems.append(Problem(row[ROW], BIRTH,
                                _("Chưa ghi ngày sinh (dd/mm/yyyy) hoặc năm sinh (yyyy).")))
        return None, None
    try:
        return service.parse_birth(text)
    except service.BirthError as exc:
        message = str(exc)
    except ValueError:  # a message from Python itself, not ours
        message = ""
    problems.append(Problem(row[ROW], BIRTH, message or _(
        "Ngày sinh “%(text)s” không hợp lệ; hãy ghi dd/mm/yyyy hoặc yyyy.", text=text)))
    return None, None


def _ethnicity(row: dict, problems: list[Problem]) -> str | None:
    text = _clean(row.get(ETHNICITY, ""))
    if not text or _legacy(row, ETHNICITY, problems):
        return None
    found = lookup(text)
    if found is None:
        problems.append(Problem(row[ROW], ETHNICITY, _(
            "Không có dân tộc “%(text)s” trong danh mục 54 dân tộc (Quyết định 1019/QĐ-TCTK). "
            "Hãy ghi tên chính thức, ví dụ Kinh, Hrê, Xơ Đăng, hoặc để trống.", text=text)))
        return None
    return found.code


def _position(row: dict, ref: Reference, village_id: int | None,
              problems: list[Problem]) -> Position | None:
    text = _clean(row.get(POSITION, ""))
    if _legacy(row, POSITION, problems):
        return None
    if not text:
        problems.append(Problem(row[ROW], POSITION, _("Chưa ghi chức vụ.")))
        return None
    found = ref.find_position(text, ref.units.get(village_id) if village_id else None)
    if len(found) > 1:
        names = sorted(ref.position(pid).name for pid in found)
        problems.append(Problem(row[ROW], POSITION, _(
            "Chức vụ “%(text)s” chưa rõ: có thể là %(names)s. Hãy ghi đủ tên chức vụ.",
            text=text, names="; ".join(names))))
        return None
    if not found:
        problems.append(Problem(row[ROW], POSITION, _(
            "Chức vụ “%(text)s” không có trong danh mục chức vụ. Xem danh sách chức vụ hợp lệ "
            "ở trang “%(sheet)s” của tệp mẫu.", text=text, sheet=HELP_SHEET)))
        return None
    return ref.position(found.pop())


def _commune(row: dict, ref: Reference, problems: list[Problem]) -> tuple[Unit | None, set]:
    text = _clean(row.get(COMMUNE, ""))
    if _legacy(row, COMMUNE, problems):
        return None, set()
    if not text:
        problems.append(Problem(row[ROW], COMMUNE, _("Chưa ghi xã.")))
        return None, set()
    found = ref.communes.find(text)
    if not found:
        problems.append(Problem(row[ROW], COMMUNE, _(
            "Không tìm thấy xã “%(text)s”. Xem danh sách xã ở trang “%(sheet)s” của tệp mẫu.",
            text=text, sheet=HELP_SHEET)))
        return None, set()
    roots = {ref.root(unit_id) for unit_id in found}
    if len(roots) > 1:
        names = sorted({ref.units[unit_id].title for unit_id in found})
        or_word = _("hoặc")
        problems.append(Problem(row[ROW], COMMUNE, _(
            "Tên xã “%(text)s” chưa rõ: có thể là %(names)s. Hãy ghi đúng tên có dấu.",
            text=text, names=f" {or_word} ".join(names))))
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
        problems.append(Problem(row[ROW], VILLAGE, _(
            "Không tìm thấy thôn/bản “%(text)s” thuộc %(commune)s.", text=text,
            commune=commune.title)))
        return None, set()
    if len(found) > 1:
        # Villages of the same name in communes merged together: the commune's own first.
        own = {v for v in found if ref.units[v].parent_id == commune.id}
        if len(own) == 1:
            return own.pop(), found
        parents = sorted({ref.units[ref.units[v].parent_id].title for v in found
                          if ref.units[v].parent_id in ref.units})
        problems.append(Problem(row[ROW], VILLAGE, _(
            "Có nhiều thôn/bản tên “%(text)s” (%(communes)s). Hãy ghi tên xã cũ vào cột "
            "“%(column)s” để chọn đúng thôn/bản.", text=text, communes=", ".join(parents),
            column=COMMUNE)))
        return None, set()
    return next(iter(found)), found


def _phone(row: dict, problems: list[Problem]) -> str | None:
    try:
        return service.parse_phone(row.get(PHONE, ""))
    except ValueError as exc:
        problems.append(Problem(row[ROW], PHONE, str(exc)))
        return None


def _payroll(row: dict, problems: list[Problem]) -> bool:
    text = fold(_clean(row.get(PAYROLL, ""))).strip()
    if text in PAYROLL_YES:
        return True
    if text not in PAYROLL_NO:
        problems.append(Problem(row[ROW], PAYROLL, _(
            "“%(text)s” không rõ: ghi “Có” nếu cán bộ hưởng lương từ ngân sách nhà nước, để "
            "trống hoặc ghi “Không” nếu không.", text=_clean(row.get(PAYROLL, "")))))
    return False


class _Memo:
    """The outcome of a cell check for each distinct text, reused row after row: a list of
    20,000 cadres names a handful of communes, positions, ethnic groups and genders. A check
    takes (row, *args, problems) and reads one column of the row."""

    def __init__(self):
        self.seen: dict[tuple, tuple] = {}

    def __call__(self, check, column: str, row: dict, *args):
        problems: list[Problem]
        *args, problems = args
        text = row.get(column)
        key = (check, text, *args)
        if key not in self.seen:
            found: list[Problem] = []
            value = check({ROW: 0} if text is None else {ROW: 0, column: text}, *args, found)
            self.seen[key] = (value, [(p.column, p.message) for p in found])
        value, found = self.seen[key]
        problems.extend(Problem(row[ROW], column, message) for column, message in found)
        return value


def validate(rows: list[dict], ref: Reference | None = None, scope=None,
             ) -> tuple[list[ValidRow], list[Problem]]:
    """Check every row; returns the valid rows and every problem (sorted by row).

    Loads the reference lists once: the number of queries does not grow with the rows; each
    distinct text of a column is checked once (`_Memo`). With a `scope` (people/scope.py),
    a row of a commune outside it is a problem.
    """
    ref = ref or Reference()
    memo = _Memo()
    present = frozenset(column for column in OPTIONAL_FIELDS if any(column in r for r in rows))
    valid: list[ValidRow] = []
    problems: list[Problem] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        mine: list[Problem] = []
        name, all_caps = _name(row, mine)
        gender = memo(_gender, GENDER, row, mine)
        born, year = memo(_birth, BIRTH, row, mine)
        ethnicity = memo(_ethnicity, ETHNICITY, row, mine)
        commune, commune_choices = memo(_commune, COMMUNE, row, ref, mine)
        if commune is not None and scope is not None and not scope.covers_commune(commune.id):
            mine.append(Problem(row[ROW], COMMUNE, _(
                "%(commune)s không thuộc phạm vi phụ trách của bạn (%(scope)s).",
                commune=commune.title_cap, scope=scope.commune.title)))
            commune = None
        village, village_choices = memo(_village, VILLAGE, row, commune, ref, mine)
        position = memo(_position, POSITION, row, ref, village, mine)
        phone = _phone(row, mine)
        payroll = _payroll(row, mine)
        if mine:
            problems.extend(mine)
            continue
        key = identity_key(name, born, year, ref.root(commune.id))
        if key in first_row_of:
            problems.append(Problem(row[ROW], NAME, _(
                "Trùng với dòng %(row)s: cùng họ tên, ngày sinh và xã (%(name)s, %(birth)s). "
                "Hãy xóa một trong hai dòng.", row=first_row_of[key], name=name,
                birth=_clean(row.get(BIRTH, "")))))
            continue
        first_row_of[key] = row[ROW]
        data = service.CadreData(
            full_name=name, gender=gender, birth_date=born, birth_year=year,
            ethnicity_code=ethnicity, position_id=position.id, level=position.level,
            commune_id=commune.id, village_id=village, phone=phone, on_payroll=payroll)
        valid.append(ValidRow(row=row[ROW], data=data, key=key, present=present,
                              commune_choices=frozenset(commune_choices),
                              village_choices=frozenset(village_choices),
                              name_all_caps=all_caps))
    problems.extend(match_by_year(valid))
    problems.sort(key=lambda p: (p.row or 0, COLUMNS.index(p.column)
                                 if p.column in COLUMNS else -1))
    return valid, problems
