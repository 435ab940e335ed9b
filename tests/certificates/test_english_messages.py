"""The certificates' messages follow the reader's language; what is printed or stored (the
certificate, the register, the audit log) stays Vietnamese."""


def test_a_refused_issue_and_a_malformed_code_say_why_in_english(client, login, users,
                                                                 finished, confirmed):
    klass, apps = finished({"Phạm Văn Ba": ["present", "present", "absent", "absent",
                                            "present"]})
    confirmed(klass)
    client.set_cookie("lang", "en")
    login(users["coordinator"])
    response = client.post(f"/classes/{klass.id}/certificates/issue",
                           data={"application_id": apps["Phạm Văn Ba"].id})
    assert response.status_code == 409
    assert "Phạm Văn Ba does not qualify for a certificate yet" in response.get_data(
        as_text=True)
    bad = client.get("/verify/0000").get_data(as_text=True)
    assert "A verification code has 10 characters" in bad
