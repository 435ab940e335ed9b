"""A cadre list is read by what it holds, not by what it claims (issue: hardening).

A 1.5 KB .xlsx whose sheet declares `<dimension ref="A1:XFD1048576"/>` made the reader walk a
million padded empty rows of 16,384 cells; long cells made huge error pages and minutes of CPU.
Rows, columns and cell length are bounded by the file's own content."""

import io
import itertools
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from app.people import cadre_file as cf
from app.people.cadre_file import reading

HEADER = list(cf.COLUMNS)
HOA = ["Đinh Thị Hoa", "Nữ", "05/03/1980", "Hrê", "Trưởng thôn, bản", "", "xã Sơn Ba",
       "0905123456"]


def _book(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _claiming_the_whole_sheet(data: bytes) -> bytes:
    """The same workbook with its sheet claiming every row and column Excel has, and one empty
    cell in the last of them (the reader pads the rows in between)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*" ?/>',
                                 b'<dimension ref="A1:XFD1048576"/>', content)
                content = content.replace(
                    b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"/></row></sheetData>')
                assert content.count(b"XFD1048576") == 2
            target.writestr(item, content)
    return out.getvalue()


def test_a_sheet_claiming_a_million_rows_is_read_by_its_real_rows(app):
    data = _claiming_the_whole_sheet(_book([HEADER, HOA]))
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    # the rows the reader walks are those written in the file, not a million padded ones
    walked = list(itertools.islice(reading.sheet_rows(sheet), 1000))
    assert [number for number, _values in walked] == [1, 2, 1_048_576]
    assert all(len(values) <= reading.MAX_COLUMNS for _number, values in walked)
    rows = cf.read_table("bomb.xlsx", data)
    assert [r[cf.NAME] for r in rows] == ["Đinh Thị Hoa"]


def test_columns_beyond_any_list_are_not_read(app):
    wide = HOA + [""] * 300 + ["x"]
    rows = cf.read_table("wide.xlsx", _book([HEADER, wide]))
    assert rows[0][cf.NAME] == "Đinh Thị Hoa"


def test_a_long_cell_is_a_short_problem(db, son_ha):
    long_name = "Đinh " * 12_000  # 60 KB in one cell
    valid, problems = cf.load("long.xlsx", _book([HEADER, [long_name, *HOA[1:]]]))
    assert not valid and len(problems) == 1
    problem = problems[0]
    assert problem.row == 2 and problem.column == cf.NAME
    assert len(str(problem)) < 400  # the cell is not echoed in full
    assert "dài quá 120 ký tự" in str(problem)


def _csv(place: str) -> bytes:
    return (",".join(HEADER) + "\n" + ",".join([*HOA[:6], place, HOA[7]]) + "\n").encode()


def test_long_cells_in_a_csv_are_cut_at_reading(app):
    rows = cf.read_table("long.csv", _csv("Sơn " * 25_000))
    assert len(rows[0][cf.COMMUNE]) <= reading.MAX_CELL_CHARS + 1
    with pytest.raises(cf.ImportProblem) as refused:  # beyond what csv reads at all
        cf.read_table("longer.csv", _csv("Sơn " * 50_000))
    assert "Dòng 2 của tệp có một ô dài bất thường" in str(refused.value)
    assert refused.value.status == 422
