"""The costs page of a class: a coordinator types the amounts the Vietnamese way and sees them
as 1.200.000; bad amounts are refused at their field with nothing saved; trainers and
learners get 403, a commune coordinator sees only the classes of their commune."""

import re

import pytest
from sqlalchemy import func, select

from app.costs.models import ClassCost

FORM = {"source_trainer": "", "per_session": "500.000", "budget_materials": "1.200.000",
        "spent_materials": "1 000 000 đ", "budget_hall": "", "spent_hall": "",
        "budget_water": "300000", "spent_water": "250.000", "budget_stationery": "",
        "spent_stationery": "", "budget_meal": "600.000", "budget_travel": "200.000",
        "budget_other": "", "spent_other": ""}


def _form(sources, **changes):
    data = dict(FORM)
    for line in ("trainer", "materials", "hall", "water", "stationery", "meal", "travel",
                 "other"):
        data[f"source_{line}"] = str(sources["central"].id)
    data["source_materials"] = str(sources["local"].id)
    data.update(changes)
    return data


def test_the_coordinator_saves_and_reads_back(client, login, users, marked, sources, db):
    klass, _applications = marked
    login(users["coordinator"])
    page = client.get(f"/classes/{klass.id}/costs").get_data(as_text=True)
    assert "Kinh phí lớp" in page and "Thù lao giảng viên, báo cáo viên" in page
    response = client.post(f"/classes/{klass.id}/costs", data=_form(sources))
    assert response.status_code == 303
    page = client.get(f"/classes/{klass.id}/costs").get_data(as_text=True)
    assert 'value="1.200.000"' in page and 'value="1.000.000"' in page
    row = re.search(r'<tr data-line="trainer">(.*?)</tr>', page, re.S)[1]
    assert "3.000.000" in row and "1.500.000" in row  # 500.000 × 6 sessions, × 3 held
    total = re.search(r'<tr class="fw-bold costs-total">(.*?)</tr>', page, re.S)[1]
    # 3.000.000 + 1.200.000 + 300.000 + 600.000 + 200.000; 1.500.000 + 1.000.000 + 250.000
    # + 200.000 (meals) + 50.000 (travel)
    assert "5.300.000" in total and "3.000.000" in total
    assert "Ngân sách địa phương đối ứng: 1.200.000 / 1.000.000" in page
    assert db.session.scalar(select(ClassCost.funding_source_id).where(
        ClassCost.class_id == klass.id, ClassCost.line == "materials")) == sources["local"].id


@pytest.mark.parametrize(("typed", "message"), [
    ("-5", "Số tiền phải từ 0 đến 100.000.000.000 đồng."),
    ("mười nghìn", "Không đọc được số “mười nghìn”"),
    ("1" * 45, "Không đọc được số"),
    ("200.000.000.000", "Số tiền phải từ 0 đến 100.000.000.000 đồng."),
    ("1,5", "Hãy nhập số nguyên"),
])
def test_bad_amounts_are_refused_at_their_field(client, login, users, marked, sources, db,
                                                typed, message):
    klass, _applications = marked
    login(users["coordinator"])
    response = client.post(f"/classes/{klass.id}/costs",
                           data=_form(sources, spent_materials=typed))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'id="spent_materials-error"[^>]*>(.*?)</div>', page, re.S)[1]
    assert message in error
    assert f'value="{typed[:50]}' in page or typed[:40] in page  # what was typed stays
    assert db.session.scalar(select(func.count()).select_from(ClassCost)) == 0


def test_an_unknown_source_is_refused(client, login, users, marked, sources, db):
    klass, _applications = marked
    login(users["coordinator"])
    response = client.post(f"/classes/{klass.id}/costs", data=_form(sources, source_hall="999"))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ClassCost)) == 0


@pytest.mark.parametrize("role", ["trainer", "learner"])
def test_trainers_and_learners_are_refused(client, login, users, marked, role, sources):
    klass, _applications = marked
    login(users[role])
    assert client.get(f"/classes/{klass.id}/costs").status_code == 403
    assert client.post(f"/classes/{klass.id}/costs", data=_form(sources)).status_code == 403
    assert client.get(f"/classes/{klass.id}/report.pdf").status_code == 403


def test_a_commune_coordinator_sees_only_their_classes(client, login, make_user, make_class,
                                                       son_ha, marked, sources):
    klass, _applications = marked  # invites xã Sơn Kỳ and xã Sơn Hà: the province's
    own = make_class(communes=("new:son-ky",))
    mine = make_user("son-ky", roles=("coordinator",), unit_id=son_ha["new:son-ky"].id)
    login(mine)
    assert client.get(f"/classes/{own.id}/costs").status_code == 200
    assert client.get(f"/classes/{klass.id}/costs").status_code == 403
    assert client.post(f"/classes/{klass.id}/costs", data=_form(sources)).status_code == 403
    assert client.get(f"/classes/{klass.id}/report.pdf").status_code == 403


def test_the_class_page_links_to_the_costs(client, login, users, marked):
    klass, _applications = marked
    login(users["coordinator"])
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert f'href="/classes/{klass.id}/costs"' in page
    assert f'href="/classes/{klass.id}/report.pdf"' in page
    client.post("/auth/logout")
    login(users["trainer"])
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert f"/classes/{klass.id}/costs" not in page


def test_the_page_reads_the_same_queries_whatever_the_learners(client, login, users, marked,
                                                               make_cadre, apply_for, admit,
                                                               count_queries, db):
    klass, _applications = marked
    login(users["coordinator"])
    url = f"/classes/{klass.id}/costs"
    client.get(url)
    db.session.expire_all()
    with count_queries() as before:
        client.get(url)
    klass.capacity += 6
    db.session.commit()
    more = admit(klass, apply_for(klass, [make_cadre(f"Hồ Văn Thêm {n}", "M", 1980 + n)
                                          for n in range(6)]))
    from app.attendance.models import AttendanceMark

    for application in more:
        db.session.add(AttendanceMark(session_id=klass.sessions[0].id,
                                      application_id=application.id, status="present"))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as after:
        assert client.get(url).status_code == 200
    assert after() == before()
