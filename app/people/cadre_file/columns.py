"""The cadre list's columns (DESIGN.md section 4) and the results of reading and validating."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.core.refusal import Refusal
from app.i18n_markers import N_
from app.people import service

# The header of the import template and of the export, in this order (DESIGN.md section 4).
NAME, GENDER, BIRTH, ETHNICITY, POSITION, VILLAGE, COMMUNE, PHONE, PAYROLL = COLUMNS = (
    "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chức vụ", "Thôn/Bản", "Xã",
    "Số điện thoại", "Hưởng lương ngân sách",
)
REQUIRED = (NAME, GENDER, BIRTH, POSITION, COMMUNE)
ROW = "_row"  # key of the spreadsheet row number in the dicts returned by read_table
DATA_SHEET = "Danh sách"
HELP_SHEET = "Hướng dẫn"
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10  # the header may sit below a title of a few rows

NOT_SPREADSHEET = N_("Tệp không phải bảng tính .xlsx hoặc .csv UTF-8.")  # _() where raised
COLUMN_WIDTHS = (30, 10, 13, 14, 40, 22, 22, 16, 14)
# Fields whose column may be left out of a file (the stored value is then kept).
OPTIONAL_FIELDS = {ETHNICITY: "ethnicity_code", VILLAGE: "village_id", PHONE: "phone",
                   PAYROLL: "on_payroll"}
# "Hưởng lương ngân sách": "Có" (or x, 1) for a cadre on the state payroll; blank, "Không"
# or 0 for one who is not (folded: case and diacritics do not matter).
PAYROLL_YES = frozenset({"co", "x", "1", "yes"})
PAYROLL_NO = frozenset({"", "khong", "0", "no"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: spreadsheet row (None: the whole file), column, message."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("Dòng %(row)s", row=self.row))
        if self.column:
            where.append(_("cột “%(column)s”", column=self.column))
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportProblem(Refusal):
    """The file cannot be imported. `readable` is False when it is not a spreadsheet (400),
    otherwise the file was read and its content cannot be imported (422), or, with status
    409, the cadres it names were changed by someone else while it was being imported."""

    def __init__(self, problems: list[Problem] | str, readable: bool = True,
                 status: int | None = None):
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        self.problems = problems
        self.readable = readable
        super().__init__("; ".join(str(p) for p in problems),
                         status or (422 if readable else 400))


@dataclass
class ValidRow:
    row: int
    data: service.CadreData
    key: str
    present: frozenset[str]  # optional columns present in the file
    commune_choices: frozenset[int] = frozenset()  # same-named units of the same commune
    village_choices: frozenset[int] = frozenset()
    name_all_caps: bool = False
    existing_id: int | None = None  # the cadre recorded by year when the row has the date, or
    # the other way round (matching.match_by_year); exact matches are found by key


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cadre_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def written(self) -> int:
        """Rows that added or changed a cadre."""
        return self.created + self.updated

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def text(self) -> str:
        return _("%(total)s dòng: thêm mới %(created)s, cập nhật %(updated)s, không đổi "
                 "%(unchanged)s.", total=self.total, created=self.created,
                 updated=self.updated, unchanged=self.unchanged)
