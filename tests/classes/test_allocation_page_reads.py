"""What the allocation page keeps from one request to the next, and what it reads each time:
the policy form written once for a policy is written again for another (or another language,
or another list of roles); a remembered digest of a result stands for that result only; the
preview's rows are made when read; the garbage collector is running after the page; and the
page's statements are counted."""

import dataclasses
import gc
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.audit.models import record
from app.classes import allocation, allocation_memo, application_facts, enrolment, queries
from app.classes.allocation import Applicant, Policy
from app.classes.forms import PolicyForm, class_roles
from app.classes.models import ClassRequiredPosition, TrainingClass
from app.people.models import Position
from tests.conftest import statements


def _value(page: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)[1]


def test_the_allocation_input_is_an_applicant_field_for_field():
    """`allocation_memo.Input` is `Applicant`'s fields in its order: the memo builds
    `Applicant(*row)` from it."""
    assert allocation_memo.Input._fields == tuple(f.name for f in dataclasses.fields(Applicant))
    row = allocation_memo.Input(7, "F", True, 3, False, datetime(2026, 1, 5, tzinfo=UTC), 9,
                                "truong-thon", True)
    assert dataclasses.astuple(Applicant(*row)) == tuple(row)


def test_the_policy_form_follows_the_policy_the_roles_and_the_language(
        client, login, db, make_class, make_cadre, apply_for):
    klass = make_class(capacity=2, min_women_share=0.5)
    apply_for(klass, [make_cadre("Đinh Thị Một"), make_cadre("Hồ Văn Hai", gender="M")])
    class_id = klass.id
    url = f"/classes/{class_id}/applications"
    login("coordinator")
    page = client.get(url).get_data(as_text=True)
    assert _value(page, "min_women_pct") == "50"
    assert client.get(url).get_data(as_text=True).count('name="required_positions"') \
        == page.count('name="required_positions"')  # written once, the same again

    db.session.get(TrainingClass, class_id).min_women_share = 0.3  # the class's policy
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert _value(page, "min_women_pct") == "30"

    klass = db.session.get(TrainingClass, class_id)
    klass.required_positions = ["truong-thon"]
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="truong-thon"', page)
    assert "Đối tượng bắt buộc (1 chức vụ)" in page

    db.session.add(Position(code="thu-nghiem", name="Chức vụ thử nghiệm", level="village",
                            village_leader=False, sort_order=999))  # a role offered
    db.session.commit()
    assert "Chức vụ thử nghiệm" in client.get(url).get_data(as_text=True)
    db.session.execute(select(Position).where(Position.code == "thu-nghiem")) \
        .scalar_one().active = False  # and no longer offered
    db.session.commit()
    assert "Chức vụ thử nghiệm" not in client.get(url).get_data(as_text=True)

    client.set_cookie("lang", "en")
    page = client.get(url).get_data(as_text=True)
    assert "Required roles (1 positions)" in page
    assert "Đối tượng bắt buộc (1 chức vụ)" not in page
    assert _value(page, "min_women_pct") == "30"


def test_a_remembered_digest_stands_for_its_own_result_only(monkeypatch):
    made = []

    def digest(result):
        made.append(result)
        return f"digest of {result.admitted}"

    def result(admitted):
        return allocation.Allocation(admitted=admitted, waitlist=[], reasons={}, score={},
                                     women_admitted=0, women_required=0, per_unit={},
                                     capacity=len(admitted), unit_limit=None)

    monkeypatch.setattr(allocation_memo, "_derived", {})
    first, second = result([1]), result([2])
    assert allocation_memo.derived(first, "d", digest) == "digest of [1]"
    assert allocation_memo.derived(first, "d", digest) == "digest of [1]"
    assert allocation_memo.derived(second, "d", digest) == "digest of [2]"
    assert made == [first, second]  # once each
    equal = result([1])  # equal, but another object: made again, never taken for the first
    assert allocation_memo.derived(equal, "d", digest) == "digest of [1]"
    assert len(made) == 3
    for n in range(allocation_memo.SIZE + 2):  # the oldest go: the rest stay right
        allocation_memo.derived(result([100 + n]), "d", digest)
    assert len(allocation_memo._derived) <= allocation_memo.SIZE
    assert allocation_memo.derived(first, "d", digest) == "digest of [1]"


def test_the_fingerprint_follows_every_decision(db, make_class, make_cadre, apply_for):
    """The same applications give the same fingerprint; a cadre's change that moves a seat,
    the seats, or the policy give another."""
    klass = make_class(capacity=1, min_women_share=0.0)
    first, second = apply_for(klass, [
        make_cadre("Phạm Văn Trước", gender="M", position="cong-chuc-khac"),
        make_cadre("Hồ Văn Sau", gender="M", position="cong-chuc-khac")])
    db.session.commit()
    seen = enrolment.preview(klass, klass.policy).fingerprint
    assert enrolment.preview(klass, klass.policy).fingerprint == seen
    second.cadre.position_id = db.session.scalar(select(Position.id).where(
        Position.code == "truong-thon"))
    db.session.commit()
    moved = enrolment.preview(klass, klass.policy)
    assert moved.fingerprint != seen and moved.result.admitted == [second.id]
    klass.capacity = 2
    db.session.commit()
    more = enrolment.preview(klass, klass.policy).fingerprint
    assert more not in (seen, moved.fingerprint)
    other = enrolment.preview(klass, Policy(min_women_share=0.0, weight_village_leader=1.0))
    assert other.fingerprint != more


def test_the_preview_rows_read_as_a_list(db, make_class, make_cadre, apply_for):
    klass = make_class(capacity=2, min_women_share=0.0)
    apply_for(klass, [make_cadre(f"Đinh Thị Số{i}", birth_year=1970 + i) for i in range(5)])
    preview = enrolment.preview(klass, klass.policy)
    waiting = preview.waitlist
    assert len(preview.admitted) == 2 and len(waiting) == 3 and bool(waiting)
    rows = list(waiting)
    assert [r.position for r in rows] == [1, 2, 3]
    assert [r.application.id for r in rows] == preview.result.waitlist
    assert [r.application.id for r in waiting[1:]] == preview.result.waitlist[1:]
    assert waiting[-1].application.id == preview.result.waitlist[-1]
    assert waiting[2].position == 3 and not waiting[0].admitted
    with pytest.raises(IndexError):
        waiting[3]  # noqa: B018


def test_the_collector_runs_after_the_page(client, login, db, make_class, make_cadre,
                                           apply_for):
    klass = make_class(capacity=1)
    apply_for(klass, [make_cadre("Đinh Thị Gom")])
    login("coordinator")
    assert client.get(f"/classes/{klass.id}/applications").status_code == 200
    assert gc.isenabled()
    assert client.get("/classes/999999/applications").status_code == 404
    assert gc.isenabled()


def test_the_page_statements(client, login, db, make_class, make_cadre, apply_for):
    """Beyond what every signed-in page pays (the password page): the class with its course,
    the roles offered with its required roles, the applications with their cadres and
    positions, the units they name, the communes' mergers, its invited communes (shown) and
    the history. Nothing per applicant. Made (not kept yet): also the tables' versions, and the
    class read again after them (app/core/page_cache.py; not the signed-in user, whom the body
    does not show). Kept: the class, the versions and the history (read on every request, not
    kept: a sign-in anywhere writes the audit log) only (a province's coordinator may see every
    class without its communes read; a commune's, below, reads them too)."""
    klass = make_class(capacity=2)
    apply_for(klass, [make_cadre(f"Đinh Thị Đếm{i}", birth_year=1970 + i) for i in range(6)])
    login("coordinator")
    client.get(f"/classes/{klass.id}/applications?first=1")  # the workers' first request
    db.session.remove()
    with statements() as base:
        assert client.get("/auth/password").status_code == 200
    db.session.remove()
    with statements() as seen:
        page = client.get(f"/classes/{klass.id}/applications")
    assert page.status_code == 200 and 'id="preview-h"' in page.get_data(as_text=True)
    assert len(seen) - len(base) == 6 + 3, seen
    db.session.remove()
    with statements() as kept:
        again = client.get(f"/classes/{klass.id}/applications")
    assert again.get_data(as_text=True) == page.get_data(as_text=True)
    assert len(kept) - len(base) == 3, kept
    assert "table_versions" in kept[-2] and "audit_entries" in kept[-1]
    assert "class_units" not in " ".join(kept)


def test_the_applications_read_what_this_request_changed(db, make_class, make_cadre,
                                                         apply_for):
    """Read as Core rows, the applications are read after the session's pending changes, as
    the session's own statements would read them."""
    klass = make_class(capacity=2)
    (application,) = apply_for(klass, [make_cadre("Đinh Thị Chưa")])
    class_id = klass.id
    application.status, application.note = "withdrawn", "Bận việc nhà"  # not flushed
    (read,) = application_facts.of_class(class_id)
    assert (read.status, read.note) == ("withdrawn", "Bận việc nhà")


def test_a_retired_role_the_policy_names_is_still_offered(db):
    """The roles offered are the active positions and those the policy names (the statement's
    list of chosen codes is a parameter, empty or not)."""
    db.session.add(Position(code="da-nghi", name="Chức vụ đã bỏ", level="village",
                            village_leader=False, sort_order=998, active=False))
    db.session.commit()
    form = PolicyForm(formdata=None)
    assert "da-nghi" not in {code for code, _name in form.required_positions.choices}
    form.show_policy(dataclasses.replace(Policy(), required_positions=("da-nghi",)))
    assert ("da-nghi", "Chức vụ đã bỏ") in form.required_positions.choices
    assert PolicyForm(formdata=None).required_positions.choices == [
        c for c in form.required_positions.choices if c[0] != "da-nghi"]  # again, without


def test_the_history_is_the_class_own_latest_first(db, make_class):
    """`class_history` (a statement built once, the class and the limit its parameters)."""
    first, other = make_class(capacity=2), make_class(capacity=2)
    for i in range(3):
        record(None, "application.promote", "class", first.id, summary=f"lần {i}")
    record(None, "application.promote", "class", other.id, summary="lớp khác")
    record(None, "class.update", "class", first.id, summary="không phải xét chọn")
    db.session.commit()
    assert [e.summary for e in queries.class_history(first.id)] == ["lần 2", "lần 1", "lần 0"]
    assert [e.summary for e in queries.class_history(first.id, limit=2)] == ["lần 2", "lần 1"]
    assert [e.summary for e in queries.class_history(other.id)] == ["lớp khác"]


def test_the_history_names_who_made_each_change(client, login, db, make_class, users):
    """The author's full name on both pages that show the history; "hệ thống" for what no
    account did."""
    klass = make_class(capacity=2)
    record(users["coordinator"], "class.capacity", "class", klass.id,
           summary="Tăng số chỗ lên 2", reason="Xã xin thêm chỗ")
    record(None, "application.promote", "class", klass.id, summary="Gọi người chờ")
    db.session.commit()
    login("coordinator")
    name = users["coordinator"].full_name
    for url in (f"/classes/{klass.id}", f"/classes/{klass.id}/applications"):
        page = client.get(url).get_data(as_text=True)
        assert f"<strong>{name}</strong>: Tăng số chỗ lên 2 — <em>lý do: Xã xin thêm chỗ</em>" \
            in page, url
        assert "<strong>hệ thống</strong>: Gọi người chờ" in page, url


def test_the_class_roles_are_read_with_the_roles_offered(db, make_class):
    """`class_roles`: the roles offered for the class's own policy (the active positions and
    a retired one it requires), its required roles loaded into it by the same statement; a
    change not yet flushed is read; roles this request holds already are kept."""
    db.session.add(Position(code="da-nghi", name="Chức vụ đã bỏ", level="village",
                            village_leader=False, sort_order=998, active=False))
    klass = make_class(capacity=2)
    class_id = klass.id
    db.session.commit()
    offered = PolicyForm(formdata=None).required_positions.choices
    klass = db.session.get(TrainingClass, class_id)
    assert class_roles(klass) == offered and klass.required_positions == []
    db.session.commit()
    db.session.add_all([ClassRequiredPosition(class_id=class_id, position_code=code)
                        for code in ("truong-thon", "da-nghi")])  # not flushed
    klass = db.session.get(TrainingClass, class_id)
    with statements() as seen:
        roles = class_roles(klass)
        assert klass.policy.required_positions == {"da-nghi", "truong-thon"}
        assert klass.required_positions == ["da-nghi", "truong-thon"]
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1, seen
    assert set(roles) == set(offered) | {("da-nghi", "Chức vụ đã bỏ")}
    assert roles[-1] == ("da-nghi", "Chức vụ đã bỏ")  # in the order of the positions
    klass.required_positions = ["truong-thon"]  # held by this request: kept
    class_roles(klass)
    assert klass.required_positions == ["truong-thon"]
