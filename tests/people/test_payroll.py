""""Hưởng lương từ ngân sách" on a cadre: the form's checkbox, the import's optional column
("Có" / "Không" / blank; a file without the column keeps what is stored), the export."""

from sqlalchemy import select

from app.people import cadre_file as cf
from app.people.cadre_file.columns import PAYROLL
from app.people.models import Cadre
from tests.people.test_cadre_file import BAY, HEADER, only_problem, run_import, xlsx

WITHOUT = [c for c in HEADER if c != PAYROLL]


def _bay(db):
    db.session.expire_all()
    return db.session.scalar(select(Cadre).where(Cadre.full_name == "Đinh Văn Bảy"))


def test_the_import_reads_the_payroll_column_and_keeps_it_when_absent(db, son_ha):
    run_import(db, xlsx([BAY + ["Có"]]))
    assert _bay(db).on_payroll is True
    run_import(db, xlsx([BAY], header=WITHOUT))  # no column: kept
    assert _bay(db).on_payroll is True
    run_import(db, xlsx([BAY + ["không"]]))
    assert _bay(db).on_payroll is False
    run_import(db, xlsx([BAY + ["x"]]))
    assert _bay(db).on_payroll is True
    run_import(db, xlsx([BAY + [""]]))
    assert _bay(db).on_payroll is False


def test_an_unclear_payroll_cell_is_a_problem_at_its_column(db, son_ha):
    message = only_problem(xlsx([BAY + ["có lẽ"]]), PAYROLL)
    assert "“có lẽ” không rõ" in message and "ghi “Có”" in message


def test_the_export_and_the_form_carry_it(client, login, users, make_cadre, db):
    cadre = make_cadre("Đinh Văn Bảy", gender="M", on_payroll=True)
    assert cf.cadre_values(cadre)[-1] == "Có"
    login(users["coordinator"])
    page = client.get(f"/cadres/{cadre.id}/edit").get_data(as_text=True)
    assert 'name="on_payroll"' in page and "checked" in page
