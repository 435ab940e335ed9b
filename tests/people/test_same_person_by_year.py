"""A list with only the birth year and one with the full date name the same person."""

from sqlalchemy import func, select

from app.people import cadre_file as cf
from app.people.models import Cadre
from tests.people.test_cadre_file import HOA, run_import, xlsx

HOA_YEAR = HOA[:2] + ["1980"] + HOA[3:]


def _cadres(db):
    db.session.expire_all()
    return db.session.scalars(select(Cadre).order_by(Cadre.id)).all()


def test_a_year_only_row_updates_the_cadre_known_by_date_and_keeps_the_date(db, son_ha):
    run_import(db, xlsx([HOA]))
    summary = run_import(db, xlsx([HOA_YEAR[:7] + ["0905999888"]]))
    assert (summary.created, summary.updated) == (0, 1)
    (hoa,) = _cadres(db)
    assert hoa.birth_date.isoformat() == "1980-03-05" and hoa.phone == "0905999888"


def test_a_dated_row_fills_in_the_date_of_the_cadre_known_by_year(db, son_ha):
    run_import(db, xlsx([HOA_YEAR]))
    summary = run_import(db, xlsx([HOA]))
    assert (summary.created, summary.updated) == (0, 1)
    (hoa,) = _cadres(db)
    assert hoa.birth_date.isoformat() == "1980-03-05"
    assert run_import(db, xlsx([HOA])).unchanged == 1  # and now matches exactly


def test_a_year_that_fits_two_cadres_is_not_guessed(db, son_ha):
    run_import(db, xlsx([HOA, HOA[:2] + ["20/11/1980"] + HOA[3:7] + [""]]))
    valid, problems = cf.load("a.xlsx", xlsx([HOA_YEAR]))
    assert [(p.row, p.column) for p in problems] == [(2, "Ngày sinh")]
    assert "Có 2 cán bộ tên Đinh Thị Hoa sinh năm 1980" in problems[0].message
    assert "05/03/1980, 20/11/1980" in problems[0].message
    assert db.session.scalar(select(func.count(Cadre.id))) == 2


def test_another_year_or_commune_is_another_person(db, son_ha):
    run_import(db, xlsx([HOA]))
    run_import(db, xlsx([HOA[:2] + ["1981"] + HOA[3:], HOA_YEAR[:6] + ["Sơn Linh", ""]]))
    assert len(_cadres(db)) == 3
