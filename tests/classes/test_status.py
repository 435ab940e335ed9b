import pytest

from app.classes import status as st


def test_transition_table_and_next_steps():
    assert st.next_steps("planned") == ["open", "cancelled"]
    assert st.next_steps("open") == ["planned", "cancelled"]  # "allocated" only by confirming
    assert st.next_steps("allocated") == ["running", "cancelled"]
    assert st.next_steps("running") == ["finished"]
    assert st.next_steps("finished") == [] and st.next_steps("cancelled") == []
    st.check_transition("open", "allocated", workflow=True)


@pytest.mark.parametrize("current,target,words", [
    ("finished", "open", "trạng thái cuối"),
    ("planned", "running", "chỉ chuyển được sang"),
    ("open", "allocated", "xác nhận kết quả xét chọn"),
    ("open", "open", "đã ở trạng thái"),
    ("open", "nowhere", "không tồn tại"),
])
def test_refused_transitions_say_why_in_vietnamese(current, target, words):
    with pytest.raises(st.StatusError) as error:
        st.check_transition(current, target)
    assert words in str(error.value)


# What each life-cycle predicate says in each status: the rules in one table, as a
# coordinator would read them (nominate? withdraw? seats given out? ...).
PREDICATES = {
    #             planned open  allocated running finished cancelled
    "before_allocation": (1, 1, 0, 0, 0, 0),
    "takes_nominations": (1, 1, 1, 0, 0, 0),
    "takes_withdrawals": (1, 1, 1, 0, 0, 0),
    "has_seats": (0, 0, 1, 1, 1, 0),
    "takes_overrides": (0, 0, 1, 1, 0, 0),
    "fills_from_waitlist": (0, 0, 1, 0, 0, 0),
    "has_started": (0, 0, 0, 1, 1, 0),
    "is_closed": (0, 0, 0, 0, 1, 1),
}


@pytest.mark.parametrize("name", PREDICATES)
def test_class_predicates_by_status(app, name):
    from app.classes.models import TrainingClass

    got = tuple(int(getattr(TrainingClass(status=s), name)) for s in st.STATUSES)
    assert got == PREDICATES[name]


def test_applications_follow_the_status_and_the_window(app):
    from datetime import date

    from app.classes.models import TrainingClass

    today = date(2026, 3, 10)
    window = {"apply_from": date(2026, 3, 1), "apply_until": date(2026, 3, 9)}
    assert TrainingClass(status="open", **window).takes_applications(today)  # refusal says why
    assert not TrainingClass(status="allocated", **window).takes_applications(today)
    assert TrainingClass(status="allocated", apply_until=today).takes_applications(today)
    assert not TrainingClass(status="planned").takes_applications(today)
    assert not TrainingClass(status="running").takes_applications(today)
    assert TrainingClass(status="open", **window).waits_for_allocation(today)
    assert not TrainingClass(status="open", apply_until=today).waits_for_allocation(today)
    assert not TrainingClass(status="allocated", **window).waits_for_allocation(today)


def test_sql_predicates_select_what_python_says(db, make_class):
    from sqlalchemy import select

    from app.classes.models import TrainingClass

    classes = {s: make_class(status=s, code=f"P-{s}") for s in st.STATUSES}
    for name in ("is_closed", "has_started"):
        column = getattr(TrainingClass, name)
        chosen = set(db.session.scalars(select(TrainingClass.status).where(column)))
        assert chosen == {s for s, k in classes.items() if getattr(k, name)}
        others = set(db.session.scalars(select(TrainingClass.status).where(~column)))
        assert others == set(st.STATUSES) - chosen
