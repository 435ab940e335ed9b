"""Issuing, numbering, frozen data, revoking and reissuing (domain and pages)."""

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.certificates import issuing
from app.certificates.models import Certificate
from app.documents.models import org_info
from app.timeutil import local_today, utcnow

SHORT = {"Phạm Văn Ba": ["present", "present", "absent", "absent", "present"]}


def _issue(users, klass, application_id=None):
    return issuing.issue(users["coordinator"], klass, org_info(), local_today(), utcnow(),
                         application_id)


def test_issue_to_all_eligible_numbers_them_in_name_order(db, users, finished, confirmed):
    klass, apps = finished(SHORT)
    confirmed(klass)
    issued = _issue(users, klass)
    db.session.commit()
    year = local_today().year
    # Vietnamese name order: An, Hoa, Út (Ba is short of a session)
    assert [(c.holder_name, c.number, c.register_number) for c in issued] == [
        ("Hồ Thị An", "001/GCN-UBND", f"001/{year}"),
        ("Đinh Thị Hoa", "002/GCN-UBND", f"002/{year}"),
        ("Đinh Văn Út", "003/GCN-UBND", f"003/{year}")]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificates.issue"))
    assert "001/GCN-UBND" in entry.summary


def test_issuing_to_a_learner_who_is_short_is_refused_with_the_reason(client, login, users,
                                                                     finished, confirmed):
    klass, apps = finished(SHORT)
    confirmed(klass)
    login(users["coordinator"])
    response = client.post(f"/classes/{klass.id}/certificates/issue",
                           data={"application_id": apps["Phạm Văn Ba"].id})
    assert response.status_code == 409
    assert "Phạm Văn Ba chưa đủ điều kiện cấp giấy chứng nhận: thiếu 1 buổi." in \
        response.get_data(as_text=True)
    assert Certificate.query.count() == 0


def test_a_second_issue_for_the_same_learner_is_refused(client, login, users, finished,
                                                       confirmed):
    klass, apps = finished()
    confirmed(klass)
    login(users["coordinator"])
    one = {"application_id": apps["Đinh Thị Hoa"].id}
    assert client.post(f"/classes/{klass.id}/certificates/issue", data=one).status_code == 303
    again = client.post(f"/classes/{klass.id}/certificates/issue", data=one)
    assert again.status_code == 409
    assert "đã có giấy chứng nhận của lớp này" in again.get_data(as_text=True)
    assert Certificate.query.count() == 1


def test_issue_is_refused_until_the_results_are_confirmed(client, login, users, finished):
    klass, _ = finished()
    login(users["coordinator"])
    response = client.post(f"/classes/{klass.id}/certificates/issue", data={})
    assert response.status_code == 409
    assert "chưa được giảng viên xác nhận" in response.get_data(as_text=True)


def test_the_trainer_confirms_and_may_not_issue(client, login, users, finished):
    klass, _ = finished()
    login(users["trainer"])
    page = client.get(f"/classes/{klass.id}/certificates")
    assert page.status_code == 200 and "Xác nhận kết quả: 4/4 học viên đạt" in page.get_data(
        as_text=True)
    assert client.post(f"/classes/{klass.id}/certificates/confirm").status_code == 303
    assert "Đã xác nhận" in client.get(f"/classes/{klass.id}/certificates").get_data(
        as_text=True)
    assert client.post(f"/classes/{klass.id}/certificates/issue").status_code == 403


def test_a_certificate_keeps_what_it_printed(db, users, finished, confirmed):
    from app.documents.models import FIELDS, OrgSetting, save_settings

    klass, apps = finished()
    confirmed(klass)
    [hoa] = _issue(users, klass, apps["Đinh Thị Hoa"].id)
    db.session.commit()
    apps["Đinh Thị Hoa"].cadre.full_name = "Đinh Thị Hoà Bình"
    klass.title = "Tên lớp đã sửa"
    values = {name: getattr(org_info(), name) for name in FIELDS}
    save_settings(users["admin"], {**values, "signer_name": "Người Khác"})
    db.session.commit()
    db.session.expire_all()
    hoa = db.session.get(Certificate, hoa.id)
    assert (hoa.holder_name, hoa.class_title, hoa.signer_name) == (
        "Đinh Thị Hoa", "Lớp tập huấn thử", "Đinh Văn Minh")
    assert db.session.get(OrgSetting, 1).signer_name == "Người Khác"


def test_revoke_needs_a_reason_and_stays_in_the_register(client, login, db, users, finished,
                                                        confirmed):
    klass, apps = finished()
    confirmed(klass)
    [hoa] = _issue(users, klass, apps["Đinh Thị Hoa"].id)
    db.session.commit()
    login(users["coordinator"])
    empty = client.post(f"/certificates/{hoa.code}/revoke", data={"reason": "  "})
    assert empty.status_code == 400 and "Vui lòng ghi lý do" in empty.get_data(as_text=True)
    assert db.session.get(Certificate, hoa.id).revoked_at is None
    done = client.post(f"/certificates/{hoa.code}/revoke", data={"reason": "Cấp nhầm lớp"})
    assert done.status_code == 303
    db.session.expire_all()
    hoa = db.session.get(Certificate, hoa.id)
    assert hoa.revoke_reason == "Cấp nhầm lớp" and not hoa.in_force
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "certificates.revoke"))
    assert entry.reason == "Cấp nhầm lớp"
    register = client.get("/certificates/register").get_data(as_text=True)
    assert hoa.number in register and "Đã thu hồi" in register
    twice = client.post(f"/certificates/{hoa.code}/revoke", data={"reason": "Cấp nhầm lớp"})
    assert twice.status_code == 409


def test_reissue_gives_a_new_number_and_the_old_points_to_it(client, login, db, users,
                                                            finished, confirmed):
    klass, apps = finished()
    confirmed(klass)
    [hoa] = _issue(users, klass, apps["Đinh Thị Hoa"].id)
    db.session.commit()
    apps["Đinh Thị Hoa"].cadre.full_name = "Đinh Thị Hòa"  # the name was misspelt
    db.session.commit()
    login(users["coordinator"])
    response = client.post(f"/certificates/{hoa.code}/reissue",
                           data={"reason": "Sửa họ tên theo căn cước"})
    assert response.status_code == 303
    db.session.expire_all()
    old = db.session.get(Certificate, hoa.id)
    new = old.replaced_by
    assert (old.number, new.number, new.holder_name) == ("001/GCN-UBND", "002/GCN-UBND",
                                                          "Đinh Thị Hòa")
    assert not old.in_force and new.in_force and old.revoke_reason.startswith("Cấp lại")
    again = client.post(f"/certificates/{hoa.code}/reissue", data={"reason": "Lần nữa nhé"})
    assert again.status_code == 409 and "đã được cấp lại bằng giấy số 002/GCN-UBND" in \
        again.get_data(as_text=True)


def test_a_fresh_issue_after_a_revoke_is_linked_to_the_revoked_one(client, login, db, users,
                                                                    finished, confirmed):
    """Revoked without reissue, then issued again (one learner or the whole class): the
    revoked certificate points to the new one, so the register, its page and the public
    verification say by which certificate it was replaced."""
    klass, apps = finished()
    confirmed(klass)
    issued = _issue(users, klass)
    db.session.commit()
    hoa = next(c for c in issued if c.holder_name == "Đinh Thị Hoa")
    issuing.revoke(users["coordinator"], hoa, "Cấp nhầm số", utcnow())
    db.session.commit()
    login(users["coordinator"])
    response = client.post(f"/classes/{klass.id}/certificates/issue",
                           data={"application_id": apps["Đinh Thị Hoa"].id})
    assert response.status_code == 303
    db.session.expire_all()
    old = db.session.get(Certificate, hoa.id)
    assert old.replaced_by is not None and old.replaced_by.holder_name == "Đinh Thị Hoa"
    assert old.replaced_by.in_force and old.replaced_by.number != old.number
    client.post("/auth/logout")
    verify = client.get(f"/verify/{old.code}").get_data(as_text=True)
    assert f"Đã được cấp lại bằng giấy số {old.replaced_by.number}." in verify
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "certificates.issue").order_by(AuditEntry.id.desc())).first()
    assert f"thay giấy số {old.number} đã thu hồi" in entry.summary


def test_issuing_to_the_whole_class_links_each_revoked_one(db, users, finished, confirmed):
    klass, apps = finished()
    confirmed(klass)
    issued = _issue(users, klass)
    db.session.commit()
    for certificate in issued[:2]:
        issuing.revoke(users["coordinator"], certificate, "Sai ngày lớp", utcnow())
    db.session.commit()
    again = _issue(users, klass)
    db.session.commit()
    assert len(again) == 2
    for old in issued[:2]:
        db.session.refresh(old)
        assert old.replaced_by is not None
        assert old.replaced_by.application_id == old.application_id
    assert issued[2].replaced_by is None


def test_the_number_pattern_and_signer_come_from_the_settings(db, users, son_ha, finished,
                                                             confirmed):
    from app.documents.models import FIELDS, save_settings

    values = {name: getattr(org_info(), name) for name in FIELDS}
    save_settings(users["admin"], {**values, "unit_id": son_ha["new:son-ha"].id,
                                   "certificate_pattern": "{số}/{năm}/GCN",
                                   "certificate_signer_authority": "",
                                   "certificate_signer_title": "CHỦ TỊCH",
                                   "certificate_signer_name": "Phạm Văn Lý"})
    db.session.commit()
    klass, apps = finished(communes=("new:son-ha",))
    confirmed(klass)
    [hoa] = _issue(users, klass, apps["Đinh Thị Hoa"].id)
    year = local_today().year
    assert hoa.number == f"001/{year}/GCN"
    assert hoa.issuer_lines == [["ỦY BAN NHÂN DÂN", True], ["XÃ SƠN HÀ", True]]
    assert (hoa.signer_authority, hoa.signer_title, hoa.signer_name) == (
        "", "CHỦ TỊCH", "Phạm Văn Lý")
