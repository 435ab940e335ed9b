"""The costs on the dashboard (/reports/): budget, spending and the disbursement rate by
source, program and unit, the chart "budget against spending" as SVG, a commune coordinator's
figures limited to their commune, and a query count that does not grow with the classes."""

import html
import re

from app.costs.models import ClassCost


def _table(page: str, caption: str) -> dict[str, list[str]]:
    body = re.search(rf"<caption[^>]*>{caption}</caption>.*?<tbody>(.*?)</table>", page,
                     re.S)[1]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_costs_on_the_dashboard(client, login, users, classes):
    login(users["coordinator"])
    page = client.get("/reports/?kind=year&year=2026").get_data(as_text=True)
    assert "Tổng dự toán 6.500.000 đồng; đã thực hiện 4.300.000 đồng" in page
    assert "(tỷ lệ giải ngân 66,2%)" in page
    assert _table(page, "Theo nguồn kinh phí")["Ngân sách trung ương"] == [
        "2", "4.000.000", "2.500.000", "62,5%"]
    assert _table(page, "Theo chương trình")["CT 2026-2035"] == [
        "1", "1.000.000", "1.000.000", "100%"]
    units = _table(page, r"Theo đơn vị \(xã được mời\)")
    assert units["Xã Sơn Kỳ"] == ["1", "5.000.000", "3.300.000", "66%"]
    assert units["Nhiều xã (cấp tỉnh, huyện tổ chức)"][1:] == ["1.000.000", "1.000.000", "100%"]
    chart = re.search(r'<svg[^>]*aria-label="Dự toán và thực hiện theo đơn vị[^"]*".*?</svg>',
                      page, re.S)[0]
    assert "Xã Sơn Kỳ" in chart and "5 (3,3)" in chart  # millions of đồng


def test_a_commune_coordinator_sees_their_commune_only(client, login, make_user, son_ha,
                                                       classes):
    mine = make_user("son-ky", roles=("coordinator",), unit_id=son_ha["new:son-ky"].id)
    login(mine)
    page = client.get("/reports/?kind=year&year=2026").get_data(as_text=True)
    assert "Tổng dự toán 5.000.000 đồng; đã thực hiện 3.300.000 đồng" in page
    assert list(_table(page, r"Theo đơn vị \(xã được mời\)")) == ["Xã Sơn Kỳ"]


def test_queries_do_not_grow_with_the_classes(client, login, users, classes, make_class,
                                              count_queries, db, sources):
    login(users["coordinator"])
    url = "/reports/?kind=year&year=2026"
    client.get(url)
    db.session.expire_all()
    with count_queries() as before:
        client.get(url)
    for n in range(5):
        klass = make_class(status="finished", communes=("new:son-ky",))
        db.session.add(ClassCost(class_id=klass.id, line="hall", budget=n, spent=n,
                                 funding_source_id=sources["local"].id))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as after:
        client.get(url)
    assert after() == before()
