"""What the learner's class list reads (issue 15): their cadre as a plain row, the communes'
mergers from a statement built once, and the classes still open to them without a NOT EXISTS
per class (PostgreSQL's generic plan of it joined every open class with every application)."""

from app.classes import enrolment, queries
from tests.conftest import statements


def _open_statement(seen: list[str]) -> str:
    return next(s for s in seen if "class_units" in s and "apply_until" in s)


def test_classes_applied_to_are_left_out_as_one_list_of_the_learners_classes(
        client, db, login, make_class, learner_cadre, apply_for):
    applied = make_class(title="Đã đăng ký rồi")
    apply_for(applied, [learner_cadre])
    make_class(title="Còn mở cho tôi")
    login("learner")
    with statements() as seen:
        page = client.get("/classes/").get_data(as_text=True)
    listed = page[page.index('class="list-group open-classes"'):]
    listed = listed[:listed.index("</ul>")]
    assert "Còn mở cho tôi" in listed and "Đã đăng ký rồi" not in listed
    found = " ".join(_open_statement(seen).split())
    assert "NOT IN (SELECT applications.class_id FROM applications WHERE " \
           "applications.cadre_id" in found
    assert "EXISTS (SELECT applications" not in found


def test_the_learners_cadre_is_read_as_the_list_needs_it(client, db, login, learner_cadre,
                                                          make_class):
    """Their id, commune and whether they are active: not the account's `cadre`, every column
    of the cadre made an ORM object."""
    make_class(title="Còn mở cho tôi")
    login("learner")
    with statements() as seen:
        page = client.get("/classes/").get_data(as_text=True)
    read = [" ".join(s.split()) for s in seen if "FROM cadres" in s]
    assert len(read) == 1
    assert read[0].startswith("SELECT cadres.id, cadres.commune_id, cadres.active FROM cadres")
    assert "Còn mở cho tôi" in page


def test_an_inactive_learner_is_offered_no_class(client, db, login, learner_cadre, make_class):
    make_class(title="Còn mở cho tôi")
    learner_cadre.active = False
    db.session.commit()
    login("learner")
    page = client.get("/classes/").get_data(as_text=True)
    assert "Còn mở cho tôi" not in page
    assert "Hiện không có lớp nào đang mở đăng ký cho xã của bạn." in page


def test_an_account_without_a_cadre_is_told_so(client, db, login, users):
    login("learner")
    page = client.get("/classes/").get_data(as_text=True)
    assert "Tài khoản chưa gắn với hồ sơ cán bộ." in page
    assert queries.learner_cadre(0) is None


def test_unit_roots_follow_a_merger_not_yet_flushed(db, son_ha):
    """The statement is Core (built once): it flushes first, as an ORM statement does."""
    old, new = son_ha["old:son-ba"], son_ha["new:son-ha"]
    assert enrolment.unit_roots()[old.id] != new.id
    old.successor_id = new.id  # pending, not flushed
    assert enrolment.unit_roots()[old.id] == new.id
    db.session.rollback()
