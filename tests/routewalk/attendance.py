"""Objects for the route walk: a running class taught by the `trainer` account, with a scan of
its first session's signed sheet and an operation taken offline that waits for a coordinator
(the evidence and operation routes are addressed by their own ids; the marking and key-back
pages use the class and session of tests/routewalk/classes.py)."""

from datetime import datetime, timedelta


def params(ctx) -> dict:
    from flask import current_app

    from app.attendance import evidence
    from app.attendance.models import AttendanceEvidence, AttendanceOp
    from app.classes import service
    from app.classes.models import Application
    from app.courses.uploads import CheckedFile
    from app.timeutil import local_today

    db, users = ctx.db, ctx.users
    start = local_today() - timedelta(days=1)
    klass = service.create_class(users["coordinator"], service.ClassData(
        code="RW-ATT", title="Lớp thử điểm danh", place="Hội trường UBND xã Sơn Kỳ",
        start_date=start, end_date=start + timedelta(days=1), capacity=2,
        trainer_ids=[users["trainer"].id], unit_ids=[ctx.son_ha["new:son-ky"].id]))
    klass.status = "running"
    data = b"%PDF-1.4\n%%EOF\n"
    checked = CheckedFile(filename="danh-sach.pdf", original_name="danh-sach.pdf", kind="pdf",
                          mime_type="application/pdf", data=data)
    stored = evidence.store(current_app.config["UPLOAD_DIR"], checked)
    item = AttendanceEvidence(session_id=klass.sessions[0].id, original_name="danh-sach.pdf",
                              kind="pdf", mime_type="application/pdf", size=len(data),
                              sha256=checked.sha256, stored_name=stored)
    db.session.add(item)
    cadre = ctx.make_cadre("Đinh Văn Chờ", commune=ctx.son_ha["new:son-ky"])
    application = Application(class_id=klass.id, cadre_id=cadre.id, status="admitted",
                              source="nominated")
    db.session.add(application)
    db.session.flush()
    moment = datetime.combine(start, datetime.min.time()) + timedelta(hours=2)
    waiting = AttendanceOp(
        op_id="routewalk-op-1", user_id=users["trainer"].id, session_id=klass.sessions[0].id,
        application_id=application.id, status="present", taken_at=moment, effective_at=moment,
        received_at=moment + timedelta(days=5), source="phone", fingerprint="0" * 64,
        outcome="pending", counted=False, hold_reason="gửi đến sau hơn 48 giờ")
    db.session.add(waiting)
    db.session.commit()
    return {"evidence_id": item.id, "op_pk": waiting.id}
