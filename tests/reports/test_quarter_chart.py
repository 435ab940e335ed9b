"""The chart by quarter: no query per quarter (the quarters are summed from the report's one
pass over the cells, app/reports/tables.py), with the same figures as the summary gives for
each quarter alone."""

from datetime import date

from app.reports import indicators, tables
from app.reports.indicators import Scope
from app.reports.period import Period
from tests.reports.test_indicators import YEAR, data  # noqa: F401 - the hand-built data set


def by_quarter(period: Period, scope: Scope) -> list[tuple[str, int, int]]:
    table = next(t for t in tables.build(period, scope, with_coverage=False).tables
                 if t.sheet == "Theo quý")
    return [(row[0], row[1], row[2]) for row in table.rows]


def test_person_times_and_women_by_quarter(data):  # noqa: F811
    period = Period(YEAR.start, YEAR.end, "")
    rows = by_quarter(period, YEAR)
    assert [r[1:] for r in rows] == [(3, 2), (0, 0), (0, 0), (2, 1)]
    for (label, luot, luot_nu), q in zip(rows, period.quarters(), strict=True):  # as alone
        alone = indicators.trainees(Scope(q.start, q.end))
        assert (luot, luot_nu) == (alone["luot"].value, alone["luot_nu"].value), label
    son_ky = Scope(YEAR.start, YEAR.end, commune_ids=frozenset({data["son_ky"].id}))
    assert [r[1] for r in by_quarter(period, son_ky)] == [2, 0, 0, 2]


def test_a_longer_period_asks_no_more_queries(client, data, users, login,  # noqa: F811
                                              count_queries, db):
    login("coordinator")
    client.get("/reports/?kind=year&year=2026")
    db.session.expire_all()
    with count_queries() as one_year:  # 4 quarters
        client.get("/reports/?kind=year&year=2026")
    db.session.expire_all()
    with count_queries() as two_years:  # 8 quarters
        page = client.get("/reports/?kind=custom&start=01/01/2025&end=31/12/2026").get_data(
            as_text=True)
    assert "I/2025" in page and "IV/2026" in page
    assert two_years() == one_year()


def test_the_quarter_of_a_cut_period(data):  # noqa: F811
    """A period cut inside quarters: each bar counts the classes that start in its cut."""
    period = Period(date(2026, 2, 15), date(2026, 10, 4), "")
    rows = by_quarter(period, Scope(period.start, period.end))
    assert [r[1:] for r in rows] == [(3, 2), (0, 0), (0, 0), (0, 0)]  # B starts on 5 October
