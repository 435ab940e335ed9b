"""A class's costs line by line against hand-computed values: the trainers' fee by session,
meals and travel taken from the allowance list (equal to its totals), the typed lines, the
totals and the rate per funding source; saving writes one audit entry naming the changes."""

from decimal import Decimal

from sqlalchemy import select

from app.attendance import allowance
from app.audit.models import AuditEntry
from app.costs import lines
from app.costs.models import ClassCost


def _entries(sources, **overrides):
    central, local = sources["central"].id, sources["local"].id
    entries = {
        "trainer": lines.Entry(central, per_session=500_000),
        "materials": lines.Entry(local, 2_000_000, 1_800_000),
        "hall": lines.Entry(local, 1_000_000, 1_000_000),
        "water": lines.Entry(central, 300_000, 250_000),
        "stationery": lines.Entry(central, 400_000, 0),
        "meal": lines.Entry(central, 600_000),
        "travel": lines.Entry(central, 200_000),
        "other": lines.Entry(None, 0, 0),
    }
    entries.update(overrides)
    return entries


def test_the_lines_by_hand(app, db, marked, sources, users):
    klass, _applications = marked
    live = lines.live_of(klass)
    # 6 sessions (3 days), 3 of them marked; the allowance list: An 2 days × 100.000, Ba on
    # the payroll (no meals, no travel), An's travel 50.000 for xã Sơn Kỳ
    assert live == lines.Live(sessions=6, held=3, meal=200_000, travel=50_000)
    assert lines.save(users["coordinator"], klass, _entries(sources), live) == 8
    db.session.commit()
    costs = lines.costs_of(klass)
    got = {line.line: (line.budget, line.spent) for line in costs.lines}
    assert got == {"trainer": (3_000_000, 1_500_000),  # 500.000 × 6 sessions, × 3 held
                   "materials": (2_000_000, 1_800_000), "hall": (1_000_000, 1_000_000),
                   "water": (300_000, 250_000), "stationery": (400_000, 0),
                   "meal": (600_000, 200_000), "travel": (200_000, 50_000), "other": (0, 0)}
    assert (costs.budget, costs.spent) == (7_500_000, 4_800_000)
    assert costs.rate == Decimal("64.0")
    by_source = {s.source_name: (s.budget, s.spent, s.rate) for s in costs.by_source()}
    assert by_source == {
        "Ngân sách trung ương": (4_500_000, 2_000_000, Decimal("44.4")),
        "Ngân sách địa phương đối ứng": (3_000_000, 2_800_000, Decimal("93.3"))}
    assert not costs.stale


def test_meals_and_travel_equal_the_allowance_list(app, db, marked, sources, users):
    klass, applications = marked
    lines.save(users["coordinator"], klass, _entries(sources), lines.live_of(klass))
    db.session.commit()
    listed = allowance.of_class(klass)
    costs = lines.costs_of(klass)
    assert costs.line("meal").spent == listed.meal == 200_000
    assert costs.line("travel").spent == listed.travel == 50_000
    # a later mark changes the allowance list: the costs follow it, and say the stored
    # figures are behind until saved again
    from app.attendance.models import AttendanceMark

    hoa = next(a for a in applications if a.cadre.full_name == "Đinh Thị Hoa")
    db.session.add(AttendanceMark(session_id=klass.sessions[2].id, application_id=hoa.id,
                                  status="present"))
    db.session.commit()
    costs = lines.costs_of(klass)
    assert costs.line("meal").spent == allowance.of_class(klass).meal == 300_000
    assert costs.line("travel").spent == 100_000
    assert costs.stale
    stored = db.session.scalar(select(ClassCost.spent).where(ClassCost.class_id == klass.id,
                                                             ClassCost.line == "meal"))
    assert stored == 200_000


def test_a_class_without_costs_reads_zero_from_its_own_source(app, db, marked, sources):
    klass, _applications = marked
    costs = lines.costs_of(klass)
    assert not costs.recorded
    assert {line.source_name for line in costs.lines} == {"Ngân sách trung ương"}
    assert costs.budget == 0 and costs.rate is None
    assert costs.line("meal").spent == 200_000  # what the allowance list pays, even unsaved


def test_saving_is_audited_and_only_changes_count(app, db, marked, sources, users):
    klass, _applications = marked
    live = lines.live_of(klass)
    lines.save(users["coordinator"], klass, _entries(sources), live)
    db.session.commit()
    assert lines.save(users["coordinator"], klass, _entries(sources), live) == 0
    changed = _entries(sources, hall=lines.Entry(sources["local"].id, 1_200_000, 1_100_000))
    assert lines.save(users["coordinator"], klass, changed, live) == 1
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "costs.save").order_by(AuditEntry.id)).all()
    assert len(entries) == 2
    last = entries[-1]
    assert (last.object_type, last.object_id) == ("class", klass.id)
    assert "Thuê hội trường: 1.200.000 / 1.100.000" in last.summary
    assert last.data["changes"]["hall"]["before"]["budget"] == 1_000_000
    assert last.user_id == users["coordinator"].id


def test_disbursement_rate():
    assert lines.disbursement(1, 3) == Decimal("33.3")
    assert lines.disbursement(2, 3) == Decimal("66.7")
    assert lines.disbursement(5, 4) == Decimal("125.0")  # overspent shows as such
    assert lines.disbursement(0, 0) is None
