"""The rules of attendance operations (`app/attendance/ops.py`): once per op id, a reused id
refused, the latest taken wins (corrected for the phone's clock), losers kept and audited,
two people marking differently listed, late or out-of-window operations held for a
coordinator, bad operations refused one by one with their reason."""

from datetime import timedelta

from sqlalchemy import select

from app.attendance import ops
from app.audit.models import AuditEntry
from app.extensions import db
from tests.attendance.conftest import by_name, first, last
from tests.attendance.opkit import marks, op, send, started, stored_ops


def _actions():
    db.session.expire_all()
    return [e.action for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.startswith("attendance.")).order_by(AuditEntry.id))]


def test_an_operation_applied_then_sent_again_is_a_duplicate_with_its_first_outcome(
        db, users, running):
    klass, applications = running()
    session = first(klass)
    hoa = by_name(applications)["Đinh Thị Hoa"]
    at = started(session) + timedelta(minutes=5)
    item = op(session, hoa, "late", taken=at, note="Đến lúc 8 giờ")
    (first_answer,) = send(users["trainer"], [item], at + timedelta(minutes=1))
    assert first_answer["result"] == "applied" and first_answer["conflict"] is None
    assert first_answer["mark"]["status"] == "late" and first_answer["mark"]["op_id"] == \
        item["op_id"]
    again = send(users["trainer"], [item, item], at + timedelta(hours=1))
    assert [(a["result"], a["outcome"]) for a in again] == [("duplicate", "applied")] * 2
    assert len(stored_ops()) == 1
    assert marks(session) == {hoa.id: ("late", "Đến lúc 8 giờ")}
    assert _actions() == ["attendance.mark"]


def test_a_reused_id_with_other_content_or_from_another_user_is_refused(db, users, running):
    klass, applications = running()
    session = first(klass)
    hoa = by_name(applications)["Đinh Thị Hoa"]
    at = started(session) + timedelta(minutes=5)
    item = op(session, hoa, "present", taken=at)
    send(users["trainer"], [item], at)
    (changed,) = send(users["trainer"], [{**item, "status": "absent"}], at + timedelta(minutes=1))
    (stolen,) = send(users["coordinator"], [item], at + timedelta(minutes=2))
    for answer in (changed, stolen):
        assert answer["result"] == "rejected" and "đã được dùng" in answer["reason"]
    assert marks(session) == {hoa.id: ("present", "")} and len(stored_ops()) == 1
    assert _actions().count("attendance.rejected") == 2


def test_the_latest_taken_wins_whatever_arrives_last_and_the_loser_is_kept(db, users, running):
    klass, applications = running()
    session = first(klass)
    ba = by_name(applications)["Phạm Văn Ba"]
    at = started(session) + timedelta(minutes=5)
    newer = op(session, ba, "late", taken=at + timedelta(minutes=10))
    older = op(session, ba, "absent", taken=at)
    assert send(users["trainer"], [newer], at + timedelta(minutes=20))[0]["result"] == "applied"
    (answer,) = send(users["trainer"], [older], at + timedelta(minutes=30))
    assert answer["result"] == "superseded" and answer["mark"]["status"] == "late"
    assert answer["conflict"] is None  # the same person changed their mind
    assert marks(session) == {ba.id: ("late", "")}
    assert {o.op_id: o.outcome for o in stored_ops()} == {newer["op_id"]: "applied",
                                                          older["op_id"]: "superseded"}
    assert "attendance.superseded" in _actions()


def test_ties_of_the_time_taken_are_broken_by_op_id(db, users, running):
    klass, applications = running()
    session = first(klass)
    an = by_name(applications)["Hồ Thị An"]
    at = started(session) + timedelta(minutes=5)
    low = op(session, an, "absent", taken=at, op_id="aaaaaaaa-1")
    high = op(session, an, "excused", taken=at, op_id="bbbbbbbb-1")
    send(users["trainer"], [high], at)
    send(users["trainer"], [low], at)
    assert marks(session) == {an.id: ("excused", "")}


def test_the_phone_clock_is_corrected_by_the_batch_skew(db, users, running):
    """A phone whose clock is three hours behind took its mark after the coordinator's, by
    the server's clock: it wins, though its own timestamps say it is older."""
    klass, applications = running()
    session = first(klass)
    ut = by_name(applications)["Đinh Văn Út"]
    at = started(session) + timedelta(minutes=30)
    behind = timedelta(hours=-3)
    send(users["coordinator"], [op(session, ut, "absent", taken=at)], at + timedelta(minutes=1))
    (answer,) = send(users["trainer"], [op(session, ut, "late", taken=at + timedelta(minutes=5)
                                           + behind)],
                     at + timedelta(minutes=10), skew=behind)
    assert answer["result"] == "applied"
    assert marks(session) == {ut.id: ("late", "")}
    (stored,) = [o for o in stored_ops() if o.user_id == users["trainer"].id]
    assert stored.effective_at == at + timedelta(minutes=5)


def test_two_people_marking_differently_without_seeing_each_other_is_a_conflict(
        db, users, running):
    klass, applications = running()
    session = first(klass)
    hoa = by_name(applications)["Đinh Thị Hoa"]
    at = started(session) + timedelta(minutes=5)
    changed_mind = op(session, hoa, "late", taken=at - timedelta(minutes=1))
    trainer = op(session, hoa, "present", taken=at)
    coordinator = op(session, hoa, "absent", taken=at + timedelta(minutes=1))
    send(users["trainer"], [changed_mind, trainer], at + timedelta(hours=2))
    (answer,) = send(users["coordinator"], [coordinator], at + timedelta(hours=3))
    assert answer["result"] == "applied" and answer["conflict"]["op_id"] == trainer["op_id"]
    (found,) = ops.conflicts([session.id])
    assert (found.winner.op_id, found.loser.op_id) == (coordinator["op_id"], trainer["op_id"])
    # the coordinator keeps the trainer's mark, having seen both: settled
    ops.settle(users["coordinator"], found.loser, at + timedelta(hours=4))
    db.session.commit()
    assert marks(session) == {hoa.id: ("present", "")} and ops.conflicts([session.id]) == []


def test_a_change_made_having_seen_the_other_mark_is_no_conflict(db, users, running):
    klass, applications = running()
    session = first(klass)
    hoa = by_name(applications)["Đinh Thị Hoa"]
    at = started(session) + timedelta(minutes=5)
    trainer = op(session, hoa, "present", taken=at)
    send(users["trainer"], [trainer], at)
    (answer,) = send(users["coordinator"], [op(session, hoa, "excused", base=trainer["op_id"],
                                               taken=at + timedelta(minutes=1))],
                     at + timedelta(minutes=2))
    assert answer["result"] == "applied" and answer["conflict"] is None
    assert ops.conflicts([session.id]) == []


def test_a_late_operation_waits_for_a_coordinator_and_counts_once_approved(db, users, running):
    klass, applications = running()
    session = first(klass)
    people = by_name(applications)
    at = started(session) + timedelta(minutes=5)
    late = op(session, people["Hồ Thị An"], "excused", taken=at)
    declined = op(session, people["Phạm Văn Ba"], "absent", taken=at)
    answers = send(users["trainer"], [late, declined], at + timedelta(days=3))
    assert [a["result"] for a in answers] == ["pending", "pending"]
    assert "48 giờ" in answers[0]["reason"] and marks(session) == {}
    assert "attendance.pending" in _actions()
    waiting = {o.op_id: o for o in ops.pending([session.id])}
    assert set(waiting) == {late["op_id"], declined["op_id"]}
    assert ops.decide(users["coordinator"], waiting[late["op_id"]], True,
                      at + timedelta(days=3)).result == "applied"
    ops.decide(users["coordinator"], waiting[declined["op_id"]], False, at + timedelta(days=3))
    db.session.commit()
    assert marks(session) == {people["Hồ Thị An"].id: ("excused", "")}
    assert ops.pending([session.id]) == []
    # sent once more by the phone: a duplicate, answered with its first outcome
    (again,) = send(users["trainer"], [late], at + timedelta(days=4))
    assert (again["result"], again["outcome"]) == ("duplicate", "pending")


def test_a_trainer_offline_all_day_keeps_that_days_marks_after_the_class_is_closed(
        db, users, running):
    klass, applications = running()
    session = first(klass)
    hoa = by_name(applications)["Đinh Thị Hoa"]
    at = started(session) + timedelta(hours=2)
    klass.status = "finished"
    db.session.commit()
    (answer,) = send(users["trainer"], [op(session, hoa, "present", taken=at)],
                     at + timedelta(hours=20))
    assert answer["result"] == "applied"
    # taken after the class's last day: waits for a coordinator
    after = started(last(klass)) + timedelta(days=1)
    (held,) = send(users["trainer"], [op(session, hoa, "absent", taken=after)],
                   after + timedelta(minutes=1))
    assert held["result"] == "pending" and "kết thúc" in held["reason"]


def test_an_operation_taken_before_its_session_began_waits(db, users, running):
    klass, applications = running()
    session = first(klass)
    hoa = by_name(applications)["Đinh Thị Hoa"]
    before = started(session) - timedelta(hours=1)
    (answer,) = send(users["trainer"], [op(session, hoa, taken=before)],
                     started(session) + timedelta(hours=1))
    assert answer["result"] == "pending" and "trước khi buổi học bắt đầu" in answer["reason"]


def test_bad_operations_are_refused_one_by_one_and_the_good_ones_applied(
        db, users, running, make_cadre):
    klass, applications = running()
    other, _others = running(names=[("Lò Thị Khác", "F")])
    other.trainers.clear()  # a class the trainer does not teach
    db.session.commit()
    session = first(klass)
    people = by_name(applications)
    stranger = make_cadre("Lò Văn Lạ")
    at = started(session) + timedelta(minutes=5)
    good = op(session, people["Hồ Thị An"], "present", taken=at)
    items = [
        good,
        op(session, stranger, "present", taken=at),  # not admitted
        {**op(session, people["Phạm Văn Ba"], taken=at), "status": "ngủ"},  # unknown status
        op(last(klass), people["Phạm Văn Ba"], taken=at),  # a session not started yet
        {**op(session, people["Phạm Văn Ba"], taken=at), "session_id": other.sessions[0].id},
        {**op(session, people["Phạm Văn Ba"], taken=at), "op_id": "x"},  # a bad id
        {**op(session, people["Phạm Văn Ba"], taken=at), "taken_at": "hôm qua"},
        {**op(session, people["Phạm Văn Ba"], taken=at), "note": "x" * 201},
        "not an object",
    ]
    answers = send(users["trainer"], items, at + timedelta(minutes=1))
    assert [a["result"] for a in answers] == ["applied"] + ["rejected"] * 8
    reasons = [a["reason"] for a in answers[1:]]
    assert "không có trong danh sách được triệu tập" in reasons[0]
    assert "không phải trạng thái điểm danh" in reasons[1]
    assert "chưa bắt đầu" in reasons[2]
    assert "Chỉ giảng viên của lớp" in reasons[3]
    assert "Mã thao tác" in reasons[4] and "taken_at" in reasons[5] and "200" in reasons[6]
    assert marks(session) == {people["Hồ Thị An"].id: ("present", "")}
    assert len(stored_ops()) == 1


def test_a_batch_sent_from_a_clock_far_ahead_is_refused_with_the_reason(db, users, running):
    klass, applications = running()
    session = first(klass)
    at = started(session) + timedelta(minutes=5)
    answers = send(users["trainer"], [op(session, a, taken=at + timedelta(days=30))
                                      for a in applications], at, skew=timedelta(days=30))
    assert {a["result"] for a in answers} == {"rejected"}
    assert "nhanh hơn máy chủ 720 giờ" in answers[0]["reason"]
    assert marks(session) == {} and stored_ops() == []


def test_a_batch_that_cannot_be_read_is_refused_whole():
    for data, status in (([], 400), ({"ops": "x"}, 400), ({"ops": []}, 400),
                         ({"sent_at": "2026-01-01T00:00:00Z", "ops": [{}] * 501}, 413)):
        try:
            ops.read_batch(data)
        except ops.BatchError as exc:
            assert exc.status == status and exc.message
        else:
            raise AssertionError(data)
