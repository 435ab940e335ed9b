"""Allocation in the app: preview, confirm, promotions, overrides, audit, learners' view."""

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.classes import enrolment
from app.classes.models import Application, TrainingClass
from app.timeutil import local_today, utcnow


@pytest.fixture()
def crowded(db, make_class, make_cadre, apply_for, learner_cadre, son_ha):
    """3 seats, 6 applicants: the learner (woman, leader) applied last."""
    klass = make_class(capacity=3, min_women_share=0.5)
    people = [
        make_cadre("Phạm Văn Một", gender="M"),
        make_cadre("Đinh Văn Hai", gender="M", position="cong-chuc-khac"),
        make_cadre("Hồ Thị Ba", commune=son_ha["new:son-ha"]),
        make_cadre("Đinh Văn Bốn", gender="M", commune=son_ha["new:son-ha"]),
        make_cadre("Phạm Thị Năm", position="cong-chuc-khac"),
    ]
    apps = apply_for(klass, [*people, learner_cadre])
    return klass, apps


def _confirm(client, klass, **policy):
    page = client.get(f"/classes/{klass.id}/applications", query_string=policy)
    text = page.get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', text)
    fields = {name: re.search(rf'name="{name}" type="hidden" value="([^"]*)"', text).group(1)
              for name in ("min_women_pct", "max_per_unit", "weight_woman",
                           "weight_village_leader", "weight_not_trained")}
    return client.post(f"/classes/{klass.id}/allocation",
                       data={"fingerprint": fingerprint.group(1), **fields})


def _statuses(db, klass):
    rows = db.session.execute(select(Application.id, Application.status, Application.waitlist_rank)
                              .where(Application.class_id == klass.id)
                              .order_by(Application.id)).all()
    return [(status, rank) for _id, status, rank in rows]


def test_preview_shows_ranking_reasons_and_figures(client, login, crowded):
    klass, _apps = crowded
    login("coordinator")
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert "Xem trước kết quả xét chọn" in page
    assert "Nữ: 3 người được triệu tập; yêu cầu tối thiểu 2 (50% số chỗ" in page
    assert "Được xét chọn: thứ 1/3 trong danh sách chính thức" in page
    assert "Tổng điểm ưu tiên: 6 điểm" in page  # the learner: woman, leader, not trained
    assert "Xã Sơn Kỳ" in page and "Xã Sơn Hà" in page  # unit figures
    # Adjusting the policy changes the preview (nothing is written).
    changed = client.get(f"/classes/{klass.id}/applications", query_string={
        "min_women_pct": 0, "max_per_unit": 1, "weight_woman": 0, "weight_village_leader": 0,
        "weight_not_trained": 0}).get_data(as_text=True)
    assert "Số chỗ tối đa mỗi xã áp dụng: 2 (nâng từ 1 để lấp đủ chỗ)" in changed
    bad = client.get(f"/classes/{klass.id}/applications", query_string={
        "min_women_pct": 150, "weight_woman": 1, "weight_village_leader": 1,
        "weight_not_trained": 1})
    assert bad.status_code == 400 and "Tỷ lệ nữ phải từ 0 đến 100." in bad.get_data(True)


def test_confirm_then_withdrawal_promotes_and_everything_is_audited(client, db, login, crowded,
                                                                    users):
    klass, apps = crowded
    login("coordinator")
    assert _confirm(client, klass).status_code == 302
    db.session.expire_all()
    klass = db.session.get(TrainingClass, klass.id)
    assert klass.status == "allocated" and klass.admitted_count == 3
    admitted = [a for a in apps if db.session.get(Application, a.id).status == "admitted"]
    waiting = sorted((db.session.get(Application, a.id) for a in apps
                      if db.session.get(Application, a.id).status == "waitlisted"),
                     key=lambda a: a.waitlist_rank)
    assert [a.waitlist_rank for a in waiting] == [1, 2, 3]
    learner_app = apps[-1]
    assert db.session.get(Application, learner_app.id).status == "admitted"
    assert db.session.get(Application, learner_app.id).reasons[0].startswith("Được xét chọn")

    # A second confirmation (e.g. another coordinator's stale page) is refused.
    stale = client.post(f"/classes/{klass.id}/allocation", data={
        "fingerprint": "0" * 20, "min_women_pct": "50", "max_per_unit": "",
        "weight_woman": "3", "weight_village_leader": "2", "weight_not_trained": "1"})
    assert stale.status_code == 409

    # The learner withdraws: the first on the waitlist who keeps the quotas is promoted.
    leaving = next(a for a in admitted if a.id != learner_app.id)
    response = client.post(f"/classes/{klass.id}/applications/{leaving.id}/withdraw",
                           data={"reason": "Ốm"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TrainingClass, klass.id).admitted_count == 3
    promoted = db.session.get(Application, waiting[0].id)
    assert promoted.status == "admitted" and "Được gọi bổ sung" in promoted.reasons[-1]
    assert sorted(r for s, r in _statuses(db, klass) if s == "waitlisted") == [1, 2]

    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "class").order_by(AuditEntry.id)).all()
    assert "class.allocate" in actions and "application.promote" in actions
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "class.allocate"))
    assert entry.user_id == users["coordinator"].id and entry.data["women_admitted"] >= 2
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Xác nhận xét chọn lớp" in page and "được gọi bổ sung từ danh sách chờ" in page


def test_fingerprint_refuses_a_changed_list(client, db, login, crowded, make_cadre, apply_for):
    klass, _apps = crowded
    login("coordinator")
    text = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', text)[1]
    apply_for(klass, [make_cadre("Đinh Thị Sau")])
    response = client.post(f"/classes/{klass.id}/allocation", data={
        "fingerprint": fingerprint, "min_women_pct": "50", "max_per_unit": "",
        "weight_woman": "3.0", "weight_village_leader": "2.0", "weight_not_trained": "1.0"})
    assert response.status_code == 409
    assert "đã thay đổi kể từ khi xem trước" in response.get_data(as_text=True)
    assert db.session.get(TrainingClass, klass.id).status == "open"
    assert client.post(f"/classes/{klass.id}/allocation", data={}).status_code == 400


def test_overrides_need_a_reason_and_never_exceed_capacity(client, db, login, crowded):
    klass, apps = crowded
    login("coordinator")
    _confirm(client, klass)
    db.session.expire_all()
    waiting = db.session.scalar(select(Application).where(
        Application.class_id == klass.id, Application.waitlist_rank == 2))
    admitted = db.session.scalar(select(Application).where(
        Application.class_id == klass.id, Application.status == "admitted"))
    url = f"/classes/{klass.id}/applications/{{}}/override"
    no_reason = client.post(url.format(waiting.id), data={"action": "admit", "reason": " "})
    assert no_reason.status_code == 400
    assert "Vui lòng ghi rõ lý do" in no_reason.get_data(as_text=True)
    full = client.post(url.format(waiting.id), data={"action": "admit", "reason": "Cần gấp"})
    assert full.status_code == 409 and "Lớp đã đủ 3 chỗ" in full.get_data(as_text=True)
    assert client.post(url.format(admitted.id), data={
        "action": "waitlist", "reason": "Trùng lịch công tác"}).status_code == 302
    assert client.post(url.format(waiting.id), data={
        "action": "admit", "reason": "Phụ trách địa bàn khó khăn"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, waiting.id).status == "admitted"
    moved = db.session.get(Application, admitted.id)
    assert moved.status == "waitlisted" and moved.waitlist_rank == 3  # end of the waitlist
    assert db.session.get(TrainingClass, klass.id).admitted_count == 3
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "application.override").order_by(AuditEntry.id)).all()
    assert [e.reason for e in entries] == ["Trùng lịch công tác", "Phụ trách địa bàn khó khăn"]
    assert "Phụ trách địa bàn khó khăn" in client.get(f"/classes/{klass.id}").get_data(True)


def test_learner_sees_waitlist_position(client, db, login, make_class, make_cadre, apply_for,
                                        learner_cadre, users):
    klass = make_class(capacity=1, min_women_share=0.0, weight_woman=0.0,
                       weight_village_leader=0.0)
    first = make_cadre("Đinh Thị Sớm")
    apply_for(klass, [first, learner_cadre])
    preview = enrolment.preview(klass, __import__("app.classes.service").classes.service
                                .policy_of(klass))
    enrolment.confirm_allocation(users["coordinator"], klass.id, preview.policy,
                                 preview.fingerprint, utcnow())
    db.session.commit()
    login("learner")
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Bạn đứng thứ 1 trong danh sách chờ." in page
    assert "thứ 1" in client.get("/classes/").get_data(as_text=True)


def test_trained_before_uses_the_main_topic(db, make_class, make_cadre, apply_for, users):
    from app.courses.models import Course

    course = Course(slug="gn", code="GN-1", title="Giảm nghèo", topics=["chuong-trinh"],
                    status="published")
    other = Course(slug="bdg", code="BDG-1", title="Bình đẳng giới", topics=["binh-dang-gioi"],
                   status="published")
    db.session.add_all([course, other])
    db.session.commit()
    past = make_class(status="finished", course_id=course.id)
    past_other = make_class(status="finished", course_id=other.id)
    trained, fresh = make_cadre("Đinh Thị Cũ"), make_cadre("Đinh Thị Mới")
    for klass in (past, past_other):
        (app,) = apply_for(klass, [trained])
        app.status = "admitted"
    db.session.commit()
    upcoming = make_class(course_id=course.id)
    assert enrolment.trained_before(upcoming) == {trained.id}
    assert fresh.id not in enrolment.trained_before(upcoming)
    assert enrolment.trained_before(make_class(course_id=None)) == set()


def test_late_nomination_joins_the_waitlist_or_takes_a_free_seat(db, make_class, make_cadre,
                                                                  apply_for, users):
    from app.classes import service

    klass = make_class(capacity=2)
    apply_for(klass, [make_cadre("Đinh Thị A")])
    preview = enrolment.preview(klass, service.policy_of(klass))
    enrolment.confirm_allocation(users["coordinator"], klass.id, preview.policy,
                                 preview.fingerprint, utcnow())
    late = make_cadre("Đinh Thị Muộn")
    (app,) = enrolment.nominate(users["coordinator"], klass.id, [late.id], utcnow(),
                                local_today())
    db.session.commit()
    assert app.status == "admitted" and klass.admitted_count == 2
    with pytest.raises(enrolment.EnrolmentError, match="Lớp đã đủ chỗ"):
        enrolment.nominate(users["coordinator"], klass.id, [make_cadre("Đinh Thị X").id],
                           utcnow(), local_today())
