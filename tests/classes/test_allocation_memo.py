"""The preview's allocation is remembered by its whole input (app/classes/allocation_memo.py):
the same page asked again is not allocated again, and after a write to any input the page
shows the new result."""

import pytest
from sqlalchemy import select

from app.classes import allocation, allocation_memo
from app.classes.models import Application, TrainingClass
from app.people.models import Cadre, Position


@pytest.fixture()
def counted(monkeypatch):
    allocation_memo._allocate.cache_clear()
    calls = []
    real = allocation.allocate

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(allocation, "allocate", counting)
    yield calls
    allocation_memo._allocate.cache_clear()


def _seats(page: str) -> str:
    start = page.index('class="list-group mb-3 preview-admitted"')
    return page[start:page.index("</ol>", start)]


def test_the_same_preview_is_allocated_once_and_a_write_shows_at_once(
        client, login, db, make_class, make_cadre, apply_for, counted):
    klass = make_class(capacity=1, min_women_share=0.0)
    first, second, third = apply_for(klass, [
        make_cadre("Phạm Văn Trước", gender="M", position="cong-chuc-khac"),
        make_cadre("Hồ Văn Sau", gender="M", position="cong-chuc-khac"),
        make_cadre("Đinh Văn Cuối", gender="M", position="cong-chuc-khac")])
    db.session.commit()
    class_id, ids = klass.id, (first.id, second.id, third.id)
    url = f"/classes/{class_id}/applications"
    login("coordinator")

    def seats() -> str:
        return _seats(client.get(url).get_data(as_text=True))

    assert "Phạm Văn Trước" in seats() and "Hồ Văn Sau" not in seats()
    client.get(f"{url}?list=preview_waitlist")
    assert len(counted) == 1  # three views, one allocation

    # a cadre's position: the second becomes a village leader (+2 points) and takes the seat
    cadre = db.session.get(Cadre, db.session.get(Application, ids[1]).cadre_id)
    cadre.position_id = db.session.scalar(select(Position.id).where(
        Position.code == "truong-thon"))
    db.session.commit()
    assert "Hồ Văn Sau" in seats() and "Phạm Văn Trước" not in seats()
    # the class's seats
    db.session.get(TrainingClass, class_id).capacity = 2
    db.session.commit()
    assert "Hồ Văn Sau" in seats() and "Phạm Văn Trước" in seats()
    # an application withdrawn: the next one moves up
    db.session.get(Application, ids[0]).status = "withdrawn"
    db.session.commit()
    assert "Đinh Văn Cuối" in seats() and "Phạm Văn Trước" not in seats()
    assert len(counted) == 4


def test_a_class_larger_than_the_memo_is_allocated_on_every_request(
        client, login, db, make_class, make_cadre, apply_for, counted, monkeypatch):
    monkeypatch.setattr(allocation_memo, "LARGEST", 2)
    klass = make_class(capacity=1, min_women_share=0.0)
    apply_for(klass, [make_cadre(f"Phạm Văn Số{i}", gender="M") for i in range(3)])
    db.session.commit()
    login("coordinator")
    for i in range(2):  # two pages made (the kept page's key holds the query string)
        assert "Phạm Văn Số0" in _seats(client.get(f"/classes/{klass.id}/applications?v={i}")
                                        .get_data(as_text=True))
    assert len(counted) == 2 and allocation_memo._allocate.cache_info().currsize == 0
