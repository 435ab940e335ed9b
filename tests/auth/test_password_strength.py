"""The password rule (app/auth/passwords.py) where a password is set: own change, the admin's
new account and reset, `flask users create`, a learner account made from a cadre."""

import pytest

from app.auth.passwords import account_words, common_passwords, password_problem

WORDS = account_words(username="hoa.dinh", full_name="Đinh Thị Hoa", phone="0905123456",
                      unit="xã Sơn Kỳ")


def test_the_common_list_is_shipped_with_its_source():
    assert len(common_passwords()) >= 10000
    assert {"123456", "password", "qwerty", "anhyeuem"} <= common_passwords()


@pytest.mark.parametrize("password", ["123456789", "Password1!", "matkhau123", "Anh Yeu Em",
                                      "iloveyou2024"])
def test_common_passwords_are_refused_even_dressed_up(app, password):
    with app.test_request_context():
        assert "hay dùng nhất" in password_problem(password, WORDS)


@pytest.mark.parametrize("password", ["Đinh Thị Hoa 1985", "dinhthihoa", "hoa.dinh2024",
                                      "sonky0905123456", "Xã Sơn Kỳ 2025"])
def test_the_accounts_own_words_are_refused(app, password):
    with app.test_request_context():
        assert "có chứa tên, tên đăng nhập, số điện thoại" in password_problem(password, WORDS)


@pytest.mark.parametrize("password", ["aaaabbbbcccc", "abcd1234efgh", "987654321abc"])
def test_guessable_passwords_are_refused_with_what_to_do(app, password):
    with app.test_request_context():
        problem = password_problem(password, WORDS)
        assert "dễ đoán" in problem and "4–5 từ" in problem and "không cần ký tự đặc biệt" \
            in problem


@pytest.mark.parametrize("password", ["con trâu đi cày ruộng", "trau an co ben suoi",
                                      "mua lua tren nuong cao"])
def test_a_passphrase_of_plain_words_passes_without_symbols(app, password):
    with app.test_request_context():
        assert password_problem(password, WORDS) is None


def test_own_change_refuses_a_weak_password_at_the_field(client, users, login):
    login(users["learner"])
    response = client.post("/auth/password", data={
        "current": "secret-pass-1", "password": "learner2024", "confirm": "learner2024"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page and "có chứa tên" in page
    assert "4–5 từ thường" in page  # the advice stands beside the field before any error
    ok = client.post("/auth/password", data={"current": "secret-pass-1",
                                             "password": "ga gay o bo suoi",
                                             "confirm": "ga gay o bo suoi"})
    assert ok.status_code == 302


def test_admin_new_account_and_reset_are_held_to_the_rule(client, users, login, db):
    login(users["admin"])
    response = client.post("/admin/users/new", data={
        "username": "thuy", "full_name": "Hồ Thị Thủy", "roles": ["learner"], "active": "y",
        "password": "qwerty123", "confirm": "qwerty123"})
    assert response.status_code == 400
    assert "hay dùng nhất" in response.get_data(as_text=True)
    reset = client.post(f"/admin/users/{users['learner'].id}/password",
                        data={"password": "Learner 1", "confirm": "Learner 1"})
    assert reset.status_code == 400 and "có chứa tên" in reset.get_data(as_text=True)


def test_cli_refuses_a_common_password(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "quantri", "--name", "Quản Trị", "--role", "admin",
        "--password", "admin123"])
    assert result.exit_code == 1
    assert "--password: Mật khẩu này nằm trong danh sách những mật khẩu hay dùng nhất" \
        in result.stderr


def test_a_learner_account_made_for_a_cadre_is_held_to_the_rule(client, users, login,
                                                                 make_cadre):
    cadre = make_cadre("Đinh Văn Lành", gender="M")
    login(users["coordinator"])
    response = client.post(f"/cadres/{cadre.id}/account",
                           data={"username": "lanh", "password": "dinhvanlanh"})
    assert response.status_code == 400
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert cadre.user is None
