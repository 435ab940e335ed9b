"""Applications: applying, nominating (list and file), eligibility, withdrawals."""

from datetime import timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.classes.models import Application
from app.timeutil import local_today


def _count(db, **where):
    query = select(func.count()).select_from(Application)
    for key, value in where.items():
        query = query.where(getattr(Application, key) == value)
    return db.session.scalar(query)


def test_learner_applies_to_an_open_class_and_sees_it(client, db, login, make_class,
                                                      learner_cadre):
    klass = make_class(apply_from=local_today() - timedelta(days=1),
                       apply_until=local_today() + timedelta(days=5))
    login("learner")
    index = client.get("/classes/").get_data(as_text=True)
    assert "Lớp đang mở đăng ký" in index and klass.title in index
    assert client.post(f"/classes/{klass.id}/apply").status_code == 302
    app = db.session.scalar(select(Application))
    assert app.cadre_id == learner_cadre.id and app.source == "self" and app.status == "applied"
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Đang chờ xét chọn." in page
    again = client.post(f"/classes/{klass.id}/apply")
    assert again.status_code == 409 and "Bạn đã đăng ký lớp này" in again.get_data(True)
    assert _count(db) == 1


def test_applications_refused_with_a_clear_reason(client, db, login, make_class, learner_cadre,
                                                  son_ha):
    today = local_today()
    closed = make_class(apply_until=today - timedelta(days=1))
    early = make_class(apply_from=today + timedelta(days=2))
    cancelled = make_class(status="cancelled")
    planned = make_class(status="planned")
    full_and_closed = make_class(status="allocated", capacity=1,
                                 apply_until=today - timedelta(days=1))
    full_and_closed.admitted_count = 1
    running = make_class(status="running")
    far = make_class(communes=("new:son-linh",))
    db.session.commit()
    login("learner")
    expected = {
        closed: "Đã hết hạn đăng ký (hạn cuối ngày",
        early: "Chưa đến thời gian đăng ký (từ ngày",
        cancelled: "Lớp đã bị hủy, không nhận đăng ký.",
        planned: "Lớp chưa mở đăng ký.",
        full_and_closed: "Đã hết hạn đăng ký (hạn cuối ngày",  # open window: waitlist
        running: "Lớp đang học, không nhận đăng ký.",
    }
    for klass, message in expected.items():
        response = client.post(f"/classes/{klass.id}/apply")
        assert response.status_code == 409, message
        assert message in response.get_data(as_text=True)
    response = client.post(f"/classes/{far.id}/apply")
    assert response.status_code == 422
    assert "Xã Sơn Kỳ không thuộc các xã được mời dự lớp này (xã Sơn Linh)" in response.get_data(
        as_text=True)
    assert client.get(f"/classes/{far.id}").status_code == 403  # nor may they see it
    assert _count(db) == 0


def test_nomination_is_all_or_nothing_with_reasons(client, db, login, make_class, make_cadre,
                                                   son_ha):
    klass = make_class()
    ok = make_cadre("Đinh Thị Hoa")
    inactive = make_cadre("Phạm Văn Bốc", gender="M", active=False)
    far = make_cadre("Hồ Thị Mai", commune=son_ha["new:son-linh"])
    login("coordinator")
    page = client.get(f"/classes/{klass.id}/nominate").get_data(as_text=True)
    assert "Đinh Thị Hoa" in page and "Có thể đề cử" in page
    response = client.post(f"/classes/{klass.id}/nominate",
                           data={"cadre_ids": [ok.id, inactive.id, far.id]})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Cán bộ đã ngừng theo dõi" in text
    assert "Xã Sơn Linh không thuộc các xã được mời dự lớp này" in text
    assert _count(db) == 0
    assert client.post(f"/classes/{klass.id}/nominate", data={}).status_code == 400
    # stray keys ("class_id", "_external") are not filters: they are dropped, never a 500
    done = client.post(f"/classes/{klass.id}/nominate", data={
        "cadre_ids": [ok.id], "commune": son_ha['new:son-ky'].id, "at": 2, "class_id": 999,
        "_external": 1, "_scheme": "ftp"})
    assert done.status_code == 302  # back to the same filters, for the next commune
    assert done.headers["Location"].endswith(
        f"/classes/{klass.id}/nominate?commune={son_ha['new:son-ky'].id}&page=2")
    assert _count(db, source="nominated") == 1
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã đề cử 1 cán bộ." in page
    again = client.post(f"/classes/{klass.id}/nominate", data={"cadre_ids": [ok.id]})
    assert again.status_code == 422 and "Đã có đơn đăng ký lớp này" in again.get_data(True)


def test_eligibility_follows_the_2025_merger(db, make_class, make_cadre, son_ha):
    from app.classes import enrolment

    old_invited = make_class(communes=("old:son-ba",))
    new_invited = make_class(communes=("new:son-ky",))
    in_old_unit = make_cadre("Đinh Văn Y", gender="M", commune=son_ha["old:son-ba"])
    in_new_unit = make_cadre("Đinh Thị Ớt", commune=son_ha["new:son-ky"])
    elsewhere = make_cadre("Đinh Thị Út", commune=son_ha["old:son-cao"])
    for klass in (old_invited, new_invited):
        assert enrolment.eligibility_problem(klass, in_old_unit) is None
        assert enrolment.eligibility_problem(klass, in_new_unit) is None
        assert "không thuộc các xã được mời" in enrolment.eligibility_problem(klass, elsewhere)


def test_nominate_from_a_cadre_file(client, db, login, make_class, make_cadre):
    import io

    from app.people.models import Cadre

    klass = make_class()
    make_cadre("Đinh Thị Hoa", birth_year=1985)
    header = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Thôn/Bản,Xã,Số điện thoại\n"
    good = (header + "Đinh Thị Hoa,Nữ,1985,Hrê,Trưởng thôn,,Sơn Kỳ,\n"
            "Phạm Văn Mới,Nam,1990,Hrê,Bí thư chi bộ thôn,,Sơn Hà,\n")
    bad = header + "Hồ Văn Xa,Nam,1990,Hrê,Trưởng thôn,,Sơn Linh,\n"
    login("coordinator")

    def upload(text):
        return client.post(f"/classes/{klass.id}/nominate/import", data={
            "file": (io.BytesIO(text.encode("utf-8-sig")), "de-cu.csv")},
            content_type="multipart/form-data")

    response = upload(bad)
    assert response.status_code == 422
    assert "không thuộc các xã được mời" in response.get_data(as_text=True)
    assert _count(db) == 0
    assert db.session.scalar(select(func.count()).select_from(Cadre)) == 1  # nothing half-written
    broken = upload(header + "Ai Đó,Nữ,1990,Hrê,Trưởng thôn,,Xã Không Có,\n")
    assert broken.status_code == 422 and "Không tìm thấy xã" in broken.get_data(as_text=True)
    assert upload(good).status_code == 302
    assert _count(db, source="imported") == 2
    assert db.session.scalar(select(func.count()).select_from(Cadre)) == 2


def test_withdrawal_by_learner_and_by_coordinator(client, db, login, make_class, learner_cadre,
                                                  make_cadre, apply_for, users):
    klass = make_class()
    other = make_cadre("Phạm Văn Rin", gender="M")
    mine, theirs = apply_for(klass, [learner_cadre, other])
    login("learner")
    assert client.post(f"/classes/{klass.id}/applications/{theirs.id}/withdraw",
                       data={}).status_code == 403
    assert client.post(f"/classes/{klass.id}/applications/{mine.id}/withdraw",
                       data={"reason": "Bận việc nhà"}).status_code == 302
    db.session.refresh(mine)
    assert mine.status == "withdrawn" and mine.note == "Bận việc nhà"
    assert "Bạn đã rút tên khỏi lớp này." in client.get(f"/classes/{klass.id}").get_data(True)
    # Applying again while the class is open revives the same application.
    assert client.post(f"/classes/{klass.id}/apply").status_code == 302
    db.session.refresh(mine)
    assert mine.status == "applied"
    client.post("/auth/logout")
    login("coordinator")
    response = client.post(f"/classes/{klass.id}/applications/{theirs.id}/withdraw", data={})
    assert response.status_code == 400 and "Vui lòng ghi lý do rút tên." in response.get_data(
        as_text=True)
    assert client.post(f"/classes/{klass.id}/applications/{theirs.id}/withdraw",
                       data={"reason": "Chuyển công tác", "confirmed": "1"}).status_code == 302
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action == "application.withdraw")).all()
    assert len(actions) == 2


def test_nominate_from_an_xlsx_file_refuses_an_inactive_cadre(client, db, login, make_class,
                                                               make_cadre):
    """The .xlsx form of the cadre template; an inactive cadre in it stops the whole file."""
    import io

    from openpyxl import Workbook

    klass = make_class()
    make_cadre("Đinh Thị Hoa", birth_year=1985)
    make_cadre("Phạm Văn Nghỉ", gender="M", birth_year=1970, active=False)

    def upload(rows):
        book = Workbook()
        book.active.append(["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chức vụ",
                            "Thôn/Bản", "Xã", "Số điện thoại"])
        for row in rows:
            book.active.append(row)
        data = io.BytesIO()
        book.save(data)
        data.seek(0)
        return client.post(f"/classes/{klass.id}/nominate/import",
                           data={"file": (data, "de-cu.xlsx")},
                           content_type="multipart/form-data")

    hoa = ["Đinh Thị Hoa", "Nữ", "1985", "Hrê", "Trưởng thôn", "", "Sơn Kỳ", ""]
    login("coordinator")
    response = upload([hoa, ["Phạm Văn Nghỉ", "Nam", "1970", "Hrê", "Trưởng thôn", "", "Sơn Kỳ",
                             ""]])
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Phạm Văn Nghỉ" in text and "Cán bộ đã ngừng theo dõi" in text
    assert _count(db) == 0
    assert upload([hoa]).status_code == 302
    assert _count(db, source="imported", status="applied") == 1


def test_a_coordinator_withdrawing_someone_is_asked_first_with_the_reason(
        client, db, login, make_class, make_cadre, apply_for):
    """One tap in the list does not withdraw: a page names the person, what happens to the
    seat, keeps the reason typed; only "Rút tên" there withdraws."""
    klass = make_class()
    rin, = apply_for(klass, [make_cadre("Phạm Văn Rin", gender="M")])
    login("coordinator")
    url = f"/classes/{klass.id}/applications/{rin.id}/withdraw"
    asked = client.post(url, data={"reason": "Chuyển công tác"})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "Rút tên Phạm Văn Rin khỏi lớp" in page
    assert "Chuyển công tác</textarea>" in page and 'name="confirmed" value="1"' in page
    db.session.refresh(rin)
    assert rin.status == "applied"  # nothing changed yet
    empty = client.post(url, data={"reason": " ", "confirmed": "1"})
    assert empty.status_code == 400 and 'id="reason-error"' in empty.get_data(as_text=True)
    assert "Vui lòng ghi lý do rút tên." in empty.get_data(as_text=True)
    db.session.refresh(rin)
    assert rin.status == "applied"
    done = client.post(url, data={"reason": "Chuyển công tác", "confirmed": "1"})
    assert done.status_code == 302
    db.session.refresh(rin)
    assert rin.status == "withdrawn" and rin.note == "Chuyển công tác"


def test_the_classes_open_to_a_learner_are_chosen_in_sql(client, db, login, make_class,
                                                         learner_cadre, son_ha):
    """Offered: open classes inviting the learner's commune, or a commune merged into it;
    an allocated class within its window. Not offered: a class of another commune, a planned
    one, an allocated one past its window, one already applied to."""
    today = local_today()
    commune = learner_cadre.commune.current()
    merged = next(key for key, unit in son_ha.items()
                  if key.startswith("old:") and unit.successor_id == commune.id)
    other = next(key for key, unit in son_ha.items()
                 if key.startswith("new:") and unit.id != commune.id)
    home = next(key for key, unit in son_ha.items() if unit.id == commune.id)
    offered = [make_class(title="Mời xã nhà", communes=(home,)),
               make_class(title="Mời xã cũ đã sáp nhập", communes=(merged,)),
               make_class(status="allocated", title="Đã xét chọn, còn hạn", communes=(home,),
                          apply_from=today - timedelta(days=2),
                          apply_until=today + timedelta(days=2))]
    hidden = [make_class(title="Mời xã khác", communes=(other,)),
              make_class(status="planned", title="Chưa mở", communes=(home,)),
              make_class(status="allocated", title="Đã xét chọn, hết hạn", communes=(home,),
                         apply_from=today - timedelta(days=9),
                         apply_until=today - timedelta(days=2)),
              make_class(title="Đã đăng ký rồi", communes=(home,))]
    db.session.add(Application(class_id=hidden[-1].id, cadre_id=learner_cadre.id))
    db.session.commit()
    login("learner")
    page = client.get("/classes/").get_data(as_text=True)
    listed = page[page.index('class="list-group open-classes"'):]
    listed = listed[:listed.index("</ul>")]
    assert all(k.title in listed for k in offered)
    assert not any(k.title in listed for k in hidden)


def test_applying_says_what_happened_without_reading_the_class_again(client, db, login,
                                                                     make_class, learner_cadre,
                                                                     count_queries):
    """The learner's application (a fifth of the load test's requests): the message after
    saving is made from what the save already read, so the post costs 10 statements, not 12
    (the class and the application read again after the commit)."""
    klass = make_class(apply_from=local_today() - timedelta(days=1),
                       apply_until=local_today() + timedelta(days=5))
    login("learner")
    client.get(f"/classes/{klass.id}")
    with count_queries() as statements:
        assert client.post(f"/classes/{klass.id}/apply").status_code == 302
    assert statements() <= 10
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert f"Đã đăng ký lớp {klass.code}. Kết quả xét chọn sẽ hiện ở trang này." in page
