"""Phone numbers and dates of birth, per role (app/people/visibility.py): in clear for the
cadre, an admin and a coordinator whose scope holds the cadre; the year and a masked phone for
a trainer or a coordinator of another commune; nothing for anyone else."""

from datetime import date

import pytest

from app.people.scope import WHOLE, scope_of
from app.people.visibility import birth_for, mask_phone, phone_for


@pytest.fixture()
def hoa(make_cadre, users):
    return make_cadre("Đinh Thị Hoa", birth_date=date(1985, 3, 12), phone="0905123456",
                      user_id=users["learner"].id)


@pytest.mark.parametrize(("phone", "shown"), [("0905123456", "09xx xxx 456"),
                                              ("0255 3 861 234", "02xx xxx 234"),
                                              ("12", "xxx"), (None, "")])
def test_a_masked_phone_keeps_the_first_two_and_last_three_digits(phone, shown):
    assert mask_phone(phone) == shown


def test_per_role(db, users, make_user, hoa, son_ha):
    commune = make_user("sonha.coordinator", roles=("coordinator",),
                        unit_id=son_ha["new:son-ha"].id)
    other_learner = make_user("other", roles=("learner",))
    seen = {name: (phone_for(user, hoa, scope_of(user)), birth_for(user, hoa, scope_of(user)))
            for name, user in (("admin", users["admin"]), ("coordinator", users["coordinator"]),
                               ("own", users["learner"]), ("trainer", users["trainer"]),
                               ("other commune", commune), ("other learner", other_learner))}
    assert seen["admin"] == seen["coordinator"] == seen["own"] == ("0905123456", "12/03/1985")
    assert seen["trainer"] == seen["other commune"] == ("09xx xxx 456", "1985")
    assert seen["other learner"] == ("", "")
    assert phone_for(None, hoa, WHOLE) == birth_for(None, hoa, WHOLE) == ""


def test_the_coordinator_reads_them_in_clear_on_the_list_and_the_record(client, users, login,
                                                                        hoa):
    login(users["coordinator"])
    for url in ("/cadres/", f"/cadres/{hoa.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "0905123456" in page and "12/03/1985" in page, url


def test_the_learner_reads_their_own(client, users, login, hoa):
    login(users["learner"])
    page = client.get("/cadres/me").get_data(as_text=True)
    assert "0905123456" in page and "12/03/1985" in page
