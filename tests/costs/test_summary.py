"""Budget, spending and the disbursement rate over classes, by funding source, program and
unit, against a hand-built data set: cancelled classes and classes outside the period are left
out; a class inviting several communes counts under "several communes"; a commune's filter
keeps the classes that invite only that commune or its villages."""

from datetime import date
from decimal import Decimal

from app.costs import summary
from app.people.queries import commune_family_ids

YEAR = summary.Filter(date(2026, 1, 1), date(2026, 12, 31))


def _rows(rows):
    return {r.label: (r.budget, r.spent, r.rate) for r in rows}


def test_totals_and_the_rate(app, classes):
    total = summary.totals(YEAR)
    assert (total.budget, total.spent, total.classes) == (6_500_000, 4_300_000, 3)
    assert total.rate == Decimal("66.2")  # 4.300.000 / 6.500.000


def test_by_source(app, classes):
    assert _rows(summary.by_source(YEAR)) == {
        "Ngân sách trung ương": (4_000_000, 2_500_000, Decimal("62.5")),
        "Ngân sách địa phương đối ứng": (2_000_000, 1_800_000, Decimal("90.0")),
        summary.NO_SOURCE: (500_000, 0, Decimal("0.0"))}


def test_by_program(app, classes):
    assert _rows(summary.by_program(YEAR)) == {
        "CTMTQG GNBV 2021-2025": (5_500_000, 3_300_000, Decimal("60.0")),
        "CT 2026-2035": (1_000_000, 1_000_000, Decimal("100.0"))}


def test_by_unit(app, classes):
    rows = summary.by_unit(YEAR)
    assert _rows(rows) == {
        "Xã Sơn Hà": (500_000, 0, Decimal("0.0")),  # its village's class
        "Xã Sơn Kỳ": (5_000_000, 3_300_000, Decimal("66.0")),
        summary.SEVERAL_COMMUNES: (1_000_000, 1_000_000, Decimal("100.0"))}
    assert rows[-1].label == summary.SEVERAL_COMMUNES


def test_filters(app, classes, son_ha, programs):
    son_ky = frozenset(commune_family_ids(son_ha["new:son-ky"].id))
    son_ha_ids = frozenset(commune_family_ids(son_ha["new:son-ha"].id))
    assert _rows(summary.by_source(summary.Filter(YEAR.start, YEAR.end, commune_ids=son_ky))) \
        == {"Ngân sách trung ương": (3_000_000, 1_500_000, Decimal("50.0")),
            "Ngân sách địa phương đối ứng": (2_000_000, 1_800_000, Decimal("90.0"))}
    assert summary.totals(summary.Filter(YEAR.start, YEAR.end, commune_ids=son_ha_ids)).budget \
        == 500_000
    only_two = summary.Filter(YEAR.start, YEAR.end, program_id=programs["two"].id)
    assert _rows(summary.by_program(only_two)) == {
        "CT 2026-2035": (1_000_000, 1_000_000, Decimal("100.0"))}
    march = summary.Filter(date(2026, 3, 1), date(2026, 3, 31))
    assert summary.totals(march).budget == 5_000_000


def test_a_period_without_classes_gives_zeros(app, classes):
    empty = summary.Filter(date(2020, 1, 1), date(2020, 12, 31))
    total = summary.totals(empty)
    assert (total.budget, total.spent, total.rate) == (0, 0, None)
    assert summary.by_source(empty) == [] and summary.by_unit(empty) == []


def test_a_component_narrows_the_costs_as_it_narrows_the_indicators(app, db, classes, programs):
    """The dashboard filtered to one component of a program shows that component's costs, not
    the whole program's (the indicators narrow by component through `reports.basis`)."""
    from app.programs.models import Component

    a, _b, c = classes
    tdp = Component(program_id=programs["one"].id, code="da7-tdp1",
                    name="Dự án 7, Tiểu dự án 1")
    db.session.add(tdp)
    db.session.flush()
    a.component_id = tdp.id
    db.session.commit()
    narrowed = summary.Filter(YEAR.start, YEAR.end, program_id=programs["one"].id,
                              component_id=tdp.id)
    total = summary.totals(narrowed)
    assert (total.budget, total.spent, total.classes) == (5_000_000, 3_300_000, 1)
    assert _rows(summary.by_program(narrowed)) == {
        "CTMTQG GNBV 2021-2025": (5_000_000, 3_300_000, Decimal("66.0"))}
    assert c.component_id is None
