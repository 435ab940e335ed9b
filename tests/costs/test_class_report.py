"""The class's results report ("Báo cáo kết quả lớp tập huấn"), read back: the official
heading with a BC number, the trích yếu naming the class, the convening decision, attendance
per session and overall, completions and certificates, the costs per line and per source, the
signer; the download is recorded in the audit log; a class without learners is refused."""

import os
from datetime import date

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.costs import lines
from tests.costs.test_lines import _entries
from tests.documents.pdftext import drawn_text, texts


def test_the_report_read_back(client, login, users, marked, sources, db):
    klass, _applications = marked
    klass.convene_number, klass.convene_date = "15/QĐ-UBND", date(2026, 11, 5)
    lines.save(users["coordinator"], klass, _entries(sources), lines.live_of(klass))
    db.session.commit()
    login(users["coordinator"])
    with drawn_text() as runs:
        response = client.get(f"/classes/{klass.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    if os.environ.get("PAPERS_DIR"):  # to look at it (pdftoppm)
        with open(os.path.join(os.environ["PAPERS_DIR"], "class-report.pdf"), "wb") as out:
            out.write(response.data)
    text = " ".join(texts(runs))
    for expected in ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "/BC-UBND",
                     "BÁO CÁO", "Kết quả lớp tập huấn “Lớp tập huấn thử”",
                     "Quyết định số 15/QĐ-UBND ngày 05/11/2026",
                     "Trainer",  # the class's trainer by name
                     "Tổng số: 4 người",
                     "Hoàn thành lớp", "Giấy chứng nhận đã cấp: 0",
                     "Thù lao giảng viên, báo cáo viên", "3.000.000", "1.500.000",
                     "Hỗ trợ tiền ăn học viên", "200.000",
                     "7.500.000", "4.800.000", "64%",
                     "Ngân sách trung ương", "4.500.000", "2.000.000", "44,4%",
                     "Ngân sách địa phương đối ứng", "93,3%",
                     "Nơi nhận:", "PHÓ CHỦ TỊCH", "Đinh Văn Minh"):
        assert expected in text, expected
    # attendance: session 1 had An present, Ba late, Hoa excused, Út absent: 2 of 4 attended
    assert "50%" in text
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.object_type, entry.object_id) == ("class", klass.id)


def test_a_class_without_learners_is_refused(client, login, users, make_class):
    klass = make_class()
    login(users["coordinator"])
    response = client.get(f"/classes/{klass.id}/report.pdf")
    assert response.status_code == 409
    assert "chưa có kết quả để báo cáo" in response.get_data(as_text=True)


def test_completions_and_certificates(client, login, users, finished, confirmed, db):
    from app.certificates import issuing
    from app.documents.models import org_info
    from app.timeutil import local_today, utcnow

    klass, apps = finished({"Phạm Văn Ba": ["present", "present", "absent", "absent",
                                            "present"]})
    confirmed(klass)
    issued = issuing.issue(users["coordinator"], klass, org_info(), local_today(), utcnow(),
                           None)
    issuing.revoke(users["coordinator"], issued[0], "Cấp nhầm", utcnow())
    db.session.commit()
    login(users["coordinator"])
    with drawn_text() as runs:
        assert client.get(f"/classes/{klass.id}/report.pdf").status_code == 200
    text = " ".join(texts(runs))
    # Ba attended 3 of 5 sessions: short of the 80%; the other three completed
    assert "Hoàn thành lớp (dự tối thiểu 80% số buổi): 3/4 học viên (75%)." in text
    assert "Giấy chứng nhận đã cấp: 2 (đã thu hồi: 1)." in text
    assert "Tỷ lệ tham dự của lớp: 90% (18/20 lượt buổi học)." in text


def test_the_quiz_when_the_class_uses_one(client, login, users, finished, make_cadre, db):
    from tests.certificates.test_eligibility import _attempt, _quiz_course

    course = _quiz_course(db, users)
    learner = make_cadre("Đinh Thị Lanh", user_id=users["learner"].id)
    klass, _ = finished(learner=learner, course_id=course.id, quiz_required=True)
    _attempt(db, users["learner"], course, passed=True)
    login(users["coordinator"])
    with drawn_text() as runs:
        assert client.get(f"/classes/{klass.id}/report.pdf").status_code == 200
    # five learners, the one with an account passed; the others have no attempt
    assert "Đạt bài kiểm tra: 1/5 học viên." in " ".join(texts(runs))
