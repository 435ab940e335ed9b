"""No surprises (issue 14): a class on the days of another class of the same person warns the
learner who applies and the coordinator who nominates (both may go on); giving up an admitted
seat asks first and says who gets it."""

from datetime import timedelta

from sqlalchemy import func, select

from app.classes import overlap
from app.classes.models import Application, TrainingClass
from app.timeutil import local_today


def _count(db, klass):
    return db.session.scalar(select(func.count()).select_from(Application).where(
        Application.class_id == klass.id, Application.status != "withdrawn"))


def test_the_overlap_rule(db, make_class, make_cadre, apply_for):
    start = local_today() + timedelta(days=30)
    first = make_class(start=start, days=3, title="Lớp thứ nhất")
    ada, bao = make_cadre("Đinh Thị Ada"), make_cadre("Phạm Văn Bảo", gender="M")
    apply_for(first, [ada])
    same_last_day = make_class(start=start + timedelta(days=2), days=1)
    day_after = make_class(start=start + timedelta(days=3), days=1)
    day_before = make_class(start=start - timedelta(days=2), days=2)
    assert list(overlap.clashes(same_last_day, [ada.id, bao.id])) == [ada.id]
    assert overlap.clashes(same_last_day, [ada.id])[ada.id][0].id == first.id
    assert overlap.clashes(day_after, [ada.id]) == {}
    assert overlap.clashes(day_before, [ada.id]) == {}
    assert overlap.clashes(first, [ada.id]) == {}  # not with itself
    # a cancelled class leaves its days free
    first.status = "cancelled"
    db.session.commit()
    assert overlap.clashes(same_last_day, [ada.id]) == {}


def test_a_learner_is_warned_before_applying_to_a_class_on_the_same_days(
        client, db, login, make_class, learner_cadre, apply_for):
    start = local_today() + timedelta(days=30)
    held = make_class(start=start, days=2, code="TH-GIU", title="Lớp đang giữ")
    apply_for(held, [learner_cadre])
    other = make_class(start=start + timedelta(days=1), days=2, code="TH-MOI")
    login("learner")
    page = client.get(f"/classes/{other.id}").get_data(as_text=True)
    assert "trùng ngày với lớp bạn đã đăng ký" in page and "TH-GIU Lớp đang giữ" in page
    assert "Vẫn đăng ký" in page and 'name="overlap_ok"' in page
    # a post without having seen the warning (the class list's button) is stopped, nothing made
    response = client.post(f"/classes/{other.id}/apply")
    assert response.status_code == 409 and "TH-GIU" in response.get_data(as_text=True)
    assert _count(db, other) == 0
    # once warned, the learner may go on
    assert client.post(f"/classes/{other.id}/apply", data={"overlap_ok": "1"}).status_code == 302
    assert _count(db, other) == 1


def test_a_coordinator_is_warned_before_nominating_and_may_proceed(
        client, db, login, make_class, make_cadre, apply_for):
    start = local_today() + timedelta(days=30)
    held = make_class(start=start, days=2, code="TH-GIU")
    busy, free = make_cadre("Đinh Thị Bận"), make_cadre("Đinh Văn Rảnh", gender="M")
    apply_for(held, [busy])
    other = make_class(start=start, days=1, code="TH-MOI")
    login("coordinator")
    listing = client.get(f"/classes/{other.id}/nominate").get_data(as_text=True)
    assert "Trùng ngày: TH-GIU" in listing
    response = client.post(f"/classes/{other.id}/nominate",
                           data={"cadre_ids": [busy.id, free.id]})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Đinh Thị Bận" in page and "TH-GIU" in page
    assert "Vẫn đề cử" in page and _count(db, other) == 0
    response = client.post(f"/classes/{other.id}/nominate",
                           data={"cadre_ids": [busy.id, free.id], "overlap_ok": "1"})
    assert response.status_code == 302 and _count(db, other) == 2


def test_giving_up_an_admitted_seat_asks_first(client, db, login, make_class, learner_cadre,
                                               make_cadre, apply_for):
    klass = make_class(status="allocated")
    mine, waiting = apply_for(klass, [learner_cadre, make_cadre("Phạm Văn Chờ", gender="M")])
    mine.status, waiting.status, waiting.waitlist_rank = "admitted", "waitlisted", 1
    klass.admitted_count = 1
    db.session.commit()
    login("learner")
    url = f"/classes/{klass.id}/applications/{mine.id}/withdraw"
    page = client.post(url, data={"reason": "Ốm"}).get_data(as_text=True)
    assert "người đầu tiên trong danh sách chờ (hiện có 1 người chờ)" in page
    assert ">Ốm</textarea>" in page and 'name="confirmed" value="1"' in page
    db.session.refresh(mine)
    assert mine.status == "admitted"  # nothing changed yet
    assert client.post(url, data={"reason": "Ốm", "confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, mine.id).status == "withdrawn"
    assert db.session.get(Application, waiting.id).status == "admitted"
    assert db.session.get(TrainingClass, klass.id).admitted_count == 1


def test_a_file_of_nominations_names_those_on_another_class(client, db, login, make_class,
                                                            make_cadre, apply_for):
    import io

    start = local_today() + timedelta(days=30)
    held = make_class(start=start, days=2, code="TH-GIU")
    apply_for(held, [make_cadre("Đinh Thị Hoa", birth_year=1985)])
    other = make_class(start=start, days=1, code="TH-MOI")
    text = ("Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Thôn/Bản,Xã,Số điện thoại\n"
            "Đinh Thị Hoa,Nữ,1985,Hrê,Trưởng thôn,,Sơn Kỳ,\n"
            "Phạm Văn Mới,Nam,1990,Hrê,Bí thư chi bộ thôn,,Sơn Hà,\n")
    login("coordinator")
    response = client.post(f"/classes/{other.id}/nominate/import", data={
        "file": (io.BytesIO(text.encode("utf-8-sig")), "de-cu.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Đã đề cử 2 người" in page
    assert "Đinh Thị Hoa đã có lớp khác trùng ngày: TH-GIU" in page
    assert "Phạm Văn Mới đã có lớp khác" not in page
    assert _count(db, other) == 2
