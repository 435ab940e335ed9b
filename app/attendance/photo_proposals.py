"""What a photo of a signed sheet proposes for a learner's session, against the mark already
saved (the attendance rule; `app/sheetphotos` reads the photo, a person confirms):

- signed proposes present, blank proposes absent, but only where there is no mark yet;
- a mark already saved stands (a late or excused mark is kept; a mark taken on the phone is
  not overwritten by the photo): where the photo says otherwise the disagreement is shown,
  and only a change made by hand on the confirming page changes it;
- unsure and outside the photo propose nothing (a person chooses); a cell outside the photo
  is never proposed absent.
"""

from __future__ import annotations

from dataclasses import dataclass

# What the photo and a saved mark disagree on: signed but marked absent or excused, blank but
# marked present or late.
_DISAGREE = {"signed": ("absent", "excused"), "blank": ("present", "late")}


@dataclass(frozen=True)
class Proposal:
    decision: str  # signed, blank, unsure, outside (what the photo shows)
    existing: str | None  # the mark saved, if any
    proposed: str | None  # the status proposed (None: a person chooses)
    disagrees: bool


def propose(decision: str, existing: str | None) -> Proposal:
    if existing is not None:
        return Proposal(decision, existing, existing, existing in _DISAGREE.get(decision, ()))
    proposed = {"signed": "present", "blank": "absent"}.get(decision)
    return Proposal(decision, None, proposed, False)
