"""Any order and any duplication of delivering a set of operations gives the same marks and
loses none (hypothesis): two phones with clocks off by different amounts take marks of the
same learners; their batches arrive shuffled, split, repeated. The marks must be those of
the latest operation taken (by the server's clock), each operation stored exactly once, and
every answer one that lets the phone forget it (applied, superseded or duplicate); the
attendance summary equals a recount of the marks."""

import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from app.attendance.models import STATUSES, AttendanceMark, AttendanceOp, AttendanceSummary
from app.audit.models import AuditEntry
from tests.attendance.conftest import first
from tests.attendance.opkit import marks, op, send, started, stored_ops
from tests.attendance.summarykit import assert_exact

CLOCKS = (timedelta(hours=-5, minutes=-7), timedelta(minutes=42))  # each phone's error

taken_op = st.tuples(st.integers(0, 1),  # which phone (the trainer's, the coordinator's)
                     st.integers(0, 3),  # which learner
                     st.sampled_from(STATUSES),
                     st.integers(0, 240),  # minutes after the session began
                     st.sampled_from(["", "đau chân", "Về sớm"]))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(taken=st.lists(taken_op, min_size=1, max_size=14), order=st.randoms(),
       repeats=st.lists(st.integers(0, 13), max_size=10), split=st.integers(1, 5))
def test_any_order_and_duplication_of_deliveries_gives_the_same_marks(
        db, users, running, taken, order, repeats, split):
    if not hasattr(running, "made"):
        running.made = running()
    klass, applications = running.made
    for table in (AttendanceSummary, AttendanceMark, AttendanceOp, AuditEntry):
        db.session.execute(delete(table))
    db.session.commit()
    session = first(klass)
    begin = started(session)
    phones = (users["trainer"], users["coordinator"])
    made = []  # (phone, the op as sent, the moment taken by the server's clock)
    for index, (phone, learner, status, minute, note) in enumerate(taken):
        moment = begin + timedelta(minutes=minute, seconds=index)
        item = op(session, applications[learner], status, note=note,
                  taken=moment + CLOCKS[phone], op_id=f"op-{index:04d}-{phone}")
        made.append((phone, item, moment))
    deliveries = made + [made[i % len(made)] for i in repeats]
    order.shuffle(deliveries)
    received = begin + timedelta(hours=5)
    for start in range(0, len(deliveries), split):
        chunk = deliveries[start:start + split]
        for phone in (0, 1):
            items = [item for p, item, _m in chunk if p == phone]
            if items:
                received += timedelta(seconds=random.Random(start).randint(1, 90))
                answers = send(phones[phone], items, received, skew=CLOCKS[phone])
                assert {a["result"] for a in answers} <= {"applied", "superseded", "duplicate"}
    expected = {}
    for learner in range(len(applications)):
        mine = [(moment, item["op_id"], item) for _p, item, moment in made
                if item["cadre_id"] == applications[learner].cadre_id]
        if mine:
            latest = max(mine, key=lambda m: (m[0], m[1]))[2]
            expected[applications[learner].id] = (latest["status"], latest["note"])
    assert marks(session) == expected
    # and each learner's summary row counts the marks as they ended (app/attendance/summary.py)
    rows = assert_exact()
    assert {a: (r["present"], r["late"], r["excused"], r["absent"]) for a, r in rows.items()} \
        == {a: tuple(int(status == s) for s in STATUSES) for a, (status, _n) in expected.items()}
    assert sorted(o.op_id for o in stored_ops()) == sorted(item["op_id"] for _p, item, _m in made)
