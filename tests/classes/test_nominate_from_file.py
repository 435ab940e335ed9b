"""Nominating from a cadre file finds people as the cadre import does (same person by year or
date), never rewrites a listed cadre, and writes nothing when a row is wrong."""

import io
from datetime import date

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.classes.models import Application
from app.people.models import Cadre

HEADER = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Thôn/Bản,Xã,Số điện thoại\n"


def upload(client, klass, *rows):
    text = HEADER + "".join(row + "\n" for row in rows)
    return client.post(f"/classes/{klass.id}/nominate/import", data={
        "file": (io.BytesIO(text.encode("utf-8-sig")), "de-cu.csv")},
        content_type="multipart/form-data")


def cadres(db) -> list[Cadre]:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalars(select(Cadre).order_by(Cadre.id)).all()


def nominated(db) -> list[int]:
    return db.session.scalars(select(Application.cadre_id).order_by(Application.id)).all()


def refused(response, *texts, status=422) -> None:
    assert response.status_code == status
    page = response.get_data(as_text=True)
    for text in texts:
        assert text in page


def test_a_year_only_row_nominates_the_cadre_known_by_date(client, db, login, make_class,
                                                          make_cadre):
    klass = make_class()
    hoa = make_cadre("Đinh Thị Hoa", birth_year=1985, birth_date=date(1985, 3, 12))
    login("coordinator")
    response = upload(client, klass, "Đinh Thị Hoa,Nữ,1985,Hrê,Trưởng thôn,,Sơn Kỳ,")
    assert response.status_code == 302, response.get_data(as_text=True)
    (only,) = cadres(db)  # no second Đinh Thị Hoa born "1985"
    assert only.id == hoa.id and only.birth_date == date(1985, 3, 12)
    assert nominated(db) == [hoa.id]


def test_a_dated_row_nominates_the_cadre_known_by_year_and_fills_in_the_date(
        client, db, login, make_class, make_cadre):
    klass = make_class()
    hoa = make_cadre("Đinh Thị Hoa", birth_year=1985)
    login("coordinator")
    response = upload(client, klass, "Đinh Thị Hoa,Nữ,12/03/1985,Hrê,Trưởng thôn,,Sơn Kỳ,")
    assert response.status_code == 302, response.get_data(as_text=True)
    (only,) = cadres(db)
    assert only.id == hoa.id and only.birth_date == date(1985, 3, 12)
    assert nominated(db) == [hoa.id]
    # Filled in, so the next file with the date matches exactly.
    assert only.identity_key.split("|")[1] == "1985-03-12"


def test_a_year_that_fits_two_cadres_is_a_problem_at_its_row_and_nothing_is_written(
        client, db, login, make_class, make_cadre):
    klass = make_class()
    make_cadre("Đinh Thị Hoa", birth_year=1985, birth_date=date(1985, 3, 12))
    make_cadre("Đinh Thị Hoa", birth_year=1985, birth_date=date(1985, 11, 20))
    login("coordinator")
    response = upload(client, klass, "Phạm Văn Mới,Nam,1990,Hrê,Bí thư chi bộ thôn,,Sơn Hà,",
                      "Đinh Thị Hoa,Nữ,1985,Hrê,Trưởng thôn,,Sơn Kỳ,")
    refused(response, "Tệp có lỗi; chưa đề cử ai.",
            "Dòng 3, cột “Ngày sinh”: Có 2 cán bộ tên Đinh Thị Hoa sinh năm 1985",
            "12/03/1985, 20/11/1985")
    assert len(cadres(db)) == 2  # Phạm Văn Mới was not added
    assert nominated(db) == []
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action.in_(("cadre.create", "cadre.import", "application.import")))) == 0


def test_two_rows_naming_the_cadre_known_by_year_are_refused(client, db, login, make_class,
                                                             make_cadre):
    klass = make_class()
    make_cadre("Đinh Thị Hoa", birth_year=1985)
    login("coordinator")
    response = upload(client, klass, "Đinh Thị Hoa,Nữ,12/03/1985,Hrê,Trưởng thôn,,Sơn Kỳ,",
                      "Đinh Thị Hoa,Nữ,20/11/1985,Hrê,Trưởng thôn,,Sơn Kỳ,")
    refused(response, "Dòng 3, cột “Ngày sinh”: Dòng 2 và dòng này cùng chỉ cán bộ Đinh Thị Hoa")
    assert nominated(db) == []
    (only,) = cadres(db)
    assert only.birth_date is None  # the date was not filled in either


def test_nominating_does_not_rewrite_a_listed_cadre(client, db, login, make_class, make_cadre,
                                                    son_ha):
    """create_only: the file finds and adds people; the cadre list is edited on its own page."""
    klass = make_class()
    hoa = make_cadre("Đinh Thị Hoa", birth_year=1985, birth_date=date(1985, 3, 12),
                     phone="0905111222")
    login("coordinator")
    response = upload(client, klass,
                      "Đinh Thị Hoa,Nữ,12/03/1985,Kinh,Người có uy tín,,Sơn Kỳ,0912345678",
                      "Phạm Văn Mới,Nam,1990,Hrê,Bí thư chi bộ thôn,,Sơn Hà,0905000333")
    assert response.status_code == 302, response.get_data(as_text=True)
    stored, added = cadres(db)
    assert stored.id == hoa.id
    assert (stored.position.code, stored.ethnicity_code, stored.phone) == (
        "truong-thon", "18", "0905111222")
    assert (added.full_name, added.phone, added.commune_id) == (
        "Phạm Văn Mới", "0905000333", son_ha["new:son-ha"].id)
    assert nominated(db) == [hoa.id, added.id]
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "cadre.update")) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cadre.import"))
    assert entry.data["source"] == "nomination"
    assert (entry.data["created"], entry.data["unchanged"]) == (1, 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã đề cử 2 người từ tệp de-cu.csv (1 người mới thêm vào danh sách cán bộ)." in page
    assert "hồ sơ của người đã có được giữ nguyên" in page  # the form says so


def test_a_person_who_cannot_be_nominated_leaves_no_new_cadre(client, db, login, make_class,
                                                              make_cadre, son_ha):
    klass = make_class()
    make_cadre("Đinh Thị Hoa", birth_year=1985, birth_date=date(1985, 3, 12))
    login("coordinator")
    response = upload(client, klass, "Đinh Thị Hoa,Nữ,1985,Hrê,Trưởng thôn,,Sơn Kỳ,",
                      "Hồ Văn Xa,Nam,1990,Hrê,Trưởng thôn,,Sơn Linh,")
    refused(response, "không thuộc các xã được mời")
    assert len(cadres(db)) == 1 and nominated(db) == []


def test_a_person_added_meanwhile_is_a_conflict(client, db, login, make_class, make_cadre,
                                                monkeypatch):
    klass = make_class()
    make_cadre("Đinh Thị Hoa", birth_year=1985, birth_date=date(1985, 3, 12))
    # As if another import had added Hoa after this one looked her up.
    monkeypatch.setattr("app.people.cadre_file.importing.existing_by_key", lambda keys: {})
    login("coordinator")
    response = upload(client, klass, "Phạm Văn Mới,Nam,1990,Hrê,Bí thư chi bộ thôn,,Sơn Hà,",
                      "Đinh Thị Hoa,Nữ,12/03/1985,Hrê,Trưởng thôn,,Sơn Kỳ,")
    refused(response, "vừa được người khác thay đổi trong lúc nhập", status=409)
    assert "Tệp có lỗi" not in response.get_data(as_text=True)
    assert len(cadres(db)) == 1 and nominated(db) == []
