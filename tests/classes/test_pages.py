"""Class list and pages per role; no N+1 (query counts); object checks."""

from app.classes import enrolment
from app.timeutil import utcnow
from tests.conftest import statements


def _fill(make_class, make_cadre, apply_for, classes, people):
    made = []
    for i in range(classes):
        klass = make_class(code=f"Q-{i:02d}")
        apply_for(klass, [make_cadre(f"Đinh Thị Số{i}x{j}", birth_year=1970 + j)
                          for j in range(people)])
        made.append(klass)
    return made


def test_class_list_query_count_does_not_grow(client, login, make_class, make_cadre, apply_for,
                                              count_queries):
    login("coordinator")
    _fill(make_class, make_cadre, apply_for, 2, 2)
    with count_queries() as small:
        assert client.get("/classes/").status_code == 200
    for i in range(2, 8):
        klass = make_class(code=f"R-{i:02d}")
        apply_for(klass, [make_cadre(f"Hồ Văn Số{i}", gender="M", birth_year=1960 + i)])
    with count_queries() as large:
        page = client.get("/classes/").get_data(as_text=True)
    assert large() == small()
    assert "R-07" in page and "Q-00" in page


def test_applications_page_query_count_does_not_grow(client, login, make_class, make_cadre,
                                                     apply_for, count_queries, users):
    login("coordinator")
    small, large = _fill(make_class, make_cadre, apply_for, 1, 3)[0], None
    with count_queries() as n_small:
        assert client.get(f"/classes/{small.id}/applications").status_code == 200
    large = make_class(code="BIG")
    apply_for(large, [make_cadre(f"Phạm Thị Người{j}", birth_year=1960 + j) for j in range(25)])
    with count_queries() as n_large:
        assert client.get(f"/classes/{large.id}/applications").status_code == 200
    assert n_large() == n_small()
    # After the allocation too.
    preview = enrolment.preview(large, large.policy)
    enrolment.confirm_allocation(users["coordinator"], large.id, preview.policy,
                                 preview.fingerprint, utcnow())
    from app.extensions import db

    db.session.commit()
    with count_queries() as n_after:
        assert client.get(f"/classes/{large.id}/applications").status_code == 200
    with count_queries() as n_detail:
        assert client.get(f"/classes/{large.id}").status_code == 200
    assert n_after() < 25 and n_detail() < 25


def test_each_role_sees_its_classes(client, login, make_class, make_cadre, apply_for,
                                    learner_cadre, users, make_user):
    taught = make_class(code="DAY")
    other = make_class(code="KHAC", status="planned")
    other.trainers = []
    apply_for(taught, [learner_cadre])
    from app.extensions import db

    db.session.commit()
    login("trainer")
    page = client.get("/classes/").get_data(as_text=True)
    assert "Lớp tôi giảng dạy" in page and "DAY" in page and "KHAC" not in page
    from app.vietnamese import format_date

    home = client.get("/").get_data(as_text=True)  # the trainer's card: when and where
    card = home[home.index('id="my-classes-title"'):]
    assert f"{format_date(taught.start_date)} – {format_date(taught.end_date)}" in card
    assert taught.place in card and "đăng ký lớp đang mở" not in card
    taught_page = client.get(f"/classes/{taught.id}").get_data(as_text=True)
    assert "Học viên được triệu tập" in taught_page and "Nhật ký xét chọn" in taught_page
    assert "Sửa lớp" not in taught_page and "Đăng ký và xét chọn" not in taught_page
    assert client.get(f"/classes/{other.id}").status_code == 403
    assert client.get(f"/classes/{taught.id}/admitted.pdf").status_code == 409  # nobody yet
    assert client.get(f"/classes/{other.id}/admitted.xlsx").status_code == 403
    assert client.get(f"/classes/{taught.id}/applications").status_code == 403
    client.post("/auth/logout")
    login("learner")
    page = client.get("/classes/").get_data(as_text=True)
    assert "Lớp của tôi" in page and taught.title in page
    assert client.get(f"/classes/{other.id}").status_code == 403
    assert client.get(f"/classes/{taught.id}/admitted.pdf").status_code == 403
    assert client.get(f"/classes/{taught.id}/applications").status_code == 403
    assert client.get("/classes/99999").status_code == 404
    own = client.get(f"/classes/{taught.id}").get_data(as_text=True)
    assert "Đăng ký của tôi" in own and "Đang chờ xét chọn." in own
    assert "Nhật ký xét chọn" not in own and "Học viên được triệu tập" not in own
    client.post("/auth/logout")
    stranger = make_user("khach", roles=("learner",))
    login(stranger)
    assert "chưa gắn với hồ sơ cán bộ" in client.get("/classes/").get_data(as_text=True)
    assert client.get(f"/classes/{taught.id}").status_code == 403


def test_home_page_shows_the_learners_class_status(client, db, users, login, make_cadre):
    """The learner's home page lists their class applications with the status."""
    from datetime import date, datetime

    from app.classes.models import Application, TrainingClass

    cadre = make_cadre("Đinh Thị Lanh", user_id=users["learner"].id)
    klass = TrainingClass(code="TH-HOME", title="Lớp rà soát hộ nghèo", place="Hội trường",
                          start_date=date(2027, 3, 1), end_date=date(2027, 3, 2), capacity=10,
                          status="allocated")
    db.session.add(klass)
    db.session.flush()
    db.session.add(Application(class_id=klass.id, cadre_id=cadre.id, status="waitlisted",
                               waitlist_rank=2, source="self", applied_at=datetime(2027, 1, 1)))
    db.session.commit()
    login("learner")
    page = client.get("/").get_data(as_text=True)
    assert "Lớp rà soát hộ nghèo" in page
    assert "thứ 2" in page


def test_coordinator_class_list_pages_and_searches_without_diacritics(app, client, db, users,
                                                                      login):
    from datetime import date

    from app.classes.models import TrainingClass

    for i in range(7):
        db.session.add(TrainingClass(code=f"TH-P{i}", title=f"Lớp số {i}", place="Xã Sơn Hạ",
                                     start_date=date(2027, 1, 1 + i), end_date=date(2027, 1, 2 + i),
                                     capacity=10, status="planned"))
    db.session.add(TrainingClass(code="TH-X", title="Bình đẳng giới", place="Hội trường Di Lăng",
                                 start_date=date(2026, 1, 1), end_date=date(2026, 1, 2),
                                 capacity=10, status="planned"))
    db.session.commit()
    login("coordinator")
    app.config["PAGE_SIZE"] = 5
    try:
        first = client.get("/classes/").get_data(as_text=True)
        assert "8 lớp" in first and "Trang 1 / 2" in first and "TH-P6" in first
        assert "TH-X" not in first
        second = client.get("/classes/?page=2").get_data(as_text=True)
        assert "TH-X" in second and "TH-P6" not in second
        found = client.get("/classes/?q=binh dang gioi").get_data(as_text=True)
        assert "TH-X" in found and "1 lớp" in found and "TH-P1" not in found
    finally:
        app.config["PAGE_SIZE"] = 50


def test_learner_pages_query_count_does_not_grow(client, db, login, make_class, learner_cadre,
                                                 apply_for, count_queries):
    """The learner's class list and home page: one query for their applications with their
    classes, however many classes they have been in."""
    def join(n):
        for i in range(n):
            klass = make_class(status="finished", code=f"H-{n}-{i}", title=f"Lớp đã học {n}-{i}")
            apply_for(klass, [learner_cadre])

    join(1)
    login("learner")
    with count_queries() as small:
        assert client.get("/classes/").status_code == 200
    with count_queries() as small_home:
        assert client.get("/").status_code == 200
    join(6)
    with count_queries() as large:
        page = client.get("/classes/").get_data(as_text=True)
    with count_queries() as large_home:
        assert client.get("/").status_code == 200
    assert "Lớp đã học 6-5" in page and "Lớp đã học 1-0" in page
    assert (large(), large_home()) == (small(), small_home())


def test_coordinator_home_lists_classes_in_progress_and_those_to_allocate(
        client, db, login, make_class, make_cadre, apply_for, count_queries):
    from datetime import timedelta

    from app.timeutil import local_today

    waiting = make_class(code="TH-CHO", title="Lớp chờ xét chọn")
    waiting.apply_until = local_today() - timedelta(days=1)
    apply_for(waiting, [make_cadre("Đinh Thị Một"), make_cadre("Hồ Văn Hai", gender="M")])
    make_class(code="TH-MO", title="Lớp đang nhận đăng ký")
    make_class(code="TH-XONG", title="Lớp đã kết thúc", status="finished")
    make_class(code="TH-DA", title="Lớp đã xét chọn", status="allocated", capacity=5)
    db.session.commit()
    login("coordinator")
    with count_queries() as few:
        page = client.get("/").get_data(as_text=True)
    card = page.split('id="classes-work-title"')[1].split("</section>")[0]
    assert "TH-CHO" in card and "TH-MO" in card and "TH-XONG" not in card
    assert "2 đăng ký / 3 chỗ" in card
    assert "0 được triệu tập / 5 chỗ" in card  # after allocation: seats, not applications
    assert card.count("Đã hết hạn đăng ký: xét chọn học viên") == 1
    assert f"/classes/{waiting.id}/applications" in card
    for i in range(4):
        apply_for(make_class(code=f"TH-N{i}"), [make_cadre(f"Đinh Thị Số{i}")])
    with statements() as seen:
        client.get("/")
    assert len(seen) == few()
    # the classes with their active applications counted, in one statement
    classes = [s for s in seen if "FROM classes" in s]
    assert len(classes) == 1 and "FROM applications" in classes[0]
    assert [s for s in seen if "FROM applications" in s] == classes


def test_learner_home_has_no_coordination_card(client, users, login):
    login("learner")
    assert 'id="classes-work-title"' not in client.get("/").get_data(as_text=True)


def test_trainer_home_lists_their_coming_classes_soonest_first(client, db, users, login,
                                                               make_class):
    from datetime import timedelta

    from app.timeutil import local_today

    today = local_today()
    make_class(code="SAU", start=today + timedelta(days=40))
    make_class(code="TRUOC", start=today + timedelta(days=5))
    make_class(code="HUY", status="cancelled", start=today + timedelta(days=10))
    make_class(code="XONG", status="finished", start=today - timedelta(days=30))
    login("trainer")
    card = client.get("/").get_data(as_text=True).split('id="my-classes-title"')[1]
    card = card.split("</section>")[0]
    assert card.index("TRUOC") < card.index("SAU")
    assert "HUY" not in card and "XONG" not in card


def test_home_cards_show_five_classes_each_in_one_statement(client, db, login, make_class,
                                                            apply_for, learner_cadre):
    """The learner's card: their five latest classes (by start), with their application's
    status; the trainer's: the five soonest still ahead. One statement each."""
    from datetime import timedelta

    from app.timeutil import local_today

    today = local_today()
    made = [make_class(code=f"K{i}", start=today + timedelta(days=10 * i)) for i in range(7)]
    for klass in made:
        apply_for(klass, [learner_cadre])
    made[5].status = "cancelled"
    for klass, status in zip(made[1:4], ("running", "planned", "allocated"), strict=True):
        klass.status = status  # every status not closed is on the trainer's card
    db.session.commit()
    login("learner")
    with statements() as seen:
        page = client.get("/").get_data(as_text=True)
    card = page.split('id="my-classes-title"')[1].split("</section>")[0]
    assert [c for c in (f"/classes/{k.id}\"" for k in reversed(made)) if c in card] == [
        f"/classes/{k.id}\"" for k in (made[6], made[5], made[4], made[3], made[2])]
    assert card.count("Lớp đã hủy") == 1 and card.count("Đã đăng ký") == 4
    assert len([s for s in seen if "FROM applications" in s]) == 1
    client.post("/auth/logout")
    login("trainer")
    with statements() as seen:
        page = client.get("/").get_data(as_text=True)
    card = page.split('id="my-classes-title"')[1].split("</section>")[0]
    shown = [k.code for k in made if f"{k.code} –" in card]
    assert shown == ["K0", "K1", "K2", "K3", "K4"]
    assert card.index("K0 –") < card.index("K4 –")
    assert len([s for s in seen if "FROM classes" in s or "JOIN classes" in s]) == 1


def test_a_trainers_classes_are_paged_in_sql(app, client, login, make_class, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    for i in range(7):
        make_class(code=f"T-{i:02d}")  # taught by the trainer
    login("trainer")
    first = client.get("/classes/").get_data(as_text=True)
    assert first.count("/classes/") >= 5 and "Trang 1 / 2" in first
    second = client.get("/classes/?list=trained&page=2").get_data(as_text=True)
    assert "Trang 2 / 2" in second
    shown = [f"T-{i:02d}" for i in range(7) if f"T-{i:02d} –" in second]
    assert len(shown) == 2


def test_the_class_page_reads_what_it_shows_of_the_class_with_it(
        client, db, login, make_class, make_user, count_queries):
    """The course comes with the class, in its statement; the invited units, trainers,
    sessions and required positions (with their positions) one statement each: the same count
    for a class of more days, communes, trainers and required positions."""
    from app.courses.models import Course
    from app.extensions import db as _db

    course = Course(slug="giam-ngheo", code="GN", title="Khóa giảm nghèo bền vững")
    db.session.add(course)
    db.session.commit()
    small = make_class(code="NHO", days=1, communes=("new:son-ky",), course_id=course.id)
    large = make_class(code="LON", days=4, communes=("new:son-ky", "new:son-ha", "new:son-thuy"),
                       course_id=course.id, required_positions=[
                           "chi-hoi-truong-phu-nu", "truong-thon", "bi-thu-chi-bo"])
    second = make_user("trainer2", roles=("trainer",), full_name="Hà Thị Giảng")
    large.trainers.append(second)
    db.session.commit()
    ids = (small.id, large.id)
    login("coordinator")
    seen = {}
    for class_id in ids:
        _db.session.remove()
        with count_queries() as n:
            page = client.get(f"/classes/{class_id}").get_data(as_text=True)
        seen[class_id] = (n(), page)
    (n_small, _), (n_large, page) = seen[ids[0]], seen[ids[1]]
    assert n_small == n_large == 8  # the account, the class with its course and its active
    # applications counted, its units, trainers, sessions and required positions, the
    # admitted, the history
    assert "Hà Thị Giảng" in page and "Buổi học (8)" in page
    assert "Khóa giảm nghèo bền vững" in page
    required = page.split('class="col-5 required-roles">')[1].split("</dd>")[0]
    assert required == ("Trưởng thôn, bản; Bí thư chi bộ thôn, bản; "
                        "Chi hội trưởng Chi hội Phụ nữ")  # in the positions' order
    client.post("/auth/logout")
    login("trainer")  # the trainer's page reads the same
    _db.session.remove()
    with count_queries() as n:
        page = client.get(f"/classes/{ids[1]}").get_data(as_text=True)
    assert n() == 8 and "Hà Thị Giảng" in page and "Đăng ký và xét chọn" not in page
    assert "Đăng ký và xét chọn (0)" in seen[ids[1]][1]  # the coordinator's, counted


def test_the_class_page_counts_the_applications_in_the_running(client, db, login, make_class,
                                                               make_cadre, apply_for):
    """The coordinator's button counts the applied, admitted and waitlisted, not the withdrawn
    or rejected: read with the class, and again on the page shown with a refusal."""
    klass = make_class(code="DEM", capacity=10)
    apps = apply_for(klass, [make_cadre(f"Hồ Thị Số{i}", birth_year=1970 + i) for i in range(5)])
    for app_, status in zip(apps, ("admitted", "waitlisted", "withdrawn", "rejected"),
                            strict=False):
        app_.status = status
        app_.waitlist_rank = 1 if status == "waitlisted" else None
    db.session.commit()
    login("coordinator")
    assert "Đăng ký và xét chọn (3)" in client.get(f"/classes/{klass.id}").get_data(as_text=True)
    refused = client.post(f"/classes/{klass.id}/status", data={})  # no target: the page again
    assert refused.status_code == 400
    assert "Đăng ký và xét chọn (3)" in refused.get_data(as_text=True)


def test_staff_pages_read_no_cadre_record(client, db, login, make_class, users):
    """The home page and the class list show a cadre record only to a learner: a trainer's
    and a coordinator's read none (it was one statement each, for nothing)."""
    from sqlalchemy import event

    make_class(code="DAY")
    seen = []

    def before(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    for role, url in (("trainer", "/"), ("trainer", "/classes/"), ("coordinator", "/")):
        login(role)
        db.session.remove()
        event.listen(db.engine, "before_cursor_execute", before)
        try:
            page = client.get(url).get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        assert "DAY" in page, (role, url)
        assert not [s for s in seen if "FROM cadres" in s], (role, url)
