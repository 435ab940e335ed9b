"""Uploads carrying active content are refused (issue 16, item 1): PDFs with JavaScript or
actions, Office files with DDE or external links (app/core/active_content.py), on every path a
file comes in by: course files, scans of signed sheets, the cadre import, nominating from a
file and course packages. Every hostile file is made here, in the test.

SECURITY.md states how many hostile files of each kind are tried: `HOSTILE` below is the list
it counts (tests/security/test_security_doc.py).
"""

import io
import zipfile
import zlib

import pytest
from openpyxl import Workbook
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from app.attendance.models import AttendanceEvidence
from app.core import active_content
from app.courses import uploads
from app.courses.models import CourseAttachment
from app.people import cadre_file as cf
from app.people.models import Cadre
from tests.attendance.conftest import admit, running  # noqa: F401 - fixtures used below

MB = 1024 * 1024


def pdf(catalog_extra: bytes = b"", objects: bytes = b"") -> bytes:
    """A small PDF whose catalog carries `catalog_extra`, with more `objects` after it."""
    return (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>\n"
            b"endobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
            + objects + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def pdf_with_object_stream(hidden: bytes) -> bytes:
    """JavaScript hidden in a compressed object stream (PDF 1.5), invisible in the raw bytes."""
    body = zlib.compress(b"4 0 " + hidden)
    stream = (b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
              + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream\nendobj\n")
    return pdf(b"/OpenAction 4 0 R", stream)


def reportlab_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Danh sach ky nhan")
    page.save()
    return out.getvalue()


def xlsx(formula: str | None = None, extra_parts: dict | None = None,
         rels_extra: str = "") -> bytes:
    """A cadre list (.xlsx) with a header and one row; optionally a formula in a cell, extra
    parts added to the zip, or an extra relationship in the workbook's."""
    book = Workbook()
    book.active.append(list(cf.COLUMNS))
    book.active.append(["Đinh Thị Hoa", "Nữ", "05/03/1980", "Hrê", "Trưởng thôn", "",
                        "xã Sơn Ba", ""])
    if formula:
        book.active["J2"] = formula
    out = io.BytesIO()
    book.save(out)
    if not extra_parts and not rels_extra:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels" and rels_extra:
                data = data.replace(b"</Relationships>", rels_extra.encode() + b"</Relationships>")
            target.writestr(info, data)
        for name, data in (extra_parts or {}).items():
            target.writestr(name, data)
    return result.getvalue()


def docx_with_field(instruction: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body><w:p><w:r><w:instrText> {instruction} </w:instrText></w:r></w:p>'
            '</w:body></w:document>'))
    return out.getvalue()


DDE_LINK = (b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>')
EXTERNAL_REL = ('<Relationship Id="rId99" Target="file:///C:/x.xlsx" TargetMode="External" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'externalLink"/>')

# Every hostile file tried, by kind (SECURITY.md counts them): name, bytes.
HOSTILE = {
    "pdf": [
        ("open-action-js.pdf", pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")),
        ("names-javascript.pdf", pdf(b"/Names << /JavaScript 4 0 R >>")),
        ("page-aa.pdf", pdf(b"/AA << /O << /S /JavaScript /JS (x) >> >>")),
        ("launch.pdf", pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>")),
        ("embedded-file.pdf", pdf(b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>")),
        ("embedded-stream.pdf", pdf(objects=b"4 0 obj\n<< /Type /EmbeddedFile >>\nendobj\n")),
        ("submit-form.pdf", pdf(b"/OpenAction << /S /SubmitForm /F (http://x) >>")),
        ("import-data.pdf", pdf(b"/OpenAction << /S /ImportData /F (x.fdf) >>")),
        ("rich-media.pdf", pdf(objects=b"4 0 obj\n<< /Subtype /RichMedia >>\nendobj\n")),
        ("xfa.pdf", pdf(b"/AcroForm << /XFA 4 0 R >>")),
        ("hex-escaped.pdf", pdf(b"/OpenAction << /S /J#61vaScript /J#53 (x) >>")),
        ("object-stream.pdf", pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")),
    ],
    "xlsx": [
        ("dde-formula.xlsx", xlsx(formula="=cmd|' /C calc'!A0")),
        ("dde-formula-msexcel.xlsx", xlsx(formula="=MSEXCEL|'\\..\\..\\Windows\\cmd.exe'!''")),
        ("dde-in-sum.xlsx", xlsx(formula='=SUM(1,"a")+cmd|\'/c calc\'!A1')),
        ("external-link-part.xlsx", xlsx(extra_parts={
            "xl/externalLinks/externalLink1.xml": DDE_LINK})),
        ("dde-link-elsewhere.xlsx", xlsx(extra_parts={"xl/custom.xml": DDE_LINK})),
        ("ole-link.xlsx", xlsx(extra_parts={"xl/custom.xml": b"<x:oleLink progId='Package'/>"})),
        ("external-link-relationship.xlsx", xlsx(rels_extra=EXTERNAL_REL)),
    ],
    "docx": [
        ("ddeauto.docx", docx_with_field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"')),
        ("dde.docx", docx_with_field('DDE "c:\\\\windows\\\\cmd.exe" "/c calc"')),
    ],
}
CLEAN = [
    ("plain.pdf", pdf()),
    ("open-at-page.pdf", pdf(b"/OpenAction [3 0 R /Fit]")),
    ("reportlab.pdf", reportlab_pdf()),
    ("pipe-in-string.xlsx", xlsx(formula='=CONCATENATE("a|b","c")')),
    ("pipe-in-quoted-string.xlsx", xlsx(formula='=LEN("x""|""y")')),
    ("plain-formula.xlsx", xlsx(formula="=SUM(1,2)")),
]
ALL_HOSTILE = [pytest.param(name, data, id=name) for files in HOSTILE.values()
               for name, data in files]


@pytest.mark.parametrize(("name", "data"), ALL_HOSTILE)
def test_every_hostile_file_is_refused_by_the_upload_check(name, data):
    with pytest.raises(uploads.UploadError, match="nên bị từ chối"):
        uploads.check(name, data, 20 * MB)


@pytest.mark.parametrize(("name", "data"), [pytest.param(n, d, id=n) for n, d in CLEAN])
def test_ordinary_files_pass(name, data):
    assert uploads.check(name, data, 20 * MB).filename == name


def test_bytes_inside_streams_are_not_read_as_names():
    """A large image or drawing stream holds random bytes: "/JS" or "/AA" appear in them by
    chance (about once in 20 MB) and must not refuse the file."""
    noise = (b"/JS /AA /Launch " * 1000) + bytes(range(256)) * 4000
    stream = (b"4 0 obj\n<< /Length " + str(len(noise)).encode() + b" >>\nstream\n" + noise
              + b"\nendstream\nendobj\n")
    assert active_content.pdf_problem(pdf(objects=stream)) is None
    uploads.check("anh-lon.pdf", pdf(objects=stream), 20 * MB)


def test_the_check_reads_a_bounded_amount():
    """An object stream that inflates beyond the budget is refused, not read whole."""
    big = pdf_with_object_stream(b"<< /A " + b" " * (active_content.MAX_INFLATED + MB) + b">>")
    assert len(big) < MB
    assert active_content.pdf_problem(big) is not None


def test_a_course_file_with_javascript_is_refused(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    name, data = HOSTILE["pdf"][0]
    response = client.post(f"/courses/{course.slug}/edit/files",
                           data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "nội dung tự chạy (JavaScript)" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CourseAttachment.id))) == 0


def test_a_course_file_with_a_dde_link_is_refused(client, login, db, make_course, upload_dir):
    course = make_course()
    login("trainer")
    name, data = HOSTILE["xlsx"][0]
    response = client.post(f"/courses/{course.slug}/edit/files",
                           data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "công thức gọi chương trình khác (DDE)" in response.get_data(as_text=True)


def test_a_scan_with_javascript_is_refused(client, login, users, running, db):  # noqa: F811
    klass, _ = running()
    login(users["trainer"])
    response = client.post(f"/classes/{klass.id}/attendance/evidence", data={
        "session_id": str(klass.sessions[0].id), "back": "keyback",
        "file": (io.BytesIO(HOSTILE["pdf"][3][1]), "scan.pdf")},
        content_type="multipart/form-data")
    assert response.status_code in (400, 422)
    assert "nội dung tự chạy" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AttendanceEvidence.id))) == 0


@pytest.mark.parametrize("index", range(len(HOSTILE["xlsx"])))
def test_a_cadre_list_with_dde_or_external_links_imports_nothing(client, db, users, login,
                                                                son_ha, index):
    login("coordinator")
    name, data = HOSTILE["xlsx"][index]
    response = client.post("/cadres/import", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code in (400, 422)
    assert "nên bị từ chối" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Cadre.id))) == 0


def test_a_clean_cadre_list_still_imports(client, db, users, login, son_ha):
    login("coordinator")
    response = client.post("/cadres/import", data={
        "file": (io.BytesIO(xlsx(formula="=SUM(1,2)")), "ds.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code in (200, 302, 303)
    assert db.session.scalar(select(func.count(Cadre.id))) == 1


def test_nominating_from_a_file_with_dde_writes_nothing(client, db, users, login, son_ha,
                                                        make_class):
    klass = make_class(status="open")
    login("coordinator")
    response = client.post(f"/classes/{klass.id}/nominate/import", data={
        "file": (io.BytesIO(HOSTILE["xlsx"][3][1]), "de-cu.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code in (400, 422)
    assert "nên bị từ chối" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Cadre.id))) == 0


def test_a_course_package_with_a_hostile_file_is_refused(db, tmp_path):
    from app.courses import package

    folder = tmp_path / "khoa-doc"
    (folder / "lessons").mkdir(parents=True)
    (folder / "files").mkdir()
    (folder / "course.md").write_text("---\ntitle: Khóa độc\ncode: DOC-1\ntopics: [chuong-trinh]\n"
                                      "---\nMô tả.\n", encoding="utf-8")
    (folder / "lessons" / "01-mot.md").write_text("---\ntitle: Một\n---\nXem [tệp](files/a.pdf)"
                                                  "\n", encoding="utf-8")
    (folder / "files" / "a.pdf").write_bytes(HOSTILE["pdf"][0][1])
    _packages, problems = package.read_packages(tmp_path, 20 * MB)
    assert any("nội dung tự chạy" in str(p) for p in problems)
