"""A trainer sees the year of birth of the class's learners, not the date (the one rule:
app/people/visibility.py); the coordinator sees the date."""

from datetime import date

from sqlalchemy import update

from app.classes.models import Application


def _admitted(db, make_class, make_cadre, apply_for):
    klass = make_class(status="allocated")
    cadre = make_cadre("Đinh Thị Hoa", birth_date=date(1985, 3, 12), phone="0905123456")
    apply_for(klass, [cadre])
    db.session.execute(update(Application).values(status="admitted"))
    db.session.commit()
    return klass


def test_the_trainer_sees_the_year_the_coordinator_the_date(client, db, users, login,
                                                            make_class, make_cadre, apply_for):
    klass = _admitted(db, make_class, make_cadre, apply_for)
    login(users["trainer"])
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Đinh Thị Hoa" in page and "1985" in page and "12/03/1985" not in page
    client.post("/auth/logout")
    login(users["coordinator"])
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "12/03/1985" in page
