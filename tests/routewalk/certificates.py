"""Objects for the route walk: a finished class whose certificates are issued, one of them to
the `learner` account's cadre (its code opens /certificates/<certificate_code>, its PDF and
/verify). The class pages of the certificates use the class of tests/routewalk/classes.py,
which reuses this learner's cadre."""

from datetime import timedelta


def params(ctx) -> dict:
    from app.attendance.models import AttendanceMark
    from app.certificates import issuing
    from app.classes import service
    from app.classes.models import Application
    from app.documents.models import org_info
    from app.timeutil import local_today, utcnow

    db, users = ctx.db, ctx.users
    start = local_today() - timedelta(days=30)
    klass = service.create_class(users["coordinator"], service.ClassData(
        code="RW-GCN", title="Lớp thử giấy chứng nhận", place="Hội trường UBND xã Sơn Hà",
        start_date=start, end_date=start, capacity=2, trainer_ids=[users["trainer"].id],
        unit_ids=[ctx.son_ha["new:son-ha"].id]))
    cadre = ctx.make_cadre("Đinh Thị Rin", user_id=users["learner"].id)
    application = Application(class_id=klass.id, cadre_id=cadre.id, source="nominated",
                              status="admitted")
    db.session.add(application)
    klass.admitted_count = 1
    db.session.flush()
    for session in klass.sessions:
        db.session.add(AttendanceMark(session_id=session.id, application_id=application.id,
                                      status="present"))
    klass.status = "finished"
    db.session.flush()
    issuing.confirm(users["trainer"], klass, utcnow())
    [certificate] = issuing.issue(users["coordinator"], klass, org_info(), local_today(),
                                  utcnow())
    db.session.commit()
    return {"certificate_code": certificate.code}
