"""The demo classes: every state, an oversubscribed open class, the learner's applications."""

from datetime import date, time, timedelta

from sqlalchemy import func, select

from app.classes.models import Application, TrainingClass
from app.demo import load_all
from app.timeutil import local_today


def test_demo_classes_are_complete_and_idempotent(db):
    load_all()
    db.session.commit()
    classes = {c.status: c for c in db.session.scalars(select(TrainingClass))}
    assert set(classes) == {"planned", "open", "allocated", "running", "finished", "cancelled"}
    count = db.session.scalar(select(func.count()).select_from(Application))
    open_class = classes["open"]
    applicants = db.session.scalar(select(func.count()).select_from(Application).where(
        Application.class_id == open_class.id))
    assert applicants >= 2.5 * open_class.capacity
    from app.auth.models import User

    learner = db.session.scalar(select(User).where(User.username == "learner")).cadre
    mine = {a.training_class.status: a.status for a in db.session.scalars(
        select(Application).where(Application.cadre_id == learner.id))}
    assert mine["finished"] == "admitted" and mine["open"] == "applied"
    assert mine["allocated"] == "waitlisted"  # applied after the allocation: end of the list
    waiting = db.session.scalar(select(Application).where(
        Application.cadre_id == learner.id, Application.status == "waitlisted"))
    last = db.session.scalar(select(func.max(Application.waitlist_rank)).where(
        Application.class_id == waiting.class_id))
    assert waiting.waitlist_rank == last > 1
    times = db.session.scalars(select(Application.applied_at).where(
        Application.class_id == open_class.id)).all()
    assert len(set(times)) == len(times)  # each application at its own moment
    assert max(times) - min(times) > timedelta(days=2)
    # The survey class (rà soát) was held before the periodic review of 1/9-14/12.
    survey = classes["finished"]
    assert survey.course.slug == "chuan-ngheo-da-chieu-va-ra-soat"
    assert survey.end_date < date(survey.end_date.year, 9, 1) and survey.end_date < local_today()
    assert not any(c.course and c.course.slug == "chuan-ngheo-da-chieu-va-ra-soat" and
                   date(c.start_date.year, 9, 1) <= c.start_date for c in classes.values())
    # Cadres apply and coordinators nominate in office hours, Monday to Friday (Vietnam time;
    # the learner's late application to the allocated class is made when the demo runs).
    nominated = db.session.scalars(select(Application.applied_at).where(
        Application.cadre_id != learner.id)).all()
    for moment in nominated:
        local = moment + timedelta(hours=7)
        assert local.weekday() < 5, local
        assert time(7, 30) <= local.time() < time(11, 30) or \
            time(13, 30) <= local.time() < time(17, 0), local
    for klass in classes.values():
        assert klass.admitted_count <= klass.capacity
    load_all()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Application)) == count
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 6


def test_demo_village_class_seats_grassroots_leaders_first(db):
    """TH-03 (the program in the villages): no village-level leader waits behind a non-leader
    of the same gender and training status; the village heads (a required role) are all in;
    no village has more than three seats but by its required roles."""
    from collections import Counter

    from app.classes import enrolment
    from app.classes.enrolment import R_LATE

    load_all()
    db.session.commit()
    klass = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "TH-03"))
    assert "truong-thon" in klass.policy.required_positions
    assert klass.policy.max_per_village == 3 and klass.policy.weight_woman == 0
    # The applications the allocation decided (not those that came after it).
    decided = [a for a in db.session.scalars(select(Application).where(
        Application.class_id == klass.id)) if a.reasons and a.reasons[0] != R_LATE]
    trained = enrolment.trained_before(klass)

    def kind(a):
        return a.cadre.gender, a.cadre_id in trained

    required = set(klass.policy.required_positions)
    admitted = [a for a in decided if a.status == "admitted"]
    waiting_leaders = [a for a in decided if a.status == "waitlisted"
                       and a.cadre.is_village_leader]
    seated_non_leaders = {kind(a) for a in admitted if not a.cadre.is_village_leader
                          and a.cadre.position.code not in required}
    assert waiting_leaders  # the class is oversubscribed with leaders
    villages = Counter(a.cadre.village_id for a in admitted if a.cadre.village_id)
    over = {v for v, n in villages.items() if n > klass.policy.max_per_village}
    # a village goes over its seats only with people of a required role
    assert all(a.cadre.position.code in required for a in admitted
               if a.cadre.village_id in over)
    # a leader waits behind a non-leader of the same kind only when their village is full
    behind = [a.cadre.full_name for a in waiting_leaders if kind(a) in seated_non_leaders
              and villages[a.cadre.village_id] < klass.policy.max_per_village]
    assert not behind
    heads = [a for a in decided if a.cadre.position.code == "truong-thon"]
    assert heads and all(a.status == "admitted" for a in heads)
    assert sum(a.cadre.gender == "F" for a in admitted) >= klass.capacity // 2


def test_the_survey_class_is_dated_before_the_review_it_prepares():
    from app.demo.classes import survey_start

    assert survey_start(date(2026, 12, 6)) == date(2026, 8, 18)
    assert survey_start(date(2026, 9, 1)) == date(2026, 8, 18)
    assert survey_start(date(2026, 8, 31)) == date(2025, 8, 18)  # not yet held this year
    assert survey_start(date(2027, 3, 15)) == date(2026, 8, 18)
