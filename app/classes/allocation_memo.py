"""The allocation of the last few previews, remembered by their whole input.

`allocation.allocate` is a pure function of the capacity, the applicants (as the preview
reads them on each request: gender, commune after mergers, village, position, trained before,
time of application...), the policy and the names its reasons use. Remembered by all of
those, a result is never stale: a change to any (an application, a cadre, a unit merged or
renamed, a class attended, the policy or the seats) makes another key. Reading the inputs is
not saved, only the allocating (4 of the preview's 10 ms at 600 applicants): the page asks
for the same preview again for each folded list it opens, each page of a list and each row's
form. The result is shared by the requests that ask for it: read, never changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from app.classes import allocation
from app.classes.allocation import Allocation, Applicant, Policy

SIZE = 8  # results remembered per process
LARGEST = 2_000  # applicants: a key and its result keep some 1.3 KB each (0.8 MB for 600);
#                  a larger class is allocated on every request, as before


def allocate(capacity: int, applicants: Sequence[Applicant], policy: Policy, *,
             places: Mapping[int, str], positions: Mapping[str, str]) -> Allocation:
    if len(applicants) > LARGEST:
        return allocation.allocate(capacity, applicants, policy, places=places,
                                   positions=positions)
    return _allocate(capacity, tuple(applicants), policy, tuple(sorted(places.items())),
                     tuple(sorted(positions.items())))


@lru_cache(maxsize=SIZE)
def _allocate(capacity: int, applicants: tuple[Applicant, ...], policy: Policy,
              places: tuple, positions: tuple) -> Allocation:
    return allocation.allocate(capacity, applicants, policy, places=dict(places),
                               positions=dict(positions))
