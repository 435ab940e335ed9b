"""The allocation pauses Python's cyclic garbage collector while it runs (app/core/collector.py):
20,000 applicants make some 60,000 lists and strings, and the collections they set off walked
all of them again (the benchmark's median 0.52 s, 0.41 without them). Whatever the collector's
state before, it is the same after, on success and on failure."""

import gc
from datetime import UTC, datetime

import pytest

from app.classes import allocation
from app.classes.allocation import Applicant, Policy, allocate


def _people(n: int) -> list[Applicant]:
    return [Applicant(id=i, gender="F" if i % 2 else "M", village_leader=False, unit_id=1,
                      trained_before=False, applied_at=datetime(2026, 1, 1, tzinfo=UTC))
            for i in range(1, n + 1)]


def test_the_collector_is_paused_while_the_seats_are_chosen(monkeypatch):
    seen = []
    select = allocation._select

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return select(*args, **kwargs)

    monkeypatch.setattr(allocation, "_select", watched)
    assert gc.isenabled()
    assert len(allocate(2, _people(5), Policy()).admitted) == 2
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_is_left_as_it_was():
    gc.disable()
    try:
        allocate(2, _people(5), Policy())
        assert not gc.isenabled()  # paused by the caller: still paused
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        allocate(-1, _people(5), Policy())
    assert gc.isenabled()
