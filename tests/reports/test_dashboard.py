"""The dashboard: who may open it, what it shows (numerator and denominator), bad periods and
filters refused where they went wrong, a query count that does not grow with the data."""

import html
import io
import re

from openpyxl import load_workbook

from tests.reports.test_indicators import data  # noqa: F401 - the hand-built data set


def _figure(page: str, name: str) -> list[str]:
    row = re.search(rf'data-indicator="{name}">(.*?)</tr>', page, re.S).group(1)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][1:]


def test_only_coordinators_and_admins_open_it(client, db, users, login):
    for role, status in (("learner", 403), ("trainer", 403), ("coordinator", 200),
                         ("admin", 200)):
        login(role)
        assert client.get("/reports/").status_code == status, role
        client.post("/auth/logout")
    assert client.get("/reports/").status_code == 302  # to the sign-in page


def test_figures_with_their_denominators(client, data, users, login):  # noqa: F811
    login("coordinator")
    page = client.get("/reports/?kind=year&year=2026").get_data(as_text=True)
    assert "Năm 2026" in page
    assert _figure(page, "luot") == ["5", "", ""]
    assert _figure(page, "luot_nu") == ["3", "5", "60%"]
    assert _figure(page, "buoi_du") == ["9", "12", "75%"]
    assert _figure(page, "hoan_thanh") == ["2", "3", "66,7%"]
    assert "<svg" in page and "Xã Sơn Kỳ" in page
    # the charts: by commune, women's and ethnic-minority shares by quarter, attendance by class
    for title in ("Lượt người được tập huấn theo xã", "Tỷ lệ nữ theo quý",
                  "Tỷ lệ người dân tộc thiểu số theo quý", "Tỷ lệ tham dự theo lớp"):
        assert f'aria-label="{title}"' in page, title
    assert "66,7% (2/3)" in page  # Quý I: Hoa and Lan among Hoa, Bốc, Lan
    assert "75% (9/12)" in page  # class A's attendance
    assert "/reports/training.xlsx?kind=year&amp;year=2026" in page
    assert "/reports/training.pdf?kind=year&amp;year=2026" in page
    son_ky = data["son_ky"].id
    page = client.get(f"/reports/?kind=half&year=2026&part=1&unit_id={son_ky}").get_data(
        as_text=True)
    assert "6 tháng đầu năm 2026" in page and _figure(page, "luot") == ["2", "", ""]
    page = client.get("/reports/?kind=quarter&year=2026&part=4").get_data(as_text=True)
    assert "Quý IV/2026" in page and _figure(page, "luot") == ["2", "", ""]


def test_a_period_with_no_data_shows_zeros(client, db, users, login):
    login("coordinator")
    response = client.get("/reports/?kind=custom&start=01/01/2024&end=31/03/2024")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _figure(page, "luot") == ["0", "", ""] and _figure(page, "luot_nu") == ["0", "0", ""]


def test_bad_periods_and_filters_are_refused_where_they_went_wrong(client, db, users, login):
    login("coordinator")
    response = client.get("/reports/?kind=custom&start=31/03/2026&end=01/03/2026")
    assert response.status_code == 400
    assert "Ngày kết thúc (01/03/2026) phải từ ngày bắt đầu (31/03/2026) trở về sau." in \
        html.unescape(response.get_data(as_text=True))
    response = client.get("/reports/?kind=custom&start=01/03/2026")
    assert response.status_code == 400 and "Hãy ghi cả ngày bắt đầu và ngày kết thúc" in \
        response.get_data(as_text=True)
    response = client.get("/reports/?kind=custom&start=30/02/2026&end=01/03/2026")
    assert response.status_code == 400 and 'id="start"' in response.get_data(as_text=True)
    for query in ("kind=weekly", "kind=year&year=1999", "kind=quarter&year=2026&part=7",
                  "kind=year&year=2026&unit_id=999999", "kind=year&year=2026&program_id=abc",
                  "kind=year&year=2026&unit_id=²"):
        response = client.get(f"/reports/?{query}")
        assert response.status_code == 400, query
        assert "data-indicator" not in response.get_data(as_text=True), query
    response = client.get("/reports/?kind=year&year=2026&unit_id=999999")
    assert "Đơn vị số 999999 không có trong các xã bạn được xem báo cáo" in \
        html.unescape(response.get_data(as_text=True))
    response = client.get("/reports/?kind=year&year=2026&program_id=4242")
    assert "Không có chương trình số 4242" in html.unescape(response.get_data(as_text=True))
    response = client.get("/reports/?kind=half&year=2026")
    assert response.status_code == 400
    assert "Hãy chọn 6 tháng đầu năm hoặc 6 tháng cuối năm." in response.get_data(as_text=True)


def test_queries_do_not_grow_with_the_data(client, data, users, login, make_cadre,  # noqa: F811
                                           count_queries, db):
    login("coordinator")
    client.get("/reports/?kind=year&year=2026")
    db.session.expire_all()
    with count_queries() as before:
        client.get("/reports/?kind=year&year=2026")
    from sqlalchemy import select

    from app.classes.models import Application, TrainingClass

    klass = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "A"))
    for n in range(20):
        cadre = make_cadre(f"Đinh Văn Thêm {n}", "M", 1980 + n)
        db.session.add(Application(class_id=klass.id, cadre_id=cadre.id, status="admitted",
                                   source="nominated"))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as after:
        page = client.get("/reports/?kind=year&year=2026").get_data(as_text=True)
    assert _figure(page, "luot") == ["25", "", ""]
    assert after() == before()


def test_a_commune_coordinator_sees_their_commune_only(client, data, son_ha, make_user,  # noqa: F811
                                                       login):
    """A coordinator of xã Sơn Kỳ: the figures of Sơn Kỳ's cadres whatever the filter asks,
    and no other commune to choose."""
    login(make_user("dieuphoi_son_ky", roles=("coordinator",), unit_id=son_ha["new:son-ky"].id))
    page = client.get("/reports/?kind=year&year=2026").get_data(as_text=True)
    assert _figure(page, "luot") == ["4", "", ""]  # not the 5 of the whole province
    assert "Xã Sơn Hà" not in page
    response = client.get(f"/reports/?kind=year&year=2026&unit_id={son_ha['new:son-ha'].id}")
    assert response.status_code == 400
    assert "data-indicator" not in response.get_data(as_text=True)
    # the files too: their own commune only, another refused
    book = load_workbook(io.BytesIO(client.get("/reports/training.xlsx?kind=year&year=2026")
                                    .data))
    communes = [r[0].value for r in book["Theo xã"].iter_rows() if r[0].value
                and str(r[0].value).startswith("Xã ")]
    assert communes == ["Xã Sơn Kỳ"]
    response = client.get(f"/reports/training.pdf?kind=year&year=2026&unit_id="
                          f"{son_ha['new:son-ha'].id}")
    assert response.status_code == 400 and response.mimetype == "text/html"
