"""Allocation in the app: preview, confirm, promotions, overrides, audit, learners' view."""

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.classes import enrolment
from app.classes.models import Application, TrainingClass
from app.timeutil import local_today, utcnow
from tests.classes.conftest import confirm_fields, policy_field


@pytest.fixture()
def crowded(db, make_class, make_cadre, apply_for, learner_cadre, son_ha):
    """3 seats, 6 applicants: the learner (woman, leader) applied last. Women get 3 points
    here (not the default) so that points and the quota both show."""
    klass = make_class(capacity=3, min_women_share=0.5, weight_woman=3.0)
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
    return client.post(f"/classes/{klass.id}/allocation",
                       data=confirm_fields(page.get_data(as_text=True)))


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
    assert 'name="fingerprint"' not in bad.get_data(True)  # no confirming a policy not shown


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
        "fingerprint": "0" * 20, "policy": policy_field()})
    assert stale.status_code == 409

    # The coordinator withdraws someone admitted (not the learner), with a reason: the first on
    # the waitlist who keeps the quotas is promoted.
    leaving = next(a for a in admitted if a.id != learner_app.id)
    response = client.post(f"/classes/{klass.id}/applications/{leaving.id}/withdraw",
                           data={"reason": "Ốm", "confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TrainingClass, klass.id).admitted_count == 3
    promoted = db.session.get(Application, waiting[0].id)
    assert promoted.status == "admitted" and "Được gọi bổ sung" in promoted.reasons[-2]
    assert promoted.reasons[-1] == "Là người đứng đầu danh sách chờ"
    assert re.fullmatch(r"Được gọi bổ sung lúc \d\d:\d\d ngày \d\d/\d\d/\d{4} \(thứ 1 trong "
                        r"danh sách chờ\) vào chỗ của .+ đã rút tên", promoted.reasons[-2])
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
        "fingerprint": fingerprint, "policy": policy_field()})
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
    preview = enrolment.preview(klass, klass.policy)
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


def _allocate(db, klass, users):

    preview = enrolment.preview(klass, klass.policy)
    enrolment.confirm_allocation(users["coordinator"], klass.id, preview.policy,
                                 preview.fingerprint, utcnow())
    db.session.commit()


def test_late_nomination_takes_a_free_seat_or_joins_the_end_of_the_waitlist(
        db, make_class, make_cadre, apply_for, users):
    klass = make_class(capacity=2)
    apply_for(klass, [make_cadre("Đinh Thị A")])
    _allocate(db, klass, users)
    late = make_cadre("Đinh Thị Muộn")
    (app,) = enrolment.nominate(users["coordinator"], klass.id, [late.id], utcnow(),
                                local_today())
    db.session.commit()
    assert app.status == "admitted" and klass.admitted_count == 2  # a seat was free
    # The class is now full, the normal state after allocation: later nominations join the
    # end of the waitlist (DECISIONS: "after allocation a nomination joins the end of the
    # waitlist"), in the order nominated.
    later = [make_cadre("Đinh Thị X"), make_cadre("Phạm Văn Y", gender="M")]
    created = enrolment.nominate(users["coordinator"], klass.id, [c.id for c in later],
                                 utcnow(), local_today())
    db.session.commit()
    assert [(a.status, a.waitlist_rank) for a in created] == [("waitlisted", 1),
                                                             ("waitlisted", 2)]
    assert created[0].reasons == ["Đăng ký sau khi lớp đã xét chọn nên xếp cuối danh sách chờ"]
    assert db.session.get(TrainingClass, klass.id).admitted_count == 2
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "application.nominate").order_by(AuditEntry.id.desc())).first()
    assert "sau khi đã xét chọn: vào cuối danh sách chờ" in entry.summary


def test_learner_applies_after_allocation_while_the_window_is_open(
        client, db, login, make_class, make_cadre, apply_for, learner_cadre, users):
    from datetime import timedelta

    today = local_today()
    klass = make_class(capacity=1, apply_until=today + timedelta(days=3))
    apply_for(klass, [make_cadre("Đinh Thị Sớm"), make_cadre("Hồ Thị Kịp")])
    _allocate(db, klass, users)
    login("learner")
    assert "vào cuối danh sách chờ" in client.get("/classes/").get_data(as_text=True)
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Lớp đã xét chọn xong: nếu đăng ký bây giờ" in page
    assert client.post(f"/classes/{klass.id}/apply").status_code == 302
    mine = db.session.scalar(select(Application).where(
        Application.cadre_id == learner_cadre.id))
    assert (mine.status, mine.waitlist_rank) == ("waitlisted", 2)  # after the one waiting
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Bạn đứng thứ 2 trong danh sách chờ." in page
    assert "bạn vào danh sách chờ, đứng thứ 2" in page  # the message right after applying
    assert db.session.get(TrainingClass, klass.id).admitted_count == 1

    # Once the window has closed, the learner is told why (and nothing is written).
    closed = make_class(capacity=1, apply_until=today - timedelta(days=1))
    apply_for(closed, [make_cadre("Phạm Thị Đúng")])
    _allocate(db, closed, users)
    response = client.post(f"/classes/{closed.id}/apply")
    assert response.status_code == 409
    assert "Đã hết hạn đăng ký" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Application).where(
        Application.class_id == closed.id)) == 1


def test_confirm_refuses_when_a_cadre_changed_after_the_preview(client, db, login, crowded):
    """The fingerprint covers the result, not only the applications: changes to the cadres
    themselves (activity, gender...) after the preview make the confirmation fail."""
    from app.people.models import Cadre

    klass, apps = crowded
    login("coordinator")
    by_name = {a.cadre.full_name: a for a in apps}
    nam, hai = by_name["Phạm Thị Năm"].cadre_id, by_name["Đinh Văn Hai"].cadre_id

    def change_then_confirm(change):
        page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
        fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page)[1]
        change()
        db.session.commit()
        response = client.post(f"/classes/{klass.id}/allocation", data={
            "fingerprint": fingerprint, "policy": policy_field()})
        assert response.status_code == 409
        assert "Kết quả xét chọn đã thay đổi kể từ khi xem trước" in response.get_data(True)
        db.session.expire_all()
        assert db.session.get(TrainingClass, klass.id).status == "open"
        assert db.session.get(TrainingClass, klass.id).admitted_count == 0
        assert {s for s, _rank in _statuses(db, klass)} == {"applied"}
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "class.allocate")) == 0

    # 1. An admitted woman is no longer active (she would be rejected).
    change_then_confirm(lambda: setattr(db.session.get(Cadre, nam), "active", False))
    db.session.get(Cadre, nam).active = True
    db.session.commit()
    # 2. A waitlisted man is corrected to a woman (he would now be admitted).
    change_then_confirm(lambda: setattr(db.session.get(Cadre, hai), "gender", "F"))
    # With a fresh preview the confirmation goes through.
    assert _confirm(client, klass).status_code == 302


def test_tie_reasons_show_vietnam_time(client, login, make_class, make_cadre, apply_for):
    klass = make_class(capacity=1)
    apply_for(klass, [make_cadre("Đinh Thị Một"), make_cadre("Đinh Thị Hai")])  # 01:00, 01:01 UTC
    login("coordinator")
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert ("Cùng điểm với người khác: ai đăng ký trước xếp trước (đăng ký lúc 08:01 ngày "
            "05/01/2026)") in page
    assert "01:01 05/01/2026" not in page


def test_scores_are_shown_the_same_way_everywhere(client, db, login, crowded):
    klass, _apps = crowded
    login("coordinator")
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert '<span class="small score">6 điểm</span>' in page and "6.0" not in page
    _confirm(client, klass)
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert '<span class="small score">6 điểm</span>' in page  # admitted list
    assert '<span class="small score">3 điểm</span>' in page  # waitlist


def _edit_form(klass, **overrides):
    data = {"code": klass.code, "title": klass.title, "course_id": "", "place": klass.place,
            "start_date": klass.start_date.isoformat(), "end_date": klass.end_date.isoformat(),
            "capacity": str(klass.capacity), "apply_from": "", "apply_until": "",
            "description": "", "trainer_ids": [t.id for t in klass.trainers],
            "unit_ids": [u.id for u in klass.invited_units], "min_attendance_pct": "80",
            "daily_rate": "0", "min_women_pct": str(klass.policy_percent()),
            "max_per_unit": "", "weight_woman": "3", "weight_village_leader": "2",
            "weight_not_trained": "1"}
    data.update(overrides)
    return data


def test_raising_the_capacity_of_an_allocated_class_promotes_from_the_waitlist(
        client, db, login, crowded):
    klass, _apps = crowded
    login("coordinator")
    _confirm(client, klass)
    db.session.expire_all()
    klass = db.session.get(TrainingClass, klass.id)
    first_two = db.session.scalars(select(Application.id).where(
        Application.class_id == klass.id, Application.status == "waitlisted")
        .order_by(Application.waitlist_rank).limit(2)).all()
    response = client.post(f"/classes/{klass.id}/edit", data=_edit_form(klass, capacity="5"))
    assert response.status_code == 302
    db.session.expire_all()
    klass = db.session.get(TrainingClass, klass.id)
    assert klass.capacity == 5 and klass.admitted_count == 5
    assert [db.session.get(Application, i).status for i in first_two] == ["admitted"] * 2
    assert [r for s, r in _statuses(db, klass) if s == "waitlisted"] == [1]
    assert "khi số chỗ của lớp tăng từ 3 lên 5" in db.session.get(
        Application, first_two[0]).reasons[-2]
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    history = page[page.index('<ul class="list-unstyled small history">'):]
    assert "Đổi số chỗ của lớp L-001 từ 3 thành 5" in history
    assert history.count("được gọi bổ sung từ danh sách chờ") == 2
    assert page.count("được gọi bổ sung từ danh sách chờ.") == 2  # told right after saving


def test_fill_route_promotes_into_free_seats(client, db, login, crowded, make_class):
    klass, _apps = crowded
    login("coordinator")
    _confirm(client, klass)
    db.session.expire_all()
    admitted = db.session.scalar(select(Application).where(
        Application.class_id == klass.id, Application.status == "admitted"))
    client.post(f"/classes/{klass.id}/applications/{admitted.id}/override",
                data={"action": "waitlist", "reason": "Đi công tác đột xuất"})
    db.session.expire_all()
    assert db.session.get(TrainingClass, klass.id).admitted_count == 2
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert "Còn 1 chỗ trống: gọi bổ sung từ danh sách chờ" in page
    first = db.session.scalar(select(Application).where(
        Application.class_id == klass.id, Application.waitlist_rank == 1))
    assert client.post(f"/classes/{klass.id}/fill").status_code == 302
    db.session.expire_all()
    assert db.session.get(TrainingClass, klass.id).admitted_count == 3
    promoted = db.session.get(Application, first.id)
    assert promoted.status == "admitted"
    assert "theo yêu cầu của cán bộ điều phối" in promoted.reasons[-2]
    # Nothing free: the button does nothing; a class not yet allocated is refused.
    assert enrolment.fill(None, klass.id, utcnow()) == []
    db.session.rollback()
    response = client.post(f"/classes/{make_class().id}/fill")
    assert response.status_code == 409
    assert "Chỉ gọi bổ sung được khi lớp đã xét chọn" in response.get_data(as_text=True)


def test_promotion_skips_the_first_waitlisted_man_to_keep_the_women_quota(
        client, db, login, make_class, make_cadre, apply_for, users):
    # Women get no points: the women quota alone decides. 2 seats, 50% women.
    klass = make_class(capacity=2, min_women_share=0.5, weight_woman=0.0)
    lead_woman, lead_man, next_man, woman = apply_for(klass, [
        make_cadre("Đinh Thị Trưởng"), make_cadre("Phạm Văn Trưởng", gender="M"),
        make_cadre("Hồ Văn Chờ", gender="M"),
        make_cadre("Đinh Thị Chờ", position="cong-chuc-khac")])
    _allocate(db, klass, users)
    assert [db.session.get(Application, a.id).status for a in (lead_woman, lead_man)] == [
        "admitted", "admitted"]
    assert [db.session.get(Application, a.id).waitlist_rank for a in (next_man, woman)] == [1, 2]
    login("coordinator")
    assert client.post(f"/classes/{klass.id}/applications/{lead_woman.id}/withdraw",
                       data={"reason": "Nghỉ sinh", "confirmed": "1"}).status_code == 302
    db.session.expire_all()
    promoted, skipped = db.session.get(Application, woman.id), db.session.get(Application,
                                                                               next_man.id)
    assert promoted.status == "admitted"
    assert promoted.reasons[-1].startswith("Là người đầu tiên trong danh sách chờ đáp ứng được "
                                           "nhiều nhất các quy định xét chọn của lớp")
    assert (skipped.status, skipped.waitlist_rank) == ("waitlisted", 1)
    assert db.session.get(TrainingClass, klass.id).admitted_count == 2


def test_the_counter_constraint_is_a_real_backstop(client, db, login, crowded, monkeypatch):
    """If a path ever tried to give a seat that is not free, the relative counter update hits
    `admitted_count <= capacity`: a clear 409 and nothing written."""
    klass, _apps = crowded
    login("coordinator")
    _confirm(client, klass)
    db.session.expire_all()
    waiting = db.session.scalar(select(Application).where(
        Application.class_id == klass.id, Application.waitlist_rank == 1))
    monkeypatch.setattr(enrolment, "_seat_free", lambda _klass: True)  # a broken pre-check
    response = client.post(f"/classes/{klass.id}/applications/{waiting.id}/override",
                           data={"action": "admit", "reason": "Thử vượt số chỗ"})
    assert response.status_code == 409
    assert "Lớp chỉ có 3 chỗ; thao tác này sẽ vượt quá số chỗ nên chưa lưu gì" in (
        response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Application, waiting.id).status == "waitlisted"
    assert db.session.get(TrainingClass, klass.id).admitted_count == 3
    assert db.session.scalar(select(func.count()).select_from(Application).where(
        Application.class_id == klass.id, Application.status == "admitted")) == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "application.override")) == 0


def test_learner_sees_a_cancelled_class_and_no_live_waitlist_after_the_start(
        client, db, login, make_class, make_cadre, apply_for, learner_cadre, users):
    from app.classes import service

    klass = make_class(capacity=1, min_women_share=0.0, weight_woman=0.0,
                       weight_village_leader=0.0)
    apply_for(klass, [learner_cadre, make_cadre("Đinh Thị Sau")])
    _allocate(db, klass, users)
    login("learner")
    assert "Bạn được triệu tập dự lớp này." in client.get(f"/classes/{klass.id}").get_data(True)
    service.change_status(users["coordinator"], enrolment.lock_class(klass.id), "cancelled",
                          "Thiên tai")
    db.session.commit()
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Bạn được triệu tập dự lớp này." not in page
    assert "Lớp này đã bị hủy; bạn không phải tham dự. Lý do hủy: Thiên tai" in page
    assert "Lớp đã hủy" in client.get("/classes/").get_data(as_text=True)

    running = make_class(capacity=1, min_women_share=0.0, weight_woman=0.0,
                         weight_village_leader=0.0)
    apply_for(running, [make_cadre("Đinh Thị Trước"), learner_cadre])
    _allocate(db, running, users)
    assert "Bạn đứng thứ 1 trong danh sách chờ." in client.get(
        f"/classes/{running.id}").get_data(True)
    for target in ("running", "finished"):
        service.change_status(users["coordinator"], enrolment.lock_class(running.id), target)
        db.session.commit()
        page = client.get(f"/classes/{running.id}").get_data(as_text=True)
        assert "Bạn đứng thứ" not in page
        assert ("không còn gọi bổ sung" if target == "running" else
                "bạn không được gọi bổ sung") in page
        assert "thứ 1" not in client.get("/classes/").get_data(as_text=True)
