"""Coverage per commune and village, the grassroots leaders not yet trained on a course, and
the one click from that list to the class's nominate page (app/classes/nominate_views.py)."""

from datetime import date

import pytest
from sqlalchemy import select

from app.classes.models import Application, TrainingClass
from app.courses.models import Course
from app.reports import cells, coverage, indicators
from app.reports.indicators import Figure, Scope
from tests.conftest import statements
from tests.reports.test_indicators import data  # noqa: F401 - the hand-built data set

YEAR = Scope(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture()
def planned(db, data, son_ha, make_cadre):  # noqa: F811
    """Class A is of the course "Giảm nghèo bền vững" (Hoa and Bốc attended it); Mai, a
    trưởng thôn of Sơn Kỳ, never trained; class E of the same course, open, invites Sơn Kỳ."""
    course = Course(slug="giam-ngheo", code="GN01", title="Giảm nghèo bền vững",
                    status="published")
    db.session.add(course)
    db.session.flush()
    klass_a = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "A"))
    klass_a.course_id = course.id
    mai = make_cadre("Đinh Thị Mai", "F", 1992)
    klass_e = TrainingClass(code="E", title="Lớp E", place="Sơn Kỳ", start_date=date(2026, 12, 7),
                            end_date=date(2026, 12, 8), capacity=30, status="open",
                            course_id=course.id)
    klass_e.invited_units = [son_ha["new:son-ky"]]
    db.session.add(klass_e)
    db.session.commit()
    return {"course": course, "mai": mai, "class_e": klass_e, **data}


def test_coverage_per_commune_and_village(planned):
    lines = {c.label: c for c in coverage.coverage(YEAR, date(2026, 12, 31))}
    son_ky, son_ha = lines["Xã Sơn Kỳ"], lines["Xã Sơn Hà"]
    assert (son_ky.on_record, son_ky.trained, son_ky.women_trained) == (3, 2, 1)  # + Mai
    assert round(son_ky.share_trained, 1) == 66.7 and son_ky.share_women == 50
    assert (son_ha.on_record, son_ha.trained, son_ha.women_trained) == (2, 1, 1)  # Lan, Nam
    assert sum(v.on_record for v in son_ky.villages) == 3
    # on record as of a day before the records were made: nobody
    assert coverage.coverage(YEAR, date(2020, 1, 1)) == []


def test_the_leaders_not_yet_trained(db, planned):
    query = coverage.untrained_leaders(planned["course"].id, None)
    assert [c.full_name for c in db.session.scalars(query).unique()] == ["Đinh Thị Mai"]
    son_ha_only = frozenset({planned["son_ha"].id})
    assert list(db.session.scalars(coverage.untrained_leaders(planned["course"].id,
                                                                son_ha_only))) == []


def test_one_click_from_the_list_to_nominating(client, db, planned, users, login):
    login("coordinator")
    course, mai, klass = planned["course"], planned["mai"], planned["class_e"]
    page = client.get(f"/reports/coverage?kind=year&year=2026&course_id={course.id}") \
        .get_data(as_text=True)
    assert "Đinh Thị Mai" in page and "Đinh Thị Hoa — " not in page
    assert f'<option value="{klass.id}">E — Lớp E' in page
    response = client.post("/reports/coverage/nominate",
                           data={"class_id": klass.id, "cadre_ids": [mai.id]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/classes/{klass.id}/nominate")
    page = client.get(f"/classes/{klass.id}/nominate").get_data(as_text=True)
    assert f'name="cadre_ids" value="{mai.id}"' in page and "checked" in page
    response = client.post(f"/classes/{klass.id}/nominate", data={"cadre_ids": [mai.id]})
    assert response.status_code == 302
    assert db.session.scalar(select(Application.status).where(
        Application.class_id == klass.id, Application.cadre_id == mai.id)) is not None


def test_planning_follows_the_coordinators_scope(client, db, planned, son_ha, make_user,
                                                 login):
    login(make_user("dieuphoi_son_ha", roles=("coordinator",),
                    unit_id=son_ha["new:son-ha"].id))
    page = client.get(f"/reports/coverage?kind=year&year=2026&course_id="
                      f"{planned['course'].id}").get_data(as_text=True)
    assert "Xã Sơn Kỳ" not in page and "Đinh Thị Mai" not in page
    assert "Mọi cán bộ chủ chốt cấp thôn trong phạm vi đã được tập huấn" in page
    response = client.post("/reports/coverage/nominate",
                           data={"class_id": planned["class_e"].id,
                                 "cadre_ids": [planned["mai"].id]})
    assert response.status_code == 403


def test_bad_input_on_the_planning_page(client, db, planned, users, login):
    login("coordinator")
    assert client.get("/reports/coverage?kind=year&year=2026&course_id=99999") \
        .status_code == 400
    assert client.get("/reports/coverage?kind=custom&start=02/01/2026&end=01/01/2026") \
        .status_code == 400
    response = client.post("/reports/coverage/nominate", data={"class_id": "x"})
    assert response.status_code == 400
    assert "Hãy chọn một lớp để đề cử." in response.get_data(as_text=True)
    for role in ("trainer", "learner"):
        client.post("/auth/logout")
        login(role)
        assert client.get("/reports/coverage").status_code == 403


def test_the_planning_page_queries_do_not_grow(client, db, planned, users, login, make_cadre,
                                               count_queries):
    login("coordinator")
    url = f"/reports/coverage?kind=year&year=2026&course_id={planned['course'].id}"
    client.get(url)
    db.session.expire_all()
    with count_queries() as before:
        client.get(url)
    for n in range(15):
        make_cadre(f"Đinh Thị Mai {n}", "F", 1970 + n)
    db.session.expire_all()
    with count_queries() as after:
        page = client.get(url).get_data(as_text=True)
    assert "Đinh Thị Mai 14" in page
    assert after() == before()


def test_the_people_and_the_coverage_are_one_count(db, planned):
    """`cells.people` counts each trainee once (Hoa and Bốc have two classes each), the
    figures' people whether on record or not, the coverage's trained those on record: Lan,
    deactivated, is still one of the year's people but no longer on record in Sơn Hà."""
    planned["lan"].active = False
    db.session.commit()
    rows = cells.people(YEAR, date(2026, 12, 31))
    assert cells.people_totals(rows) == {"people": 3, "people_women": 2,
                                         "people_minority": 2, "people_leaders": 2}
    assert sorted((r.commune_id == planned["son_ky"].id, r.recorded, r.counts["people"])
                  for r in rows) == [(False, False, 1), (True, True, 2)]
    assert indicators.trainees(YEAR, people=rows)["nguoi"] == Figure(3) \
        == indicators.trainees(YEAR)["nguoi"]
    lines = {c.label: c for c in coverage.coverage(YEAR, date(2026, 12, 31), people=rows)}
    assert (lines["Xã Sơn Hà"].on_record, lines["Xã Sơn Hà"].trained) == (1, 0)  # Nam
    assert (lines["Xã Sơn Kỳ"].trained, lines["Xã Sơn Kỳ"].women_trained) == (2, 1)
    assert coverage.coverage(YEAR, date(2026, 12, 31)) == list(lines.values())


def test_the_export_counts_the_people_once_without_sorting_them(client, planned, users,
                                                                login):
    """The dashboard and the .xlsx read the trainees' cadres once for the people without
    repeats (the figures and, in the .xlsx, the coverage sheet), with no numbering of the
    trainees by person (`row_number`: a sort of the year's trainees)."""
    login("coordinator")
    for url in ("/reports/?kind=year&year=2026", "/reports/training.xlsx?kind=year&year=2026"):
        with statements() as seen:
            assert client.get(url).status_code == 200
        assert len([s for s in seen if "IN (SELECT applications.cadre_id" in s]) == 1, url
        assert [s for s in seen if "row_number" in s] == [], url
