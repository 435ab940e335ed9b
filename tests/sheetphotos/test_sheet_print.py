"""The readable sheet (issue #19, point 1): every page carries the four ArUco markers OpenCV
finds, a QR code naming the print and the page under an HMAC, signature cells of at least
20 × 9 mm with nothing inside, the foot note; each print is recorded with its cells, and a
coordinator downloads the layout as JSON."""

import cv2
import numpy as np
import pytest

from app.documents import markers
from app.sheetphotos import codes
from tests.documents.pdftext import drawn_text, texts
from tests.documents.rasterize import pages as rasterized
from tests.documents.rasterize import qr_texts

EIGHT = [("Đinh Thị Hoa", "F"), ("Phạm Văn Ba", "M"), ("Hồ Thị An", "F"), ("Đinh Văn Út", "M"),
         ("Lê Văn Mẫn", "M"), ("Hoàng Thị Mỵ", "F"), ("Trương Văn Thờ", "M"),
         ("Đinh Thị Ấu", "F")]


def test_the_marker_patterns_are_opencvs():
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    for marker, rows in markers.PATTERNS.items():
        image = cv2.aruco.generateImageMarker(dictionary, marker, 6)
        assert ["".join("1" if v else "0" for v in row[1:5]) for row in image[1:5]] == \
            list(rows)


def test_a_printed_page_is_recorded_and_readable(app, client, db, users, running, printed):
    klass, applications = running(EIGHT)
    with drawn_text() as runs:
        pdf, sheet = printed(klass)
    # recorded: the class, its six sessions, a cell per learner per session on the pages
    assert sheet.class_id == klass.id and sheet.sessions == [s.id for s in klass.sessions]
    cells = [c for page in range(1, sheet.pages + 1) for c in sheet.cells_of(page)]
    assert {(c, s) for c, s, _b in cells} == {(a.cadre_id, s.id) for a in applications
                                             for s in klass.sessions}
    for _cadre, _session, (_x, _y, w, h) in cells:
        assert w >= 20 and h >= 9
    assert "Ghi chú vắng/có phép vào cột Ghi chú, không ghi vào ô ký" in texts(runs)
    image = np.array(rasterized(pdf, dpi=150)[0])
    # the four markers, each in its corner
    detector = cv2.aruco.ArucoDetector(
        cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50),
        cv2.aruco.DetectorParameters())
    corners, ids, _ = detector.detectMarkers(image)
    assert sorted(ids.ravel().tolist()) == [0, 1, 2, 3]
    height, width = image.shape
    centre = {int(i): q.reshape(4, 2).mean(axis=0) for q, i in zip(corners, ids.ravel(),
                                                                    strict=True)}
    assert centre[0][0] < width / 2 and centre[0][1] < height / 2
    assert centre[2][0] > width / 2 and centre[2][1] > height / 2
    # nothing printed inside a signature cell of page 1
    per_mm = 150 / 25.4
    for _cadre, _session, (x, y, w, h) in sheet.cells_of(1):
        inside = image[int((y + 1.2) * per_mm):int((y + h - 1.2) * per_mm),
                       int((x + 1.2) * per_mm):int((x + w - 1.2) * per_mm)]
        assert inside.min() > 200
    # the QR code names the class, the print and the page, under this app's key
    [text] = qr_texts(rasterized(pdf, dpi=150)[0])
    code = codes.parse(codes.key_of(app.config["SECRET_KEY"]), text)
    assert code == codes.PageCode(klass.id, sheet.id, 1)
    assert codes.parse(codes.key_of("another installation"), text) is None


def test_more_sessions_than_fit_print_in_parts_of_wide_cells(db, users, running, printed,
                                                             make_class):
    klass, _applications = running(EIGHT)  # six sessions: 5 + 1
    with drawn_text() as runs:
        _pdf, sheet = printed(klass)
    assert any(t.startswith("Phần 1/2") for t in texts(runs))
    widths = {round(b[2]) for p in range(1, sheet.pages + 1) for _c, _s, b in sheet.cells_of(p)}
    assert min(widths) >= 20


def test_the_layout_as_json_for_coordinators(client, login, db, users, running, printed):
    klass, applications = running(EIGHT)
    _pdf, sheet = printed(klass)
    response = client.get(f"/classes/{klass.id}/sheet-prints/{sheet.id}/layout.json")
    assert response.status_code == 200
    data = response.get_json()
    assert data["print_id"] == sheet.id and data["page_mm"] == {"width": 297.0, "height": 210.0}
    assert [m["corner"] for m in data["markers_mm"]] == list(markers.CORNERS)
    first = data["pages"][0]["cells"][0]
    assert first["cadre"] == "Hồ Thị An"  # Vietnamese name order: An first
    assert set(first["box_mm"]) == {"x", "y", "width", "height"}
    client.post("/auth/logout")
    login(users["trainer"])
    assert client.get(f"/classes/{klass.id}/sheet-prints/{sheet.id}/layout.json"
                      ).status_code == 403


@pytest.mark.parametrize("text", ["taphuan:sheet:1:2:3:0000000000", "taphuan:sheet:1:2:3",
                                  "https://example.com", "taphuan:sheet:1:2:3:zz"])
def test_a_code_not_signed_by_this_app_is_refused(text):
    assert codes.parse(codes.key_of("k"), text) is None


def test_a_code_signed_by_this_app_reads_back():
    key = codes.key_of("k")
    assert codes.parse(key, codes.qr_text(key, 7, 42, 3)) == codes.PageCode(7, 42, 3)
