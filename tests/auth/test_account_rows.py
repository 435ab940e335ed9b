"""What each row of the account list shows (app/admin/account_rows.py, made once per page):
the roles in the reader's language, locked or active, the buttons named for the account (its
name escaped), the admin's own row without the lock button."""

import re

from markupsafe import escape

from app.extensions import db as _db


def _row(page: str, username: str) -> str:
    return re.search(rf"<tr>\s*<td class=\"stack-head\"><a [^>]*>{re.escape(username)}</a>"
                     r".*?</tr>", page, re.S)[0]


def test_each_row_shows_its_account(client, db, users, login, make_user):
    make_user("hoa.dinh", full_name="Đinh <Thị> Hoa", roles=("trainer", "learner"),
              phone="0905123456")
    make_user("an.le", full_name="Lê Văn An", roles=("coordinator",), active=False)
    login("admin")
    _db.session.remove()
    page = client.get("/admin/users").get_data(as_text=True)
    hoa = _row(page, "hoa.dinh")
    assert "Đinh &lt;Thị&gt; Hoa" in hoa and "0905123456" in hoa
    assert re.findall(r'border">([^<]+)</span>', hoa) == ["Học viên", "Giảng viên"]
    assert 'aria-label="Đặt lại mật khẩu cho hoa.dinh"' in hoa
    assert 'aria-label="Khóa tài khoản hoa.dinh"' in hoa and "Đang hoạt động" in hoa
    an = _row(page, "an.le")
    assert 'aria-label="Mở khóa tài khoản an.le"' in an and "Đã khóa" in an
    assert "Cán bộ điều phối" in an
    assert "/active" not in _row(page, "admin")  # no lock button on one's own account
    client.set_cookie("lang", "en")
    english = client.get("/admin/users").get_data(as_text=True)
    assert re.findall(r'border">([^<]+)</span>', _row(english, "hoa.dinh")) \
        == ["Learner", "Trainer"]


def test_the_search_finds_likes_own_characters_as_themselves(client, db, users, login,
                                                            make_user):
    """The search is a parameter of a statement built once: `%`, `_` and `/` in it are
    letters, not LIKE's wildcards or its escape; each page runs the same statement."""
    make_user("a_b", full_name="Hồ 50% Văn/Mai")
    make_user("axb", full_name="Hồ Văn Mai")
    login("admin")

    def found(q: str) -> list[str]:
        page = client.get("/admin/users", query_string={"q": q}).get_data(as_text=True)
        return re.findall(r'<td class="stack-head"><a [^>]*>([^<]+)</a>', page)

    assert found("a_b") == ["a_b"]
    assert found("50%") == ["a_b"]
    assert found("van/mai") == ["a_b"]
    assert found("%") == ["a_b"] and found("_") == ["a_b"]
    assert sorted(found("ho van mai")) == ["axb"]
    assert found("zz%") == []


def test_the_buttons_labels_escape_the_name(db, app):
    """A label is the catalogue's text with the name escaped in it, `%%` a percent sign."""
    from markupsafe import Markup

    from app.admin.account_rows import _naming

    for text in ("Khóa tài khoản %(u)s", "%(u)s: 100%% khóa", "Khóa"):
        for name in ("an.le", "<b>&\"'", "50%"):
            assert _naming(text)(escape(name)) == Markup(text) % {"u": name}  # noqa: S704
