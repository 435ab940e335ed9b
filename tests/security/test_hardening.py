"""Security regressions found by review: each test failed before its fix.

- an Office upload whose [Content_Types].xml unpacks to gigabytes (zip bomb);
- control characters in an upload's name or a class code, sent back in Content-Disposition
  (gunicorn refuses such a header: the download becomes an error 500 for everyone);
- text beginning with "=" written as a formula into the admitted list (.xlsx), and control
  characters (typed in a class code or a village name) that made the .xlsx files fail;
- a NUL character in any request (PostgreSQL cannot hold one: error 500, even signed out).
"""

import io
import re
import tracemalloc
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.courses import uploads
from app.courses.models import CourseAttachment

MB = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# What gunicorn accepts in a response header value (gunicorn/http/wsgi.py HEADER_VALUE_RE).
HEADER_VALUE = re.compile(r"[ \t\x21-\x7e\x80-\xff]*")


def _docx_bomb(unpacked: int) -> bytes:
    """A valid-looking .docx whose [Content_Types].xml unpacks to `unpacked` bytes (about a
    thousand times its packed size)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("[Content_Types].xml", "w", force_zip64=True) as part:
            part.write(b"<Types>")
            block = b" " * MB
            for _ in range(unpacked // MB):
                part.write(block)
            part.write(b"</Types>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_office_zip_bomb_is_refused_without_unpacking_it():
    data = _docx_bomb(64 * MB)
    assert len(data) < MB  # a small upload...
    tracemalloc.start()
    try:
        with pytest.raises(uploads.UploadError, match="bị hỏng hoặc không đọc được"):
            uploads.check("bao-cao.docx", data, 20 * MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB  # ...never unpacked (before the fix: 64 MB read, 140 MB peak)


def test_office_zip_bomb_upload_is_refused(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/files",
                           data={"file": (io.BytesIO(_docx_bomb(8 * MB)), "bom.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert db.session.scalar(select(CourseAttachment)) is None


def test_upload_name_with_control_characters_downloads(client, login, db, make_course,
                                                       upload_dir, users):
    course = make_course()
    login("trainer")
    response = client.post(f"/courses/{course.slug}/edit/files",
                           data={"file": (io.BytesIO(PDF), "Biểu\x01mẫu\x7f\x1b[2J.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    item = db.session.scalar(select(CourseAttachment))
    assert item.original_name == "Biểu mẫu [2J.pdf"
    served = client.get(f"/courses/{course.slug}/files/{item.filename}")
    assert served.status_code == 200
    assert HEADER_VALUE.fullmatch(served.headers["Content-Disposition"])


@pytest.mark.parametrize("ext", ["pdf", "xlsx"])
def test_admitted_list_name_without_control_characters(client, login, db, users, make_class,
                                                       make_cadre, apply_for, ext):
    klass = make_class(code="TH\x01-01")
    (app,) = apply_for(klass, [make_cadre("Đinh Thị Hoa")])
    app.status, klass.admitted_count = "admitted", 1
    db.session.commit()
    login(users["coordinator"])
    response = client.get(f"/classes/{klass.id}/admitted.{ext}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert HEADER_VALUE.fullmatch(disposition) and "TH-01" in disposition


def test_admitted_xlsx_holds_no_formula(client, login, db, users, son_ha, make_class,
                                        make_cadre, apply_for):
    login(users["admin"])
    settings = {"issuer_kind": "commune_office", "unit_id": son_ha["new:son-ha"].id,
                "office_name": '=HYPERLINK("http://x.example","Mở")', "head_title": "=1+1",
                "place_name": "=3+3", "number_suffix": "UBND", "drafting_office": "=2+2",
                "signer_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH",
                "signer_name": "Đinh Văn Minh"}
    assert client.post("/admin/settings", data=settings).status_code == 302
    client.post("/auth/logout")
    klass = make_class(status="allocated", title="=4+4", place="=5+5", communes=("new:son-ha",))
    (app,) = apply_for(klass, [make_cadre("Đinh Thị Hoa", commune=son_ha["new:son-ha"])])
    app.status = "admitted"
    db.session.commit()
    login(users["coordinator"])
    response = client.get(f"/classes/{klass.id}/admitted.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["A2"].value == '=HYPERLINK("HTTP://X.EXAMPLE","MỞ")'  # kept, as text
    assert any(c.value == "Đinh Thị Hoa" for c in cells)


def test_control_characters_do_not_break_the_cadre_export(client, login, users, son_ha,
                                                           make_cadre):
    login(users["coordinator"])
    commune = son_ha["new:son-ky"]
    response = client.post(f"/units/{commune.id}/villages/new",
                           data={"name": "Tà\x07Lương", "category": "thôn"})
    assert response.status_code == 302  # the form takes it (nfc keeps it)
    village = db_village(commune, "Tà\x07Lương")
    make_cadre("Đinh Thị Hoa", village_id=village.id)
    response = client.get("/cadres/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert sheet["F2"].value == "TàLương" and sheet["A2"].value == "Đinh Thị Hoa"


def db_village(commune, name):
    from app.extensions import db
    from app.people.models import Unit

    return db.session.scalar(select(Unit).where(Unit.parent_id == commune.id,
                                                Unit.name == name))


@pytest.mark.parametrize(("method", "url", "data"), [
    ("POST", "/auth/login", {"login": "adm\x00in", "password": "x"}),
    ("POST", "/auth/login", {"login": "admin", "password": "x\x00"}),
    ("GET", "/auth/login?next=/%00", None),
])
def test_nul_refused_signed_out(client, users, method, url, data):
    response = client.open(url, method=method, data=data)
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/cadres/?q=Hoa%00", "/classes/?q=L%00", "/courses/a%00b",
                                 "/courses/?topic=%00"])
def test_nul_refused_signed_in(client, login, users, url):
    login(users["coordinator"])
    assert client.get(url).status_code == 400


def test_nul_refused_in_forms_and_file_names(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    lesson = course.lessons[0]
    response = client.post(f"/courses/{course.slug}/edit/lessons/{lesson.id}",
                           data={"title": "Bài\x00", "body": "Nội dung"})
    assert response.status_code == 400
    response = client.post(f"/courses/{course.slug}/edit/files",
                           data={"file": (io.BytesIO(PDF), "a\x00.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    db.session.expire_all()
    assert course.lessons[0].title != "Bài\x00"
    assert db.session.scalar(select(CourseAttachment)) is None
