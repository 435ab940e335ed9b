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
