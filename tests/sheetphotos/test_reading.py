"""Reading a photo of a signed page and confirming it (issue #19, points 2-4): what the
coordinator sees (signed, blank; the crops read as signed), the JSON, nothing written before
confirming, the rules of the proposals (blank → absent only where no mark; a phone's mark
stands), the marks audited as from the photo, the photo kept as evidence, a second
confirmation writes nothing; and every photo that cannot be read, said in Vietnamese."""

import io
import re

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

from app.attendance.models import AttendanceEvidence, AttendanceMark
from app.audit.models import AuditEntry
from app.sheetphotos import reader
from app.sheetphotos.models import SheetReading
from tests.attendance.conftest import by_name
from tests.sheetphotos.conftest import photo_of

NAMES = [("Đinh Thị Hoa", "F"), ("Phạm Văn Ba", "M"), ("Hồ Thị An", "F"), ("Đinh Văn Út", "M"),
         ("Lê Văn Mẫn", "M"), ("Hoàng Thị Mỵ", "F")]


def _post(client, klass, *photos, accept="text/html"):
    files = [(io.BytesIO(data), name) for name, data in photos]
    return client.post(f"/classes/{klass.id}/sheet-photos/new", data={"photos": files},
                       content_type="multipart/form-data", headers={"Accept": accept})


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _form(html: str) -> dict:
    """What the confirming form posts as a browser would: each select's chosen option and the
    hidden fields."""
    data = {}
    for name, options in re.findall(r'<select[^>]*name="(c-\d+-\d+)"[^>]*>(.*?)</select>', html,
                                    re.S):
        chosen = re.search(r'<option value="(\w*)" selected>', options)
        data[name] = chosen[1] if chosen else ""
    data.update(re.findall(r'<input type="hidden" name="(w-\d+-\d+)" value="(\w*)">', html))
    return data


def test_a_photo_is_read_proposed_and_confirmed_once(client, db, users, running, printed):
    klass, applications = running(NAMES)
    named = by_name(applications)
    first, second = klass.sessions[0], klass.sessions[1]  # yesterday's two, begun
    # taken on the phone before: Út present in the first session, Ba excused in the second
    db.session.add(AttendanceMark(session_id=first.id, application_id=named["Đinh Văn Út"].id,
                                  status="present"))
    db.session.add(AttendanceMark(session_id=second.id, application_id=named["Phạm Văn Ba"].id,
                                  status="excused"))
    db.session.commit()
    pdf, sheet = printed(klass)
    cadre = {a.cadre.full_name: a.cadre_id for a in applications}
    signed = {(cadre[n], first.id) for n in ("Hồ Thị An", "Phạm Văn Ba", "Đinh Thị Hoa")}
    signed |= {(cadre[n], second.id) for n in ("Hồ Thị An", "Phạm Văn Ba", "Lê Văn Mẫn")}
    # no signature spills into the next row here (bench/bench_sheet_photo.py measures those)
    photo, _cells = photo_of(pdf, sheet, signed=signed, seed=3, spill=0)
    marks_before = _count(db, AttendanceMark)

    response = _post(client, klass, ("trang-1.jpg", photo.jpeg))
    assert response.status_code == 303
    result = client.get(response.location, headers={"Accept": "application/json"}).get_json()
    assert result["print_id"] == sheet.id and result["page"] == 1
    decision = {(c["cadre_id"], c["session_id"]): c["decision"] for c in result["cells"]}
    for session in (first, second):
        for name in cadre:
            expected = "signed" if (cadre[name], session.id) in signed else "blank"
            assert decision[(cadre[name], session.id)] == expected, (name, session.id)
    assert _count(db, AttendanceMark) == marks_before  # nothing written before confirming

    html = client.get(response.location).get_data(as_text=True)
    assert "Hồ Thị An" in html and "có chữ ký" in html
    assert html.count('src="data:image/jpeg;base64,') >= 6  # the strip of signed crops
    assert "Đã điểm danh “Có mặt”: giữ nguyên trừ khi bạn đổi." in html  # Út: blank vs phone
    form = _form(html)
    assert form[f"c-{first.id}-{named['Đinh Văn Út'].id}"] == "present"  # the phone's stands
    assert form[f"c-{first.id}-{named['Hồ Thị An'].id}"] == "present"
    assert form[f"c-{first.id}-{named['Lê Văn Mẫn'].id}"] == "absent"
    assert form[f"c-{second.id}-{named['Phạm Văn Ba'].id}"] == "excused"  # kept

    confirm = f"{response.location}/confirm"
    assert client.post(confirm, data=form).status_code == 303
    marks = {(m.session_id, m.application_id): m.status
             for m in db.session.scalars(select(AttendanceMark))}
    assert marks[(first.id, named["Hồ Thị An"].id)] == "present"
    assert marks[(first.id, named["Lê Văn Mẫn"].id)] == "absent"
    assert marks[(first.id, named["Đinh Văn Út"].id)] == "present"
    assert marks[(second.id, named["Phạm Văn Ba"].id)] == "excused"
    assert marks[(second.id, named["Lê Văn Mẫn"].id)] == "present"
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "attendance.mark")).all()
    assert entries and all(e.data["source"] == "photo" and "từ ảnh chụp" in e.summary
                           for e in entries)
    evidence = db.session.scalars(select(AttendanceEvidence)).all()
    assert {e.session_id for e in evidence} >= {first.id, second.id}
    assert db.session.get(SheetReading, result["reading_id"]).status == "confirmed"

    # confirming again (a second coordinator, the same page): refused, nothing written twice
    count = (_count(db, AttendanceMark), _count(db, AttendanceEvidence), _count(db, AuditEntry))
    again = client.post(confirm, data=form)
    assert again.status_code == 409
    assert "đã được xác nhận" in again.get_data(as_text=True)
    assert (_count(db, AttendanceMark), _count(db, AttendanceEvidence),
            _count(db, AuditEntry)) == count


def test_reading_a_page_again_replaces_the_unconfirmed_result(client, db, users, running,
                                                              printed):
    klass, _applications = running(NAMES)
    pdf, sheet = printed(klass)
    photo, _cells = photo_of(pdf, sheet, seed=5)
    assert _post(client, klass, ("a.jpg", photo.jpeg)).status_code == 303
    assert _post(client, klass, ("b.jpg", photo.jpeg)).status_code == 303
    readings = db.session.scalars(select(SheetReading)).all()
    assert [r.original_name for r in readings] == ["b.jpg"]


def test_a_learner_admitted_after_printing_is_named(client, db, users, running, printed,
                                                   make_cadre, apply_for, admit):
    klass, _applications = running(NAMES)
    pdf, sheet = printed(klass)
    klass.capacity += 1
    admit(klass, apply_for(klass, [make_cadre("Võ Thị Xuân", gender="F", birth_year=1990)]))
    photo, _cells = photo_of(pdf, sheet, seed=6)
    response = _post(client, klass, ("a.jpg", photo.jpeg))
    html = client.get(response.location).get_data(as_text=True)
    assert "được xét chọn sau khi in tờ này" in html and "Võ Thị Xuân" in html


def _jpeg(image: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(image).save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_photo_whose_qr_cannot_be_read_gets_its_page_from_the_person(client, db, users,
                                                                      running, printed):
    klass, _applications = running(NAMES)
    pdf, sheet = printed(klass)
    photo, _cells = photo_of(pdf, sheet, seed=7)
    image = np.array(Image.open(io.BytesIO(photo.jpeg)).convert("L"))
    gray = reader.decode(photo.jpeg)
    located = reader.locate(gray, (297, 210))
    # cover the QR code (its box on the page, in the photo's pixels) with white paper
    import cv2

    x, y, side = sheet.layout["qr_mm"]
    corners = np.float32([[[x - 2, y - 2]], [[x + side + 2, y + side + 2]]])
    (x0, y0), (x1, y1) = cv2.perspectiveTransform(
        corners, np.linalg.inv(located.homography)).reshape(2, 2)
    image[int(min(y0, y1)) - 10:int(max(y0, y1)) + 10, int(min(x0, x1)) - 10:
          int(max(x0, x1)) + 10] = 235
    response = _post(client, klass, ("khong-qr.jpg", _jpeg(image)))
    assert response.status_code == 303
    html = client.get(response.location).get_data(as_text=True)
    assert "Không đọc được mã QR" in html and 'name="page"' in html
    chosen = client.post(f"{response.location}/page", data={"print_id": sheet.id, "page": 1})
    assert chosen.status_code == 303
    result = client.get(response.location, headers={"Accept": "application/json"}).get_json()
    assert result["page"] == 1 and len(result["cells"]) == len(sheet.cells_of(1))
    refused = client.post(f"{response.location}/page", data={"print_id": sheet.id, "page": 9})
    assert refused.status_code == 422 and "hãy chọn một trang từ 1 đến" in \
        refused.get_data(as_text=True)


def test_a_page_of_another_class_is_refused(client, db, users, running, printed):
    klass, _applications = running(NAMES)
    other, _others = running([("Bùi Thị Lan", "F")], code="KHAC-01")
    pdf, sheet = printed(other)
    photo, _cells = photo_of(pdf, sheet, seed=8)
    response = _post(client, klass, ("lop-khac.jpg", photo.jpeg))
    assert response.status_code == 409
    assert "là trang danh sách ký của một lớp khác" in response.get_data(as_text=True)
    assert _count(db, SheetReading) == 0


def test_a_sheet_not_printed_by_this_app_is_refused(app, client, db, users, login, running,
                                                    printed):
    from app.attendance import sheets
    from app.documents.models import org_info
    from app.sheetphotos import codes

    klass, applications = running(NAMES)
    _pdf, sheet = printed(klass)
    foreign = codes.key_of("another installation")
    layout = sheets.SheetLayout()
    pdf = sheets.sign_in_pdf(klass, [a.cadre for a in applications], klass.sessions, org_info(),
                             every=True, layout=layout,
                             qr=lambda page: codes.qr_text(foreign, klass.id, sheet.id, page))
    photo, _cells = photo_of(pdf, sheet, seed=9)
    response = _post(client, klass, ("gia.jpg", photo.jpeg))
    assert response.status_code == 409
    assert "không phải do phần mềm này in" in response.get_data(as_text=True)


def _png(width, height, value=255):
    out = io.BytesIO()
    Image.new("L", (width, height), value).save(out, "PNG")
    return out.getvalue()


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


@pytest.mark.parametrize(("name", "data", "message"), [
    ("ghi-chu.jpg", b"khong phai anh", "không phải loại được phép"),
    ("danh-sach.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "là PDF, không phải ảnh chụp"),
    ("IMG_0001.heic", HEIC, "định dạng HEIC"),
    ("nho.png", _png(640, 480), "quá nhỏ để đọc chữ ký"),
    ("trang-trang.png", _png(1600, 1200), "không thấy đủ bốn ô vuông đen"),
    ("qua-nang.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (11 * 1024 * 1024), "tối đa"),
])
def test_a_photo_that_cannot_be_read_says_why(client, db, users, running, login, name, data,
                                              message):
    klass, _applications = running(NAMES)
    login(users["coordinator"])
    response = _post(client, klass, (name, data))
    assert response.status_code in (400, 413, 422)
    assert message in response.get_data(as_text=True)
    assert _count(db, SheetReading) == 0


def test_missing_corners_are_named(client, db, users, running, printed):
    klass, _applications = running(NAMES)
    pdf, sheet = printed(klass)
    photo, _cells = photo_of(pdf, sheet, seed=10)
    image = np.array(Image.open(io.BytesIO(photo.jpeg)).convert("L"))
    height, width = image.shape
    image[height // 2:, :] = 120  # the lower half of the page under a folder
    response = _post(client, klass, ("nua.jpg", _jpeg(image)))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "thấy 2: trên bên trái, trên bên phải" in text


def test_the_json_of_several_photos(client, db, users, running, printed):
    klass, _applications = running(NAMES)
    pdf, sheet = printed(klass)
    photo, _cells = photo_of(pdf, sheet, seed=11)
    response = _post(client, klass, ("a.jpg", photo.jpeg), ("b.txt", b"x"),
                     accept="application/json")
    assert response.status_code == 200
    good, bad = response.get_json()
    assert good["print_id"] == sheet.id and {c["decision"] for c in good["cells"]} <= set(
        reader.DECISIONS)
    assert "error" in bad


def test_cells_outside_the_photo_are_outside_never_blank():
    # a photo 200 mm wide of a 297 mm page: the cells past 200 mm are outside
    located = reader.Located(np.diag([0.2, 0.2, 1.0]), ("top left",), (1000, 1050))
    gray = np.full((1050, 1000), 255, np.uint8)
    result = reader.read_cells(gray, located, (297, 210), [(150, 50, 21, 10), (190, 50, 21, 10),
                                                           (220, 50, 21, 10)])
    assert [c.decision for c in result.cells] == ["blank", "outside", "outside"]


def test_the_proposals():
    from app.attendance.photo_proposals import propose

    assert propose("signed", None).proposed == "present"
    assert propose("blank", None).proposed == "absent"
    assert propose("outside", None).proposed is None
    assert propose("unsure", None).proposed is None
    late = propose("signed", "late")
    assert late.proposed == "late" and not late.disagrees
    phone = propose("signed", "absent")
    assert phone.proposed == "absent" and phone.disagrees
    assert propose("blank", "excused").proposed == "excused"


def test_two_pages_in_one_photo_are_refused(client, db, users, running, printed):
    klass, _applications = running(NAMES)
    pdf, sheet = printed(klass)
    left, _cells = photo_of(pdf, sheet, seed=12, size=(1800, 1350))
    right, _cells = photo_of(pdf, sheet, seed=13, size=(1800, 1350))
    pages = np.hstack([np.array(Image.open(io.BytesIO(p.jpeg)).convert("L"))
                       for p in (left, right)])
    both = np.full((pages.shape[1] * 3 // 4, pages.shape[1]), 100, np.uint8)  # a 4:3 photo
    both[:pages.shape[0]] = pages
    response = _post(client, klass, ("hai-trang.jpg", _jpeg(both)))
    assert response.status_code == 422
    assert "có hai trang giấy" in response.get_data(as_text=True)
