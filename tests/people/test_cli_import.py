"""`flask cadres import FILE [--dry-run]`."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.people import cadre_file as cf
from app.people.models import Cadre

HOA = ["Đinh Thị Hoa", "Nữ", "05/03/1980", "Hrê", "Trưởng thôn", "", "xã Sơn Ba",
       "0905123456"]
BAY = ["Đinh Văn Bảy", "Nam", "1985", "Kinh", "Cộng tác viên giảm nghèo", "", "Sơn Kỳ", ""]


def write_xlsx(path, rows):
    book = Workbook()
    book.active.append(list(cf.COLUMNS))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.fixture()
def run(app, son_ha):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=["cadres", "import", *args])

    return invoke


def count(db, model=Cadre) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(model.id)))


def test_import(run, db, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", [HOA, BAY])
    result = run(path)
    assert result.exit_code == 0, result.output
    assert "thêm mới 2, cập nhật 0, không đổi 0" in result.output
    assert count(db) == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cadre.import"))
    assert entry.data["source"] == "cli"
    again = run(path)
    assert again.exit_code == 0
    assert "thêm mới 0, cập nhật 0, không đổi 2" in again.output


def test_csv_with_bom(run, db, tmp_path):
    path = tmp_path / "ds.csv"
    lines = [",".join(cf.COLUMNS), ",".join(v if "," not in v else f'"{v}"' for v in HOA)]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
    result = run(str(path))
    assert result.exit_code == 0, result.output
    assert count(db) == 1


def test_dry_run_writes_nothing(run, db, tmp_path):
    result = run(write_xlsx(tmp_path / "ds.xlsx", [HOA, BAY]), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "thêm mới 2" in result.output and "chưa lưu" in result.output
    assert count(db) == 0 and count(db, AuditEntry) == 0


def test_problems_are_all_printed_and_nothing_imported(run, db, tmp_path):
    bad = ["NguyÔn ThÞ Hoa", "Nữ", "31/02/1980", "", "Giám đốc", "", "Sơn Mới", ""]
    result = run(write_xlsx(tmp_path / "ds.xlsx", [HOA, bad, HOA]))
    assert result.exit_code == 1
    output = result.output
    assert "có 5 lỗi; chưa nhập dòng nào" in output
    for text in ("Dòng 3, cột “Họ và tên”: ", "lỗi phông", "Dòng 3, cột “Ngày sinh”: ",
                 "31/02/1980", "Dòng 3, cột “Chức vụ”", "Dòng 3, cột “Xã”",
                 "Dòng 4, cột “Họ và tên”: Trùng với dòng 2"):
        assert text in output
    assert count(db) == 0


def test_not_a_spreadsheet(run, db, tmp_path):
    path = tmp_path / "anh.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run(str(path))
    assert result.exit_code == 1
    assert "Tệp không phải bảng tính .xlsx hoặc .csv UTF-8" in result.output
    assert count(db) == 0


def test_missing_file(run, tmp_path):
    result = run(str(tmp_path / "khong-co.xlsx"))
    assert result.exit_code == 2


def test_command_object_directly(app, son_ha, db, tmp_path):
    from app.people.cli import cadres_cli

    path = write_xlsx(tmp_path / "ds.xlsx", [BAY])
    result = app.test_cli_runner().invoke(cadres_cli, ["import", path, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert count(db) == 0


def test_the_same_person_by_year(run, db, tmp_path):
    assert run(write_xlsx(tmp_path / "ds.xlsx", [HOA])).exit_code == 0
    result = run(write_xlsx(tmp_path / "nam.xlsx", [HOA[:2] + ["1980"] + HOA[3:]]))
    assert result.exit_code == 0, result.output
    assert "thêm mới 0, cập nhật 0, không đổi 1" in result.output
    assert count(db) == 1


def test_a_year_that_fits_two_cadres_is_printed_and_nothing_imported(run, db, tmp_path):
    other = HOA[:2] + ["20/11/1980"] + HOA[3:]
    assert run(write_xlsx(tmp_path / "ds.xlsx", [HOA, other])).exit_code == 0
    result = run(write_xlsx(tmp_path / "nam.xlsx", [BAY, HOA[:2] + ["1980"] + HOA[3:]]))
    assert result.exit_code == 1
    assert "Dòng 3, cột “Ngày sinh”: Có 2 cán bộ tên Đinh Thị Hoa sinh năm 1980" in result.output
    assert count(db) == 2
