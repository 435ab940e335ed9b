"""The attendance papers through the client: the sign-in sheet (names in Vietnamese order with
every tone, one signature column per session or the one chosen, the count, "Trang x/y", the
corner marks and a QR code on every page read back from the rendered page), the attendance
report (marks, totals, rate from completion.py), who may print them, and bad input."""

import io
import os
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.attendance.models import AttendanceMark
from app.timeutil import local_today
from tests.attendance.conftest import by_name, first
from tests.documents.pdftext import drawn_lines, drawn_text, pages, texts
from tests.documents.rasterize import pages as rasterized
from tests.documents.rasterize import qr_texts

# Every tone mark and the letters with hook, breve, circumflex and horn, in given names too.
TONES = [("Lã Thị Ảnh", "F"), ("Đặng Văn Lợi", "M"), ("Phạm Thị Hạnh", "F"),
         ("Lê Văn Mẫn", "M"), ("Hoàng Thị Mỵ", "F"), ("Nguyễn Văn Vững", "M"),
         ("Trương Văn Thờ", "M"), ("Đinh Thị Ấu", "F")]
ORDER = ["Lã Thị Ảnh", "Đinh Thị Ấu", "Phạm Thị Hạnh", "Đặng Văn Lợi", "Lê Văn Mẫn",
         "Hoàng Thị Mỵ", "Trương Văn Thờ", "Nguyễn Văn Vững"]
LONG = "Tôn Nữ Thị Hoàng Phương Quỳnh Nguyễn Đặng Bảo Ngọc Trâm"


def _save(name, data):
    """PAPERS_DIR=/tmp/x keeps the files for a look (pdftoppm -r 60 -png)."""
    if os.environ.get("PAPERS_DIR"):
        with open(os.path.join(os.environ["PAPERS_DIR"], name), "wb") as out:
            out.write(data)


def _get(client, url):
    with drawn_text() as runs, drawn_lines() as lines:
        response = client.get(url)
    return response, runs, lines


def _joined(runs, page=None):
    return " ".join(texts(runs, page))


def _mark(db, klass, applications, statuses):
    """statuses: {session index: {learner's name: status}}"""
    named = by_name(applications)
    for index, row in statuses.items():
        for name, status in row.items():
            db.session.add(AttendanceMark(session_id=klass.sessions[index].id,
                                          application_id=named[name].id, status=status))
    db.session.commit()


def test_the_sign_in_sheet_for_all_sessions(client, login, users, running):
    klass, _applications = running(TONES)
    login(users["trainer"])
    response, runs, lines = _get(client, f"/classes/{klass.id}/sign-in-sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    _save("sheet-all.pdf", response.data)
    text = _joined(runs)
    assert "DANH SÁCH HỌC VIÊN KÝ NHẬN THAM DỰ LỚP TẬP HUẤN" in text
    assert "ỦY BAN NHÂN DÂN" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert klass.place in text and klass.title in text
    for label in ("STT", "Họ và tên", "Năm sinh", "Nam/Nữ", "Dân tộc", "Chức vụ", "Thôn", "Xã",
                  "Ký tên", "Ghi chú"):
        assert label in text, label
    # one signature column per session: S/C and the date
    for s in klass.sessions:
        assert f"{'S' if s.part == 'morning' else 'C'} {s.date:%d/%m}" in texts(runs)
    # the names as stored (every tone), in Vietnamese name order
    # (six sessions print in two parts, five and one: each part lists every learner)
    names = [t for t in texts(runs) if t in ORDER]
    assert names == ORDER * 2
    assert "Tổng số: 8 người; trong đó: 4 nam, 4 nữ; 8 người dân tộc thiểu số." in text
    assert "NGƯỜI LẬP DANH SÁCH" in text and "PHÓ CHỦ TỊCH" in text
    assert f"Trang 1/{pages(runs)}" in texts(runs)
    # the corner markers and the QR code naming the print and the page:
    # tests/sheetphotos/test_sheet_print.py reads them back
    image = rasterized(response.data, dpi=150)[0]
    [code] = qr_texts(image)
    assert code.startswith(f"taphuan:sheet:{klass.id}:") and code.split(":")[4] == "1"


def test_the_sign_in_sheet_for_one_session(client, login, users, running):
    klass, _applications = running()
    session = first(klass)
    login(users["coordinator"])
    response, runs, _lines = _get(client,
                                  f"/classes/{klass.id}/sign-in-sheet.pdf?session={session.id}")
    assert response.status_code == 200
    _save("sheet-one.pdf", response.data)
    assert f"Sáng {session.date:%d/%m/%Y}" in texts(runs)
    assert not any(t.startswith("C ") for t in texts(runs))
    assert f"Buổi: sáng ngày {session.date:%d/%m/%Y}" in _joined(runs)
    image = rasterized(response.data, dpi=150)[0]
    assert qr_texts(image)[0].startswith(f"taphuan:sheet:{klass.id}:")


@pytest.mark.parametrize(("value", "status", "message"), [
    ("abc", 400, "không phải mã buổi học"),
    ("99999999999", 400, "không phải mã buổi học"),
    ("999999", 404, "không thuộc lớp"),
])
def test_an_unknown_session_is_refused(client, login, users, running, value, status, message):
    klass, _applications = running()
    login(users["trainer"])
    response = client.get(f"/classes/{klass.id}/sign-in-sheet.pdf?session={value}")
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_a_session_of_another_class_is_not_found(client, login, users, running, make_class):
    klass, _applications = running()
    other = make_class()
    login(users["trainer"])
    response = client.get(f"/classes/{klass.id}/sign-in-sheet.pdf?session="
                          f"{first(other).id}")
    assert response.status_code == 404
    assert f"không thuộc lớp {klass.code}" in response.get_data(as_text=True)


def two_hundred(make_class, make_cadre, apply_for, admit, start=None):
    """A running class of 200 learners (the last with a very long name)."""
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đinh", "Hồ", "Võ", "Đặng", "Bùi"]
    givens = ["An", "Bình", "Cường", "Dũng", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc"]
    people = [(f"{f} {m} {g}", "M" if m == "Văn" else "F")
              for f in families for m in ("Văn", "Thị") for g in givens][:199] + [(LONG, "F")]
    klass = make_class(status="running", start=start or local_today() - timedelta(days=1),
                       days=3, capacity=200)
    cadres = [make_cadre(name, gender=gender, birth_year=1960 + n % 40)
              for n, (name, gender) in enumerate(people)]
    return klass, admit(klass, apply_for(klass, cadres))


def test_200_learners_paginate_with_the_header_and_a_qr_on_every_page(
        client, login, users, make_class, make_cadre, apply_for, admit):
    klass, _applications = two_hundred(make_class, make_cadre, apply_for, admit)
    login(users["coordinator"])
    response, runs, _lines = _get(client, f"/classes/{klass.id}/sign-in-sheet.pdf")
    assert response.status_code == 200
    _save("sheet-200.pdf", response.data)
    total = pages(runs)
    assert total >= 15
    for page in range(1, total + 1):
        on_page = texts(runs, page)
        assert f"Trang {page}/{total}" in on_page
        if page < total:
            assert "Họ và tên" in on_page and "Ký tên" in on_page  # the repeated header
    numbers = [t for t in texts(runs) if t.isdigit() and len(t) <= 3]
    assert [str(n) for n in range(1, 201)] == [n for n in numbers if int(n) <= 200][:200]
    # the long name wraps inside its cell: every word is there, over more than one line
    long_runs = [r for r in runs if " " in r.text and r.text in LONG and r.size == 10]
    # (in each of the sheet's two parts: six sessions, five and one)
    assert " ".join(r.text for r in long_runs) == f"{LONG} {LONG}" and len(long_runs) > 2
    images = rasterized(response.data, dpi=150)
    assert len(images) == total
    assert qr_texts(images[-1])[0].split(":")[4] == str(total)


def test_the_attendance_report(client, login, users, running, db):
    klass, applications = running()  # An, Ba, Hoa, Út; six sessions
    _mark(db, klass, applications, {
        0: {"Hồ Thị An": "present", "Phạm Văn Ba": "late", "Đinh Thị Hoa": "excused",
            "Đinh Văn Út": "absent"},
        1: {"Hồ Thị An": "present", "Phạm Văn Ba": "present", "Đinh Thị Hoa": "present"}})
    login(users["trainer"])
    response, runs, _lines = _get(client, f"/classes/{klass.id}/attendance.pdf")
    assert response.status_code == 200
    _save("report.pdf", response.data)
    text = _joined(runs)
    assert "BÁO CÁO ĐIỂM DANH LỚP TẬP HUẤN" in text
    # An attended 2 of 6 sessions (33%), Út none; per-session totals 2 and 3
    assert "2/6" in texts(runs) and "33%" in texts(runs) and "0/6" in texts(runs)
    assert "Thiếu 5 buổi" in texts(runs) and "Thiếu 4 buổi" in texts(runs)
    assert "Số học viên đã dự" in texts(runs)
    # 5 attended learner-sessions out of 24: 20,8%
    assert "Tỷ lệ tham dự của lớp: 20,8% (5/24 lượt buổi học)" in text
    xlsx = client.get(f"/classes/{klass.id}/attendance.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    an = next(r for r in rows if r[1] == "Hồ Thị An")
    assert an[3:9] == ["c", "c", None, None, None, None] and an[9] == 2
    total = next(r for r in rows if r[1] == "Số học viên đã dự")
    assert total[3:9] == [2, 3, 0, 0, 0, 0] and total[9] == 5


ROUTES = ["sign-in-sheet.pdf", "attendance.pdf", "attendance.xlsx", "allowance",
          "allowance.pdf", "allowance.xlsx"]


@pytest.mark.parametrize("who", ["other trainer", "learner"])
@pytest.mark.parametrize("route", ROUTES)
def test_a_trainer_of_another_class_or_a_learner_is_refused(client, login, users, make_user,
                                                             running, who, route):
    klass, _applications = running()
    user = make_user("gv2", roles=("trainer",)) if who == "other trainer" else users["learner"]
    login(user)
    assert client.get(f"/classes/{klass.id}/{route}").status_code == 403


@pytest.mark.parametrize("route", ["allowance", "allowance.pdf", "allowance.xlsx"])
def test_the_class_trainer_does_not_print_the_allowance_list(client, login, users, running,
                                                             route):
    klass, _applications = running()
    login(users["trainer"])
    assert client.get(f"/classes/{klass.id}/{route}").status_code == 403


def test_a_class_without_learners_has_no_sheet(client, login, users, make_class):
    klass = make_class(status="allocated", start=None)
    login(users["coordinator"])
    response = client.get(f"/classes/{klass.id}/sign-in-sheet.pdf")
    assert response.status_code == 409
    assert "không có ai để ký" in response.get_data(as_text=True)


def test_the_class_page_links_the_papers(client, login, users, running):
    klass, _applications = running()
    login(users["trainer"])
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert f"/classes/{klass.id}/sign-in-sheet.pdf" in page
    assert f"/classes/{klass.id}/attendance.pdf" in page
    assert f"/classes/{klass.id}/allowance" not in page  # coordinators only
    client.post("/auth/logout")
    login(users["coordinator"])
    page = client.get(f"/classes/{klass.id}/attendance/keyback").get_data(as_text=True)
    assert f"/classes/{klass.id}/allowance" in page and 'name="session"' in page


def test_papers_for_a_finished_class_keep_their_dates(client, login, users, running):
    klass, _applications = running(status="finished")
    login(users["coordinator"])
    response, runs, _lines = _get(client, f"/classes/{klass.id}/sign-in-sheet.pdf")
    assert response.status_code == 200
    start = klass.start_date
    assert f"Thời gian: từ ngày {start:%d/%m/%Y} đến ngày " \
           f"{start + timedelta(days=2):%d/%m/%Y}" in _joined(runs)


def test_the_names_of_peoples_are_never_broken_inside_a_word(client, login, users, running,
                                                              db):
    """The widest one-word names of peoples (Gié-Triêng, Xơ-đăng) fit the column whole."""
    klass, applications = running()
    for application, code in zip(applications, ("29", "16", "24"), strict=False):
        application.cadre.ethnicity_code = code
    db.session.commit()
    login(users["trainer"])
    response, runs, _lines = _get(client, f"/classes/{klass.id}/sign-in-sheet.pdf")
    assert response.status_code == 200
    drawn = texts(runs)
    assert "Gié-Triêng" in drawn and "Xơ-đăng" in drawn
    assert "Nam/Nữ" in drawn  # the header too
