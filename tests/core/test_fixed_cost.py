"""The fixed cost of a signed-in page (issue 15), in counts: what every page pays before its
own work. The sign-in check stays whole: an account locked, a password changed or a sign-in
ended is refused on the very next request (tests/auth/test_sessions.py has the rest)."""

import re

from flask_babel import force_locale, gettext, refresh

from app.auth.models import SignIn
from app.extensions import db as _db
from app.timeutil import utcnow


def test_a_signed_in_page_costs_one_statement_before_its_own(client, login, users,
                                                              count_queries):
    """The account, its roles and this sign-in's row are read together: the password page
    (a form and the navigation, nothing of its own from the database) makes one statement."""
    name = users["coordinator"].full_name
    login("coordinator")
    _db.session.remove()
    with count_queries() as queries:
        page = client.get("/auth/password")
    assert page.status_code == 200
    assert queries() == 1
    html = page.get_data(as_text=True)
    assert 'href="/cadres/"' in html  # the navigation knows the roles: a coordinator's entry
    assert name in html


def test_the_one_statement_still_refuses_what_it_must(client, login, users, db):
    login("learner")
    assert client.get("/auth/password").status_code == 200
    db.session.execute(SignIn.__table__.update().values(ended_at=utcnow()))  # ended elsewhere
    db.session.commit()
    assert client.get("/auth/password").status_code == 302  # to the sign-in page
    login("learner")
    assert client.get("/auth/password").status_code == 200
    users["learner"].active = False
    db.session.commit()
    assert client.get("/auth/password").status_code == 302
    users["learner"].active = True
    db.session.commit()
    login("learner")
    users["learner"].set_password("another-good-passphrase-9")  # the fingerprint changes
    db.session.commit()
    assert client.get("/auth/password").status_code == 302


def test_the_catalogue_found_once_follows_a_change_of_locale(app):
    """The catalogue is kept for the request, yet `force_locale` and `refresh` are obeyed."""
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert gettext("Đăng xuất") == "Log out"
        with force_locale("vi"):
            assert gettext("Đăng xuất") == "Đăng xuất"
        assert gettext("Đăng xuất") == "Log out"
    with app.test_request_context("/") as ctx:
        assert gettext("Đăng xuất") == "Đăng xuất"
        ctx.request.cookies = {"lang": "en"}
        refresh()
        assert gettext("Đăng xuất") == "Log out"


def test_templates_translate_with_the_request_catalogue(client, login, users):
    login("learner")
    client.set_cookie("lang", "en")
    assert "Log out" in client.get("/auth/password").get_data(as_text=True)
    client.set_cookie("lang", "vi")
    assert "Đăng xuất" in client.get("/auth/password").get_data(as_text=True)


def test_the_navigation_made_once_per_set_of_roles_shows_each_only_what_it_may_open(
        client, login, users, db):
    """The navigation is kept per set of roles: a learner after a coordinator, in the same
    worker, sees no coordinator's entry, and an account given a role sees that role's entry
    on its next page."""
    login("coordinator")
    assert 'href="/cadres/"' in client.get("/auth/password").get_data(as_text=True)
    client.post("/auth/logout")
    login("learner")
    page = client.get("/auth/password").get_data(as_text=True)
    assert 'href="/classes/"' in page
    assert 'href="/cadres/"' not in page
    assert 'href="/admin/users"' not in page
    users["learner"].set_roles(("learner", "admin"))
    db.session.commit()
    assert 'href="/admin/users"' in client.get("/auth/password").get_data(as_text=True)


def test_the_learners_home_reads_their_cadre_with_what_its_card_shows(
        client, login, users, db, make_cadre, make_village, son_ha):
    """The home page's card about the learner (name, position, village, commune) comes with
    the cadre in one statement: no statement of its own for the position or the units."""
    from sqlalchemy import event

    commune = son_ha["new:son-ky"]
    village = make_village(commune, "Thôn Gò Da")
    make_cadre("Lò Thị Mai", village_id=village.id, user_id=users["learner"].id)
    commune_name = commune.name
    login("learner")
    db.session.remove()
    seen = []

    def before(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        html = client.get("/").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert "Lò Thị Mai" in html and "Gò Da" in html and commune_name in html
    assert not [s for s in seen if s.startswith(("SELECT positions", "SELECT units"))]
    assert len([s for s in seen if "FROM cadres" in s]) == 1


def test_a_link_built_once_is_the_routes_own(app):
    """`links(...)` in a list's template writes what `url_for` writes, for any id."""
    from flask import url_for

    from app.core.templating import Links

    with app.test_request_context("/"):
        detail, toggle = Links("classes.detail", "class_id"), Links("admin.user_toggle", "user_id")
        for i in (1, 7, 1_234_567_890, 98_765):
            assert detail(i) == url_for("classes.detail", class_id=i)
            assert toggle(i) == url_for("admin.user_toggle", user_id=i)


def test_the_sign_in_statement_built_once_reads_each_browsers_own_account(app, users, db):
    """One statement serves every request: two browsers taking turns each see their own name
    and navigation, and a session carrying one account's id with another's sign-in token is
    signed out."""
    from tests.conftest import PASSWORD

    browsers = {}
    for role in ("coordinator", "learner"):
        browsers[role] = app.test_client()
        browsers[role].post("/auth/login", data={"login": role, "password": PASSWORD})
    for _turn in range(2):
        for role, browser in browsers.items():
            html = browser.get("/auth/password").get_data(as_text=True)
            assert users[role].full_name in html
            assert ('href="/cadres/"' in html) == (role == "coordinator")
    with browsers["learner"].session_transaction() as session:
        learners_token = session["_user_id"].split(":")[2]
    coordinator = users["coordinator"]
    with browsers["coordinator"].session_transaction() as session:
        session["_user_id"] = f"{coordinator.id}:{coordinator.session_fingerprint()}:" \
                              f"{learners_token}"
    assert browsers["coordinator"].get("/auth/password").status_code == 302


def test_the_frame_made_once_follows_the_locale(client, login, users):
    """The frame's parts made once per locale (app/core/templating.py `fragment`): each
    language gets its own, whichever was asked first."""
    login("coordinator")
    client.set_cookie("lang", "en")
    html = client.get("/").get_data(as_text=True)
    assert "Sustainable Poverty Reduction" in html  # the brand
    assert "Capacity-building training for poverty-reduction staff" in html  # the footer
    assert 'data-unsent="{n} marks not sent yet."' in html  # the offline bar
    assert '<strong class="tap" aria-current="true">EN</strong>' in html
    client.set_cookie("lang", "vi")
    html = client.get("/").get_data(as_text=True)
    assert "Giảm nghèo bền vững" in html and "Sustainable" not in html
    assert "Tập huấn nâng cao năng lực cán bộ làm công tác giảm nghèo" in html
    assert 'data-unsent="Còn {n} điểm danh chưa gửi."' in html
    assert '<strong class="tap" aria-current="true">VI</strong>' in html


def test_the_navigation_made_once_marks_the_current_page(client, login, users):
    login("coordinator")
    for path, current in (("/", "/"), ("/classes/", "/classes/"), ("/cadres/", "/cadres/"),
                          ("/cadres/?q=hoa", "/cadres/"), ("/", "/")):
        html = client.get(path).get_data(as_text=True)
        marked = re.findall(r'class="nav-link tap active" aria-current="page" href="([^"]+)"',
                            html)
        assert set(marked) == {current}, path
        assert len(marked) == 2  # the wide navigation and the menu's


def test_a_template_text_without_values_keeps_its_percent_signs_right(app):
    """`_()` in a template writes "%%" as "%", with or without values to fill, and escapes the
    values, not the catalogue's text."""
    from flask import render_template_string

    with app.test_request_context("/"):
        assert render_template_string("{{ _('50%% số buổi') }}") == "50% số buổi"
        assert render_template_string("{{ _('Đăng xuất') }}") == "Đăng xuất"
        assert render_template_string("{{ _('%(n)s%%', n='<b>') }}") == "&lt;b&gt;%"


def test_the_parts_made_once_are_bounded_the_latest_kept(app):
    """A part keyed by what it shows (the applications page's policy form, one per distinct
    policy of a class) cannot grow a worker's memory without end: at most `FRAGMENTS` are kept,
    the least recently used dropped first, and a dropped one is made again when asked."""
    from flask import render_template_string
    from markupsafe import Markup

    from app.core import templating

    made = []
    page = "{% call fragment('policy', n) %}{{ make(n) }}{% endcall %}"

    def make(n):
        made.append(n)
        return Markup(f"<form>{n}</form>")  # noqa: S704 - the test's own

    with app.test_request_context("/"):
        app.extensions.pop("fragments", None)
        for n in range(templating.FRAGMENTS + 50):
            assert render_template_string(page, n=n, make=make) == f"<form>{n}</form>"
            render_template_string(page, n=0, make=make)  # the first, used again and again
        assert len(app.extensions["fragments"]) <= templating.FRAGMENTS
        assert made.count(0) == 1  # kept, being recently used
        render_template_string(page, n=1, make=make)  # dropped long ago: made again
        assert made.count(1) == 2
