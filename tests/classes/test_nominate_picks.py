"""Nominating across filters and pages: the people ticked are kept until "Đề cử"."""

import re

from sqlalchemy import func, select


def _nominated(db, klass) -> set[int]:
    from app.classes.models import Application

    return set(db.session.scalars(select(Application.cadre_id).where(
        Application.class_id == klass.id)))


def _checked(page: str) -> set[int]:
    return {int(i) for i in re.findall(
        r'name="cadre_ids" value="(\d+)" id="[a-z]+-\d+"(?: [a-z]+)* checked', page)}


def test_ticks_survive_a_change_of_commune_and_one_click_nominates_all(
        client, db, login, make_class, make_cadre, son_ha):
    klass = make_class()
    son_ky, son_ha_ = son_ha["new:son-ky"], son_ha["new:son-ha"]
    hoa = make_cadre("Đinh Thị Hoa", commune=son_ky)
    lan = make_cadre("Đinh Thị Lan", commune=son_ky)
    mai = make_cadre("Hồ Thị Mai", commune=son_ha_)
    login("coordinator")
    url = f"/classes/{klass.id}/nominate"
    # Sơn Kỳ shown, Hoa ticked, then the coordinator switches to Sơn Hà
    moved = client.post(url + "/keep", data={"action": "filter", "commune": son_ha_.id,
                                   "shown": [hoa.id, lan.id], "cadre_ids": [hoa.id], "at": 1})
    assert moved.status_code == 302
    assert moved.headers["Location"].endswith(f"{url}?commune={son_ha_.id}")
    page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Đã chọn ở bộ lọc hoặc trang khác: 1 người" in page
    assert "Đinh Thị Hoa" in page and "Hồ Thị Mai" in page and "Đinh Thị Lan" not in page
    assert _checked(page) == {hoa.id}  # Hoa still ticked, Mai not yet
    assert _nominated(db, klass) == set()  # nothing written by filtering
    # Mai ticked too: one click nominates both, and the ticks are then forgotten
    done = client.post(url, data={"action": "nominate", "commune": son_ha_.id,
                                  "shown": [hoa.id, mai.id], "cadre_ids": [hoa.id, mai.id]})
    assert done.status_code == 302
    assert _nominated(db, klass) == {hoa.id, mai.id}
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã đề cử 2 cán bộ." in page
    assert "Đã chọn ở bộ lọc hoặc trang khác" not in page and _checked(page) == set()


def test_unticking_paging_and_clearing(client, db, login, make_class, make_cadre, son_ha,
                                       monkeypatch):
    from app.classes import nominate_views

    monkeypatch.setattr(nominate_views, "PAGE_SIZE", 2)
    klass = make_class(communes=("new:son-ky",))
    a, b, c = (make_cadre(n) for n in ("Đinh Thị An", "Đinh Thị Bình", "Đinh Thị Cúc"))
    login("coordinator")
    url = f"/classes/{klass.id}/nominate"
    son_ky = son_ha["new:son-ky"].id  # the one commune invited: the filter's default
    # page 1 shows An and Bình; both ticked, then the page button to page 2
    to_two = client.post(url + "/keep", data={"page": 2, "commune": son_ky, "shown": [a.id, b.id],
                                    "cadre_ids": [a.id, b.id], "at": 1})
    assert to_two.headers["Location"].endswith(f"{url}?commune={son_ky}&page=2")
    page = client.get(to_two.headers["Location"]).get_data(as_text=True)
    assert "Trang 2 / 2" in page and "Đinh Thị Cúc" in page
    assert _checked(page) == {a.id, b.id}  # kept, in the list of people picked elsewhere
    # on page 2 the coordinator unticks Bình (shown in the kept list) and ticks Cúc
    back = client.post(url + "/keep", data={"page": 1, "at": 2, "shown": [a.id, b.id, c.id],
                                  "cadre_ids": [a.id, c.id]})
    page = client.get(back.headers["Location"]).get_data(as_text=True)
    assert _checked(page) == {a.id, c.id}
    cleared = client.post(url + "/keep", data={"action": "clear", "at": 1, "shown": [a.id, b.id],
                                     "cadre_ids": [a.id]})
    page = client.get(cleared.headers["Location"]).get_data(as_text=True)
    assert _checked(page) == set() and "Bỏ chọn tất cả" not in page
    assert _nominated(db, klass) == set()


def test_enter_in_the_search_box_filters_rather_than_nominates(client, login, make_class,
                                                               make_cadre):
    """The browser sends the form's first submit button on Enter: it must be "Lọc"."""
    klass = make_class()
    make_cadre()
    login("coordinator")
    page = client.get(f"/classes/{klass.id}/nominate").get_data(as_text=True)
    form = page[page.index('class="nominate-form"'):]
    buttons = re.findall(r'<button[^>]*type="submit"[^>]*>', form)
    assert 'value="filter"' in buttons[0]
    assert f'formaction="/classes/{klass.id}/nominate/keep"' in buttons[0]


def test_ticks_are_kept_on_an_error_and_belong_to_one_class(client, db, login, make_class,
                                                            make_cadre, son_ha):
    klass, other = make_class(), make_class()
    ok = make_cadre("Đinh Thị Hoa")
    far = make_cadre("Hồ Thị Mai", commune=son_ha["new:son-linh"])
    login("coordinator")
    url = f"/classes/{klass.id}/nominate"
    refused = client.post(url, data={"action": "nominate", "shown": [ok.id],
                                     "cadre_ids": [ok.id, far.id]})
    assert refused.status_code == 422 and "Xã Sơn Linh không thuộc" in refused.get_data(True)
    assert _checked(refused.get_data(as_text=True)) == {ok.id}  # Mai cannot be ticked
    assert _checked(client.get(url).get_data(as_text=True)) == {ok.id}
    # the next filter drops Mai from the selection (she was on the page, not ticked)
    client.post(url + "/keep", data={"action": "filter", "q": "Hoa", "shown": [ok.id, far.id],
                           "cadre_ids": [ok.id]})
    from app.classes.nominate_views import SESSION_KEY
    with client.session_transaction() as saved:
        assert saved[SESSION_KEY]["ids"] == [ok.id]
    assert _checked(client.get(f"/classes/{other.id}/nominate").get_data(as_text=True)) == set()
    assert _nominated(db, klass) == set()


def test_at_most_max_picked_are_kept(client, db, login, make_class, make_cadre, monkeypatch):
    from app.classes import nominate_views
    from app.people.models import Cadre

    monkeypatch.setattr(nominate_views, "MAX_PICKED", 2)
    klass = make_class()
    ids = [make_cadre(n).id for n in ("Đinh Thị An", "Đinh Thị Bình", "Đinh Thị Cúc")]
    login("coordinator")
    url = f"/classes/{klass.id}/nominate"
    moved = client.post(url + "/keep", data={"action": "filter", "shown": ids, "cadre_ids": ids})
    page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Chỉ giữ được 2 người đã chọn một lúc" in page
    assert len(_checked(page)) == 2
    assert db.session.scalar(select(func.count(Cadre.id))) == 3


def test_kept_people_cost_no_query_each(client, db, login, make_class, make_cadre,
                                        count_queries):
    klass = make_class()
    few = [make_cadre(f"Đinh Thị {n}").id for n in ("An", "Bình")]
    many = few + [make_cadre(f"Hồ Thị {n}").id for n in ("Cúc", "Dung", "Hằng", "Lan")]
    login("coordinator")
    url = f"/classes/{klass.id}/nominate"

    def queries_with(ids):
        client.post(url + "/keep", data={"action": "filter", "q": "zzz", "cadre_ids": ids})
        db.session.remove()  # each request reads afresh, as a worker's would
        with count_queries() as counted:
            assert client.get(url + "?q=zzz").status_code == 200
        return counted()

    assert queries_with(many) == queries_with(few)


def test_a_kept_person_nominated_meanwhile_is_shown_unticked(client, db, login, make_class,
                                                             make_cadre, son_ha, apply_for):
    klass = make_class()
    hoa = make_cadre("Đinh Thị Hoa")
    make_cadre("Hồ Thị Mai", commune=son_ha["new:son-ha"])
    login("coordinator")
    url = f"/classes/{klass.id}/nominate"
    client.post(url + "/keep", data={"action": "filter", "q": "Mai", "shown": [hoa.id],
                           "cadre_ids": [hoa.id]})
    apply_for(klass, [hoa])  # a second coordinator, or Hoa herself, got there first
    page = client.get(url + "?q=Mai").get_data(as_text=True)
    assert "Đinh Thị Hoa: Đã đăng ký" in page
    assert _checked(page) == set()


def test_ticks_stay_with_the_coordinator_who_made_them(client, db, users, login, make_class,
                                                       make_cadre):
    """A commune office shares one computer: the next person never sees them."""
    klass = make_class()
    hoa = make_cadre("Đinh Thị Hoa")
    url = f"/classes/{klass.id}/nominate"
    login("coordinator")
    client.post(url + "/keep", data={"action": "filter", "q": "Hoa", "shown": [hoa.id],
                           "cadre_ids": [hoa.id]})
    assert _checked(client.get(url + "?q=Hoa").get_data(as_text=True)) == {hoa.id}
    # the coordinator's password is reset elsewhere: this browser is signed out at once, and
    # the admin who signs in on it does not inherit the ticks left in its session
    from app.auth import service

    service.reset_password(users["admin"], users["coordinator"], "another-pass-1")
    db.session.commit()
    login("admin")
    assert _checked(client.get(url + "?q=Hoa").get_data(as_text=True)) == set()
    client.post("/auth/logout")
    login("coordinator", "another-pass-1")
    client.post(url + "/keep", data={"action": "filter", "q": "Hoa", "shown": [hoa.id],
                           "cadre_ids": [hoa.id]})
    client.post("/auth/logout")
    login("coordinator", "another-pass-1")
    assert _checked(client.get(url + "?q=Hoa").get_data(as_text=True)) == set()
