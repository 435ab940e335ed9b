"""The printed certificate (text, QR code), who may download it, the learner's home page, the
public verification, the register."""

import io

import pytest
from openpyxl import load_workbook

from app.certificates import codes, issuing
from app.documents.models import org_info
from app.timeutil import local_today, utcnow
from tests.documents.pdftext import drawn_text, texts
from tests.documents.rasterize import pages, qr_texts


@pytest.fixture()
def issued(db, users, finished, confirmed, make_cadre):
    """A finished class whose certificates are issued; the `learner` account holds one."""
    learner = make_cadre("Đinh Thị Lanh", user_id=users["learner"].id, birth_year=1990)
    klass, apps = finished(learner=learner)
    confirmed(klass)
    certificates = issuing.issue(users["coordinator"], klass, org_info(), local_today(),
                                 utcnow())
    db.session.commit()
    return klass, {c.holder_name: c for c in certificates}


def test_codes_are_long_unambiguous_and_typed_loosely():
    code = codes.new_code()
    assert len(code) == 10 and not set(code) & set("0O1IL")
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2 ** 40
    shown = codes.display(code)
    assert codes.normalise(f"  {shown.lower()} ") == code
    assert codes.normalise("ABCDE-FGHJ0") is None  # a 0
    assert codes.normalise("X" * 500) is None


def test_the_class_pdf_prints_every_holder_in_name_order_with_exact_names(client, login, users,
                                                                         issued):
    klass, by_name = issued
    login(users["coordinator"])
    with drawn_text() as runs:
        response = client.get(f"/classes/{klass.id}/certificates.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    names = [t for t in texts(runs) if t.isupper() and t.startswith(("ĐINH", "HỒ", "PHẠM"))]
    assert names == ["HỒ THỊ AN", "PHẠM VĂN BA", "ĐINH THỊ HOA", "ĐINH THỊ LANH",
                     "ĐINH VĂN ÚT"]
    page_1 = texts(runs, page=1)
    for line in ("ỦY BAN NHÂN DÂN", "XÃ SƠN HÀ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "GIẤY CHỨNG NHẬN", "Chứng nhận bà: ",
                 "Đã hoàn thành lớp tập huấn", "“Lớp tập huấn thử”", "KT. CHỦ TỊCH",
                 "PHÓ CHỦ TỊCH", "Đinh Văn Minh", by_name["Hồ Thị An"].shown_code):
        assert line in page_1
    assert f"Số: {by_name['Hồ Thị An'].number}" in page_1
    assert any(t.startswith("Sơn Hà, ngày ") for t in page_1)


def test_the_qr_code_decodes_to_the_verification_url(client, login, users, issued):
    _klass, by_name = issued
    hoa = by_name["Đinh Thị Hoa"]
    login(users["coordinator"])
    data = client.get(f"/certificates/{hoa.code}.pdf").data
    [page] = pages(data, dpi=150)
    assert qr_texts(page) == [f"http://localhost/verify/{hoa.code}"]


def test_a_learner_downloads_their_own_and_nobody_else_s(client, login, users, issued):
    _klass, by_name = issued
    login(users["learner"])
    home = client.get("/").get_data(as_text=True)
    lanh = by_name["Đinh Thị Lanh"]
    assert "Giấy chứng nhận của tôi" in home and f"/certificates/{lanh.code}.pdf" in home
    assert f"/certificates/{by_name['Đinh Thị Hoa'].code}.pdf" not in home
    mine = client.get(f"/certificates/{lanh.code}.pdf")
    assert mine.status_code == 200 and mine.mimetype == "application/pdf"
    assert client.get(f"/certificates/{by_name['Đinh Thị Hoa'].code}.pdf").status_code == 404
    assert client.get(f"/certificates/{lanh.code}").status_code == 403  # the staff page


def test_a_trainer_downloads_no_certificate(client, login, users, issued):
    _klass, by_name = issued
    login(users["trainer"])
    assert client.get(f"/certificates/{by_name['Đinh Thị Lanh'].code}.pdf").status_code == 403


def test_verify_a_valid_certificate_shows_what_is_printed(client, issued):
    _klass, by_name = issued
    hoa = by_name["Đinh Thị Hoa"]
    page = client.get(f"/verify/{hoa.code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for value in ("Giấy chứng nhận hợp lệ, còn hiệu lực.", "Đinh Thị Hoa", "Lớp tập huấn thử",
                  hoa.number, "Ủy ban nhân dân xã Sơn Hà"):
        assert value in text


def test_verify_a_revoked_certificate_gives_the_date(client, db, users, issued):
    _klass, by_name = issued
    hoa = by_name["Đinh Thị Hoa"]
    issuing.revoke(users["coordinator"], hoa, "Cấp nhầm người, lý do nội bộ", utcnow())
    db.session.commit()
    text = client.get(f"/verify/{hoa.code.lower()}").get_data(as_text=True)
    assert "Giấy chứng nhận này đã bị thu hồi ngày" in text
    assert "lý do nội bộ" not in text  # the reason is not printed on the certificate


def test_verify_unknown_malformed_and_overlong_codes(client):
    unknown = client.get("/verify/ABCDE-FGHJK")
    assert unknown.status_code == 404
    assert "Không tìm thấy giấy chứng nhận có mã ABCDE-FGHJK" in unknown.get_data(as_text=True)
    for bad in ("0OIL1", "abc", "Z" * 5000, "%3Cscript%3E"):
        response = client.get(f"/verify/{bad}")
        assert response.status_code == 400, bad
        assert "Mã xác minh gồm 10 ký tự" in response.get_data(as_text=True)
    assert client.get("/verify?code=" + "Q" * 300).status_code == 400
    typed = client.get("/verify?code=abcde fghjk")
    assert typed.status_code == 303 and typed.location.endswith("/verify/ABCDEFGHJK")
    assert client.get("/verify").status_code == 200


def test_the_register_pdf_and_xlsx_mark_the_revoked(client, login, db, users, issued):
    _klass, by_name = issued
    issuing.revoke(users["coordinator"], by_name["Đinh Thị Hoa"], "Cấp nhầm người", utcnow())
    db.session.commit()
    login(users["coordinator"])
    with drawn_text() as runs:
        response = client.get("/certificates/register.pdf")
    assert response.status_code == 200
    joined = " ".join(texts(runs))
    assert "SỔ CẤP GIẤY CHỨNG NHẬN" in joined and "Đinh Thị Hoa" in joined
    assert "Đã thu hồi ngày" in joined and "Cấp nhầm người" in joined
    book = load_workbook(io.BytesIO(client.get("/certificates/register.xlsx").data))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert "SỔ CẤP GIẤY CHỨNG NHẬN" in values and "Hồ Thị An" in values
    assert any(isinstance(v, str) and v.startswith("Đã thu hồi ngày") for v in values)
    assert sum(1 for v in values if v == "Còn hiệu lực") == 4


def test_the_register_period_filters(client, login, users, issued):
    login(users["coordinator"])
    year = local_today().year
    last_year = client.get(f"/certificates/register?date_from=01/01/{year - 1}"
                           f"&date_to=31/12/{year - 1}").get_data(as_text=True)
    assert "Không có giấy chứng nhận nào được cấp trong kỳ này." in last_year
    bad = client.get("/certificates/register?date_from=31/02/2026")
    assert bad.status_code == 400


def test_listing_pages_do_not_grow_queries_with_certificates(client, login, users, issued,
                                                             count_queries, db, finished,
                                                             confirmed):
    klass, _ = issued
    login(users["coordinator"])
    with count_queries() as few:
        client.get(f"/classes/{klass.id}/certificates")
        client.get("/certificates/register")
    names = [(f"Nguyễn Văn Tư {i}", "M") for i in range(8)]
    more, _ = finished(names=names, code="L-MORE")
    confirmed(more)
    issuing.issue(users["coordinator"], more, org_info(), local_today(), utcnow())
    db.session.commit()
    with count_queries() as many:
        client.get(f"/classes/{more.id}/certificates")
        client.get("/certificates/register")
    assert many() <= few() + 2


def test_verification_is_rate_limited_per_address(tmp_path, monkeypatch):
    """An app of its own with rate limits on (the test app has them off), on SQLite."""
    from app import create_app
    from app.extensions import db as _db
    from app.extensions import limiter
    from config import TestingConfig

    class Limited(TestingConfig):
        RATELIMIT_ENABLED = True
        VERIFY_RATE_LIMIT = "3 per minute"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        INSTANCE_PATH = str(tmp_path)

    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # restored after the test
    limited = create_app(Limited)
    with limited.app_context():
        _db.create_all()
        try:
            client = limited.test_client()
            statuses = [client.get(f"/verify/ABCDE-FGH{c}K").status_code for c in "JKMN"]
            assert statuses == [404, 404, 404, 429]
            other = client.get("/verify/ABCDEFGHJK", environ_base={"REMOTE_ADDR": "10.0.0.9"})
            assert other.status_code == 404
        finally:
            limiter.reset()
            _db.session.remove()
            _db.engine.dispose()


def test_a_revoked_certificate_prints_crossed_out_and_leaves_the_learner_s_list(
        client, login, db, users, issued):
    _klass, by_name = issued
    lanh = by_name["Đinh Thị Lanh"]
    issuing.revoke(users["coordinator"], lanh, "Cấp nhầm người", utcnow())
    db.session.commit()
    login(users["learner"])
    home = client.get("/").get_data(as_text=True)
    assert "Đã thu hồi" in home and f"/certificates/{lanh.code}.pdf" not in home
    with drawn_text() as runs:
        assert client.get(f"/certificates/{lanh.code}.pdf").status_code == 200
    assert "ĐÃ THU HỒI" in texts(runs)


def test_a_commune_coordinator_sees_only_the_certificates_of_their_scope(client, login, db,
                                                                          son_ha, make_user,
                                                                          issued):
    """The class invites xã Sơn Kỳ and xã Sơn Hà: a coordinator of xã Sơn Thủy neither reads,
    prints, revokes nor reissues its certificates, nor finds them in the register; one of xã
    Sơn Kỳ alone is outside too (the class is the province's, inviting two communes)."""
    _klass, certificates = issued
    one = certificates["Đinh Thị Lanh"]
    for commune in ("new:son-thuy", "new:son-ky"):
        other = make_user(f"dieuphoi_{commune[4:]}", roles=("coordinator",),
                          unit_id=son_ha[commune].id)
        login(other)
        assert client.get(f"/certificates/{one.code}").status_code == 403
        assert client.get(f"/certificates/{one.code}.pdf").status_code in (403, 404)
        for action in ("revoke", "reissue"):
            response = client.post(f"/certificates/{one.code}/{action}",
                                   data={"reason": "Thử thu hồi"})
            assert response.status_code == 403, action
        page = client.get("/certificates/register").get_data(as_text=True)
        assert one.number not in page and "Đinh Thị Lanh" not in page
        sheet = client.get("/certificates/register.xlsx").data
        from openpyxl import load_workbook

        values = [c.value for row in load_workbook(io.BytesIO(sheet)).active.iter_rows()
                  for c in row]
        assert "Đinh Thị Lanh" not in values
        client.post("/auth/logout")
    db.session.expire_all()
    assert not db.session.get(type(one), one.id).revoked_at


def test_the_register_page_is_paged_in_order_and_the_pdf_keeps_every_row(app, client, login,
                                                                          users, issued,
                                                                          monkeypatch):
    """A district's register runs to thousands: the page shows PAGE_SIZE certificates at a time,
    by date and number, with a pager; the printed book and the workbook keep them all."""
    _klass, by_name = issued
    numbers = [c.number for c in sorted(by_name.values(), key=lambda c: (c.year, c.seq))]
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    login(users["coordinator"])
    shown = []
    for page in (1, 2, 3):
        html = client.get(f"/certificates/register?page={page}").get_data(as_text=True)
        on_page = [n for n in numbers if f">{n}</a>" in html]
        assert len(on_page) == (2 if page < 3 else 1)
        shown += on_page
    assert shown == numbers
    assert "page=2" in client.get("/certificates/register").get_data(as_text=True)
    beyond = client.get("/certificates/register?page=9").get_data(as_text=True)
    assert not any(f">{n}</a>" in beyond for n in numbers)
    book = load_workbook(io.BytesIO(client.get("/certificates/register.xlsx").data))
    values = [cell.value for row in book.active.iter_rows() for cell in row]
    assert all(n in values for n in numbers)
