"""Objects for the route walk: an open class taught by the `trainer` account, with a session,
an application of the `learner` account's cadre, and one admitted learner (an empty admitted
list is refused, not printed)."""

from datetime import timedelta


def params(ctx) -> dict:
    from app.classes import service
    from app.classes.models import Application
    from app.timeutil import local_today

    db, users = ctx.db, ctx.users
    communes = [ctx.son_ha["new:son-ky"], ctx.son_ha["new:son-ha"]]
    start = local_today() + timedelta(days=20)
    klass = service.create_class(users["coordinator"], service.ClassData(
        code="RW-01", title="Lớp thử quyền truy cập", place="Hội trường UBND xã Sơn Kỳ",
        start_date=start, end_date=start + timedelta(days=1), capacity=2,
        trainer_ids=[users["trainer"].id], unit_ids=[c.id for c in communes]))
    klass.status = "open"
    db.session.commit()
    # the learner's cadre, made by tests/routewalk/certificates.py when it ran first
    cadre = users["learner"].cadre or ctx.make_cadre("Đinh Thị Rin", user_id=users["learner"].id)
    application = Application(class_id=klass.id, cadre_id=cadre.id, source="self")
    db.session.add(application)
    admitted = ctx.make_cadre("Phạm Văn Tư", gender="M")
    db.session.add(Application(class_id=klass.id, cadre_id=admitted.id, source="nominated",
                               status="admitted"))
    klass.admitted_count = 1
    db.session.commit()
    return {"class_id": klass.id, "session_id": klass.sessions[0].id,
            "application_id": application.id}
