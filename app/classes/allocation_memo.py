"""The allocation of the last few previews, remembered by their whole input.

`allocation.allocate` is a pure function of the capacity, the applicants (as the preview
reads them on each request: gender, commune after mergers, village, position, trained before,
time of application...), the policy and the names its reasons use. Remembered by all of
those, a result is never stale: a change to any (an application, a cadre, a unit merged or
renamed, a class attended, the policy or the seats) makes another key. Reading the inputs is
not saved, only the allocating: the page asks for the same preview again for each folded list
it opens, each page of a list and each row's form, and each time a coordinator comes back.
The result is shared by the requests that ask for it: read, never changed.

The applicants come as plain tuples (`Input`, the fields of `allocation.Applicant` in its
order): a tuple hashes and compares in C, where 600 validated `Applicant` objects cost about
3 µs each to build and 1 µs each to hash and to compare; they are built only when the result
is not remembered. What is computed from a result alone (the preview's fingerprint of its
decisions) is remembered with it (`derived`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple, TypeVar

from app.classes import allocation
from app.classes.allocation import Allocation, Applicant, Policy

SIZE = 8  # results remembered per process
LARGEST = 2_000  # applicants: a key and its result keep some 1.3 KB each (0.8 MB for 600);
#                  a larger class is allocated on every request, as before

T = TypeVar("T")


class Input(NamedTuple):
    """One applicant as the allocation reads it: `allocation.Applicant`'s fields, in order."""

    id: int
    gender: str
    village_leader: bool
    unit_id: int
    trained_before: bool
    applied_at: datetime
    village_id: int | None = None
    position: str | None = None
    ethnic_minority: bool = False


def allocate(capacity: int, applicants: Sequence[Input], policy: Policy, *,
             places: Mapping[int, str], positions: Mapping[str, str]) -> Allocation:
    if len(applicants) > LARGEST:
        return _run(capacity, applicants, policy, places, positions)
    return _allocate(capacity, tuple(applicants), policy, tuple(sorted(places.items())),
                     tuple(sorted(positions.items())))


def _run(capacity: int, applicants: Sequence[Input], policy: Policy, places: Mapping,
         positions: Mapping) -> Allocation:
    return allocation.allocate(capacity, [Applicant(*a) for a in applicants], policy,
                               places=dict(places), positions=dict(positions))


@lru_cache(maxsize=SIZE)
def _allocate(capacity: int, applicants: tuple[Input, ...], policy: Policy,
              places: tuple, positions: tuple) -> Allocation:
    return _run(capacity, applicants, policy, places, positions)


_derived: dict[tuple[int, str], tuple[Allocation, object]] = {}
_lock = threading.Lock()


def derived(result: Allocation, name: str, make: Callable[[Allocation], T]) -> T:
    """`make(result)`, remembered with the result: a value computed from the result alone (the
    same object, read and never changed, gives the same value). The entry holds the result, so
    its `id` cannot stand for another object while it is kept; the last `SIZE` are kept."""
    key = (id(result), name)
    found = _derived.get(key)
    if found is not None and found[0] is result:
        return found[1]  # type: ignore[return-value]
    value = make(result)
    with _lock:
        while len(_derived) >= SIZE:
            del _derived[next(iter(_derived))]  # the oldest
        _derived[key] = (result, value)
    return value
