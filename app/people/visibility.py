"""Who sees a cadre's phone number and date of birth: the one rule for every page and paper
that shows them (purpose and minimisation, Luật Bảo vệ dữ liệu cá nhân; README "Personal
data").

- In clear: the cadre themself (the account linked to the record), an admin, and a
  coordinator whose scope holds the cadre (`scope.py`): they plan classes, call people and
  settle allowances.
- A trainer, or a coordinator for a cadre outside their scope (a provincial class lists
  several communes): the year of birth alone, which is what a sign-in sheet prints to tell two
  people of one name apart, and the phone masked ("09xx xxx 123": enough to say "the number
  ending in 123", not to call it).
- Anyone else (another learner, a visitor): neither.

Pages call `phone_for` and `birth_for` (templates through the globals `cadre_phone` and
`cadre_birth`, registered in people/__init__.py, which pass the signed-in user and scope).
Exports and papers of coordinators hold only their scope's cadres; the papers a trainer
prints (sign-in and attendance sheets) carry the year alone.
"""

from __future__ import annotations

import re

from app.people.models import Cadre
from app.people.scope import Scope

STAFF_ROLES = ("trainer", "coordinator", "admin")


def sees_in_clear(viewer, cadre: Cadre, scope: Scope) -> bool:
    """The viewer may read this cadre's phone number and full date of birth."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if cadre.user_id is not None and cadre.user_id == viewer.id:
        return True
    if viewer.has_role("admin"):
        return True
    return viewer.has_role("coordinator") and scope.covers_cadre(cadre)


def _staff(viewer) -> bool:
    return viewer is not None and getattr(viewer, "is_authenticated", False) \
        and viewer.has_role(*STAFF_ROLES)


def mask_phone(phone: str | None) -> str:
    """"0905123456" -> "09xx xxx 456": the first two digits and the last three."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 6:
        return "xxx" if digits else ""
    return f"{digits[:2]}xx xxx {digits[-3:]}"


def phone_for(viewer, cadre: Cadre, scope: Scope) -> str:
    """The phone as this viewer may see it: in clear, masked, or "" (none, or not theirs to
    see)."""
    if not cadre.phone:
        return ""
    if sees_in_clear(viewer, cadre, scope):
        return cadre.phone
    return mask_phone(cadre.phone) if _staff(viewer) else ""


def birth_for(viewer, cadre: Cadre, scope: Scope) -> str:
    """The birth as this viewer may see it: the date (or year) recorded, the year alone, or
    ""."""
    if sees_in_clear(viewer, cadre, scope):
        return cadre.birth_text
    if _staff(viewer):
        year = cadre.birth_date.year if cadre.birth_date else cadre.birth_year
        return str(year) if year else ""
    return ""
