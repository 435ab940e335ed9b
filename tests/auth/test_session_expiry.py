"""The sign-in page reached after the session expired says so (issue 14); after signing out,
or on a first visit, it simply asks to sign in."""

EXPIRED = "Phiên đăng nhập của bạn đã hết hạn"


def test_the_sign_in_page_says_the_session_expired(client, db, users, login):
    assert EXPIRED not in client.get("/auth/login").get_data(as_text=True)  # first visit
    login("learner")
    assert client.get("/").status_code == 200
    client.delete_cookie("session")  # what the browser does when the session's time is up
    response = client.get("/classes/")
    assert response.status_code == 302 and "/auth/login" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert EXPIRED in page and "Vui lòng đăng nhập để tiếp tục." not in page
    # signed in again, then signed out on purpose: no talk of expiry
    login("learner")
    client.post("/auth/logout")
    page = client.get("/auth/login").get_data(as_text=True)
    assert EXPIRED not in page and "Bạn đã đăng xuất." in page
