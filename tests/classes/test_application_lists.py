"""The applications page with many applicants: each list paged, the form to move or withdraw
a person shown on that row only, each reason line translated once per request."""

import html
import re

import pytest

from app.classes import application_lists, enrolment
from app.classes.models import TrainingClass
from app.people.models import Cadre
from app.timeutil import utcnow


@pytest.fixture()
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)


@pytest.fixture()
def crowded(db, make_class, make_cadre, apply_for, users):
    """A class of 4 seats with 16 applicants, allocated: 4 admitted, 12 on the waitlist."""
    klass = make_class(capacity=4, min_women_share=0.0)
    apply_for(klass, [make_cadre(f"Đinh Thị Người{i:02d}", birth_year=1960 + i)
                      for i in range(16)])
    preview = enrolment.preview(klass, klass.policy)
    enrolment.confirm_allocation(users["coordinator"], klass.id, preview.policy,
                                 preview.fingerprint, utcnow())
    db.session.commit()
    return klass


def _waitlist(page: str) -> str:
    start = page.index('class="list-group waitlist"')
    return page[start:page.index('id="all-h"', start)]


def _opener(page: str, name: str) -> str:
    """The query string of the folded list's title link."""
    return html.unescape(re.search(rf'href="\?(list={name}&[^"]*)"', page).group(1))


def test_the_waitlist_is_paged(client, login, crowded, small_pages):
    login("coordinator")
    first = client.get(f"/classes/{crowded.id}/applications?list=waitlist")
    first = first.get_data(as_text=True)
    assert _waitlist(first).count("data-application=") == 5
    assert "Danh sách chờ (12)" in first and "Trang 1 / 3" in first
    third = client.get(f"/classes/{crowded.id}/applications?list=waitlist&page=3")
    waitlist = _waitlist(third.get_data(as_text=True))
    assert waitlist.count("data-application=") == 2  # ranks 11 and 12
    assert "thứ 11" in waitlist and "thứ 12" in waitlist and "thứ 10" not in waitlist


def test_a_page_beyond_the_end_or_malformed_shows_the_last_or_the_first(client, login,
                                                                       crowded, small_pages):
    login("coordinator")
    url = f"/classes/{crowded.id}/applications"
    beyond = client.get(f"{url}?list=waitlist&page=99")
    assert beyond.status_code == 200 and "Trang 3 / 3" in beyond.get_data(as_text=True)
    for bad in ("abc", "-1", "²", "99999999999999999999"):
        response = client.get(f"{url}?list=waitlist&page={bad}")
        assert response.status_code == 200
        assert "thứ 1<" in _waitlist(response.get_data(as_text=True))
        response = client.get(f"{url}?list=nothing&page={bad}")
        assert response.status_code == 200
        assert "Danh sách chờ (12)</a>" in response.get_data(as_text=True)  # folded


def test_the_override_form_is_on_the_chosen_row_only(client, login, crowded):
    login("coordinator")
    url = f"/classes/{crowded.id}/applications"
    page = client.get(f"{url}?list=waitlist").get_data(as_text=True)
    assert 'name="reason"' not in page  # no form per row
    links = re.findall(r'href="\?list=waitlist&amp;page=1&amp;override=(\d+)#app-\1"', page)
    assert len(links) == 16  # one link per admitted or waitlisted person
    chosen = int(links[0])  # the first admitted
    page = client.get(f"{url}?override={chosen}").get_data(as_text=True)
    assert page.count('class="mt-1 override-form"') == 1
    assert f'action="/classes/{crowded.id}/applications/{chosen}/override"' in page
    response = client.post(f"/classes/{crowded.id}/applications/{chosen}/override",
                           data={"action": "waitlist", "reason": "Đi công tác đột xuất"})
    assert response.status_code == 302


def test_the_override_form_of_someone_waiting_opens_the_folded_waitlist(client, login,
                                                                      crowded):
    login("coordinator")
    last = max((a for a in crowded.applications if a.status == "waitlisted"),
               key=lambda a: a.waitlist_rank)
    page = client.get(f"/classes/{crowded.id}/applications?override={last.id}")
    waitlist = _waitlist(page.get_data(as_text=True))
    assert waitlist.count("data-application=") == 12
    assert waitlist.count('class="mt-1 override-form"') == 1
    assert f"/applications/{last.id}/override" in waitlist


def test_long_lists_after_the_seats_are_folded_and_open_in_order(client, login, crowded):
    """The seats are listed; the waitlist of 12 and the 16 applications show their title and
    count, no row, until their title is followed: then every name, in the waitlist's order."""
    login("coordinator")
    url = f"/classes/{crowded.id}/applications"
    page = client.get(url).get_data(as_text=True)
    admitted = [a.cadre.full_name for a in crowded.applications if a.status == "admitted"]
    waiting = [a.cadre.full_name for a in sorted(
        (a for a in crowded.applications if a.status == "waitlisted"),
        key=lambda a: a.waitlist_rank)]
    assert page.count("data-application=") == 4 and all(n in page for n in admitted)
    assert not any(n in page for n in waiting)
    assert "Danh sách chờ (12)</a></h2>" in page
    assert "Tất cả đơn đăng ký (16)</a></h2>" in page
    assert "application-list" not in page
    waitlist = _waitlist(client.get(f"{url}?{_opener(page, 'waitlist')}")
                         .get_data(as_text=True))
    assert re.findall(r"<strong>([^<]+)</strong>", waitlist) == waiting
    everyone = client.get(f"{url}?{_opener(page, 'all')}").get_data(as_text=True)
    assert everyone.count('<tr id="row-') == 16
    assert "Danh sách chờ (12)</a></h2>" in everyone  # one list open at a time


def test_a_long_preview_waitlist_is_folded_and_opens_in_order(client, login, db, make_class,
                                                              make_cadre, apply_for):
    klass = make_class(capacity=4, min_women_share=0.0)
    apply_for(klass, [make_cadre(f"Đinh Thị Đợi{i:02d}", birth_year=1960 + i)
                      for i in range(15)])
    db.session.commit()
    preview = enrolment.preview(klass, klass.policy)
    waiting = [r.application.cadre.full_name for r in preview.waitlist]
    login("coordinator")
    url = f"/classes/{klass.id}/applications"
    page = client.get(url).get_data(as_text=True)
    assert "Danh sách chờ (11)</a></h3>" in page
    assert 'class="list-group mb-3 preview-waitlist"' not in page
    assert not any(n in page for n in waiting)
    assert all(r.application.cadre.full_name in page for r in preview.admitted)
    opened = client.get(f"{url}?{_opener(page, 'preview_waitlist')}").get_data(as_text=True)
    start = opened.index('class="list-group mb-3 preview-waitlist"')
    shown = re.findall(r"<strong>([^<]+)</strong>", opened[start:opened.index("</ol>", start)])
    assert shown == waiting
    assert f'value="{preview.fingerprint}"' in opened  # the same result to confirm


def test_the_withdraw_form_is_on_the_chosen_row_only(client, login, crowded):
    login("coordinator")
    url = f"/classes/{crowded.id}/applications"
    chosen = crowded.applications[0].id
    page = client.get(f"{url}?withdraw={chosen}").get_data(as_text=True)
    assert page.count('class="mt-1 withdraw-form"') == 1
    assert f'action="/classes/{crowded.id}/applications/{chosen}/withdraw"' in page


def test_each_reason_line_is_translated_once_per_request(client, login, crowded,
                                                         monkeypatch):
    calls = []
    real = application_lists.shown_reason

    def counting(line):
        calls.append(line)
        return real(line)

    monkeypatch.setattr(application_lists, "shown_reason", counting)
    client.set_cookie("lang", "en")
    login("coordinator")
    assert client.get(f"/classes/{crowded.id}/applications").status_code == 200
    assert calls and len(calls) == len(set(calls))


def test_the_preview_reads_no_application_a_second_time(client, login, db, make_class,
                                                         make_cadre, apply_for, monkeypatch):
    """The page reads the class's applications with their cadres once; its preview allocates
    those (a class of 600 read them twice), the same result as read on their own."""
    klass = make_class(capacity=4, min_women_share=0.0)
    apply_for(klass, [make_cadre(f"Đinh Thị Chờ{i:02d}", birth_year=1960 + i)
                      for i in range(8)])
    db.session.commit()
    alone = enrolment.preview(klass, klass.policy)
    db.session.remove()

    def again(*args, **kwargs):
        raise AssertionError("the applications were read a second time")

    monkeypatch.setattr(enrolment, "_applications", again)
    login("coordinator")
    response = client.get(f"/classes/{klass.id}/applications")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="preview-h"' in page
    assert f'value="{alone.fingerprint}"' in page


def test_the_page_builds_no_orm_application_and_its_statements_do_not_grow(
        client, login, db, make_class, make_cadre, apply_for, count_queries, count_rows):
    """The applications and their cadres are read as plain values in one statement
    (app/classes/application_facts.py): 3 or 30 applicants, the same statements, and no
    Application or Cadre object built (600 of each cost more than the rest of the page)."""
    login("coordinator")
    klass = make_class(capacity=4, min_women_share=0.0)
    cadres = [make_cadre(f"Đinh Thị Đông{i:02d}", birth_year=1950 + i) for i in range(30)]
    class_id, later = klass.id, [c.id for c in cadres[3:]]
    apply_for(klass, cadres[:3])
    figures = []
    for more in ((), later):
        apply_for(db.session.get(TrainingClass, class_id),
                  [db.session.get(Cadre, i) for i in more])
        db.session.remove()
        with count_queries() as queries, count_rows() as rows:
            page = client.get(f"/classes/{class_id}/applications").get_data(as_text=True)
        assert 'id="preview-h"' in page
        assert not {"Application", "Cadre"} & set(rows()), rows()
        figures.append(queries())
    assert figures[0] == figures[1]
