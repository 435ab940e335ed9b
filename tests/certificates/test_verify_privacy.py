"""What the public verification shows of the holder's birth (issue 16, personal data): the
year alone, by the rule of app/people/visibility.py; the paper itself keeps the full date."""

from datetime import date

import pytest

from app.certificates import issuing
from app.documents.models import org_info
from app.people import visibility
from app.timeutil import local_today, utcnow
from tests.documents.pdftext import drawn_text, texts


@pytest.fixture()
def born_on_a_day(db, users, finished, confirmed, make_cadre):
    """A certificate whose holder's full date of birth (12/03/1985) is recorded and printed."""
    holder = make_cadre("Đinh Thị Lanh", birth_year=1985, birth_date=date(1985, 3, 12))
    klass, _apps = finished(learner=holder)
    confirmed(klass)
    issued = issuing.issue(users["coordinator"], klass, org_info(), local_today(), utcnow())
    db.session.commit()
    certificate = next(c for c in issued if c.holder_name == "Đinh Thị Lanh")
    assert certificate.holder_birth == "12/03/1985"
    return certificate


def test_a_visitor_sees_the_year_of_birth_not_the_date(client, born_on_a_day):
    page = client.get(f"/verify/{born_on_a_day.code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Đinh Thị Lanh" in text
    assert "1985" in text and "Năm sinh" in text
    assert "12/03/1985" not in text and "12/03" not in text and "Ngày sinh" not in text


def test_a_signed_in_coordinator_on_the_public_page_sees_what_the_public_sees(
        client, login, users, born_on_a_day):
    login(users["coordinator"])
    text = client.get(f"/verify/{born_on_a_day.code}").get_data(as_text=True)
    assert "1985" in text and "12/03/1985" not in text


def test_the_certificate_itself_still_prints_the_full_date(client, login, users, born_on_a_day):
    login(users["coordinator"])
    with drawn_text() as runs:
        response = client.get(f"/certificates/{born_on_a_day.code}.pdf")
    assert response.status_code == 200
    assert "Sinh ngày: 12/03/1985" in texts(runs, page=1)


@pytest.mark.parametrize(("printed", "shown"), [
    ("12/03/1985", "1985"), ("1985", "1985"), ("", ""), ("  1990 ", "1990"),
])
def test_the_public_rule_keeps_the_year_alone(printed, shown):
    assert visibility.birth_for_public(printed) == shown
