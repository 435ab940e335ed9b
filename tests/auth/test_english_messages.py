"""Account messages of the domain (app.auth.service) follow the reader's language."""

from flask_babel import refresh

from app.auth import service


def test_username_problem_is_in_the_readers_language(app):
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        refresh()
        assert service.username_problem("0905123456") == (
            "A username is made of 2–64 unaccented letters, digits and . _ -, with at least "
            "one letter (so that it cannot be mistaken for a phone number).")
    with app.test_request_context("/"):
        refresh()
        assert service.username_problem("0905123456").startswith(
            "Tên đăng nhập gồm 2–64 chữ không dấu")
    assert service.username_problem("hoa.dinh") is None


def test_password_and_code_refusals_are_in_english(client, users, login, db):
    from app.auth import two_factor
    from app.timeutil import utcnow

    client.set_cookie("lang", "en")
    login(users["learner"])
    weak = client.post("/auth/password", data={"current": "secret-pass-1",
                                               "password": "password123",
                                               "confirm": "password123"})
    assert "This password is on the list of the most common passwords" in \
        weak.get_data(as_text=True)
    now = utcnow()
    secret = two_factor.new_secret()
    two_factor.enable(users["learner"], secret, two_factor.code_for(secret, now), now)
    db.session.commit()
    client.post("/auth/logout")
    login(users["learner"])
    page = client.post("/auth/login/code", data={"code": "000000"}).get_data(as_text=True)
    assert "The code is wrong, expired or already used." in page
