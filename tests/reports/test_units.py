"""Units through the 2025 reorganisation: "as they were" or "rolled up into today's
communes", both adding up to the same totals (a property over random lineages), and the
Sơn Hà merger by hand."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.reports import units
from app.reports.indicators import Scope
from app.reports.units import Link, assign, roll

MERGER = date(2025, 7, 1)


@st.composite
def lineages(draw):
    """Communes 0..n-1; each may be merged into a later one (so no cycle), ending the day
    before a random merger date."""
    n = draw(st.integers(1, 12))
    lineage = {}
    for unit in range(n):
        successor = draw(st.one_of(st.none(), st.integers(unit + 1, n - 1))) \
            if unit < n - 1 else None
        ended = draw(st.dates(date(2023, 1, 1), date(2027, 12, 31))) if successor is not None \
            else None
        lineage[unit] = Link(successor, ended)
    return lineage


@settings(max_examples=200, deadline=None)
@given(lineages(), st.data())
def test_both_ways_add_up_to_the_same_totals(lineage, data):
    rows = data.draw(st.lists(st.tuples(
        st.sampled_from(sorted(lineage)), st.dates(date(2024, 1, 1), date(2026, 12, 31)),
        st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))), max_size=30))
    totals = [sum(r[2][i] for r in rows) for i in range(3)]
    today, then = roll(rows, "today", lineage), roll(rows, "then", lineage)
    for i in range(3):
        assert sum(v[i] for v in today.values()) == totals[i]
        assert sum(v[i] for v in then.values()) == totals[i]
    # rolled up: only communes that still exist; as they were: a commune valid on the day
    assert all(lineage[u].successor is None for u in today)
    for unit, day, _counts in rows:
        shown = assign(unit, day, "then", lineage)
        link = lineage[shown]
        assert link.successor is None or link.valid_to is None or day <= link.valid_to


def test_the_son_ha_merger_both_ways(db, son_ha, make_cadre):
    """Two trainees recorded under the former xã Sơn Ba (merged into Sơn Kỳ on 01/07/2025):
    one in a class of March 2025, one of March 2026."""
    from app.classes.models import Application, TrainingClass

    ba = son_ha["old:son-ba"]
    for n, start in enumerate((date(2025, 3, 3), date(2026, 3, 2))):
        klass = TrainingClass(code=f"U{n}", title="Lớp", place="Sơn Kỳ", start_date=start,
                              end_date=start + timedelta(days=1), capacity=30,
                              status="finished")
        db.session.add(klass)
        db.session.flush()
        cadre = make_cadre(f"Đinh Văn Ba {n}", "M", 1980, commune=ba)
        db.session.add(Application(class_id=klass.id, cadre_id=cadre.id, status="admitted",
                                   source="nominated"))
    db.session.commit()
    scope = Scope(date(2025, 1, 1), date(2026, 12, 31))
    then = {(r.label, r.luot, r.former) for r in units.trainees_by_unit(scope, "then")}
    assert then == {("Xã Sơn Ba", 1, True), ("Xã Sơn Kỳ", 1, False)}
    today = {(r.label, r.luot, r.former) for r in units.trainees_by_unit(scope, "today")}
    assert today == {("Xã Sơn Kỳ", 2, False)}


def test_the_user_chooses_the_units_in_the_workbook(client, db, son_ha, make_cadre, users,
                                                    login):
    import io

    from openpyxl import load_workbook

    from app.classes.models import Application, TrainingClass

    klass = TrainingClass(code="U", title="Lớp", place="Sơn Ba", start_date=date(2025, 3, 3),
                          end_date=date(2025, 3, 4), capacity=30, status="finished")
    db.session.add(klass)
    db.session.flush()
    cadre = make_cadre("Đinh Văn Ba", "M", 1980, commune=son_ha["old:son-ba"])
    db.session.add(Application(class_id=klass.id, cadre_id=cadre.id, status="admitted",
                               source="nominated"))
    db.session.commit()
    login("coordinator")

    def communes(mode):
        data = client.get(f"/reports/training.xlsx?kind=year&year=2025&units={mode}").data
        rows = load_workbook(io.BytesIO(data))["Theo xã"].iter_rows(values_only=True)
        return [r[:2] for r in rows if str(r[0] or "").startswith("Xã ")]

    assert communes("then") == [("Xã Sơn Ba (trước sáp nhập)", 1)]
    assert communes("today") == [("Xã Sơn Kỳ", 1)]
    assert client.get("/reports/?kind=year&year=2025&units=sometime").status_code == 400
