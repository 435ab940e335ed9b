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
- The public verification of a certificate (/verify, anyone holding the code, signed in or
  not): the year of birth alone (`birth_for_public`). The paper in the visitor's hand prints
  the full date; the holder's name, the year, the certificate's number and class are enough
  to tell that the paper and the record match, and a full date of birth is what elsewhere
  proves who someone is (bank, telephone operator), so it is not given to anyone with a code.

Pages call `phone_for` and `birth_for` (templates through the globals `cadre_phone` and
`cadre_birth`, registered in people/__init__.py, which pass the signed-in user and scope); a
list makes one `Sight` for all its rows.
Exports and papers of coordinators hold only their scope's cadres; the papers a trainer
prints (sign-in and attendance sheets) carry the year alone.
"""

from __future__ import annotations

import re

from app.people.models import Cadre, birth_text
from app.people.scope import Scope

STAFF_ROLES = ("trainer", "coordinator", "admin")


class Sight:
    """What one viewer may see of cadres' phones and births, with the viewer's roles read
    once: a list applies it to each of its rows. A cadre is anything with `user_id`,
    `commune_id`, `phone`, `birth_date` and `birth_year` (a `Cadre`, or a list's plain row)."""

    __slots__ = ("viewer_id", "admin", "coordinator", "staff", "scope")

    def __init__(self, viewer, scope: Scope) -> None:
        signed_in = viewer is not None and getattr(viewer, "is_authenticated", False)
        self.viewer_id = viewer.id if signed_in else None
        self.admin = signed_in and viewer.has_role("admin")
        self.coordinator = signed_in and viewer.has_role("coordinator")
        self.staff = signed_in and viewer.has_role(*STAFF_ROLES)
        self.scope = scope

    def in_clear(self, cadre) -> bool:
        """The viewer may read this cadre's phone number and full date of birth."""
        return self.clear(cadre.user_id, cadre.commune_id)

    def clear(self, user_id: int | None, commune_id: int | None) -> bool:
        """`in_clear` of the cadre linked to the account `user_id`, recorded under the commune
        `commune_id` (a list's plain row, unpacked)."""
        if self.viewer_id is None:
            return False
        if user_id is not None and user_id == self.viewer_id:
            return True
        return self.admin or (self.coordinator and self.scope.covers_commune(commune_id))

    def phone(self, cadre) -> str:
        """The phone as this viewer may see it: in clear, masked, or "" (none, or not theirs
        to see)."""
        return self.phone_shown(cadre.phone, cadre.phone and self.in_clear(cadre))

    def phone_shown(self, phone: str | None, clear: bool) -> str:
        """`phone` as shown to this viewer, who may (`clear`) or may not read it in clear."""
        if not phone:
            return ""
        if clear:
            return phone
        return mask_phone(phone) if self.staff else ""

    def birth(self, cadre) -> str:
        """The birth as this viewer may see it: the date (or year) recorded, the year alone,
        or ""."""
        return self.birth_shown(cadre.birth_date, cadre.birth_year, self.in_clear(cadre))

    def birth_shown(self, birth_date, birth_year: int | None, clear: bool) -> str:
        """The birth recorded as shown to this viewer, who may (`clear`) or may not read it in
        clear."""
        if clear:
            return birth_text(birth_date, birth_year)
        if self.staff:
            year = birth_date.year if birth_date else birth_year
            return str(year) if year else ""
        return ""


def sees_in_clear(viewer, cadre: Cadre, scope: Scope) -> bool:
    """The viewer may read this cadre's phone number and full date of birth."""
    return Sight(viewer, scope).in_clear(cadre)


def mask_phone(phone: str | None) -> str:
    """"0905123456" -> "09xx xxx 456": the first two digits and the last three."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 6:
        return "xxx" if digits else ""
    return f"{digits[:2]}xx xxx {digits[-3:]}"


def phone_for(viewer, cadre: Cadre, scope: Scope) -> str:
    """The phone as this viewer may see it (`Sight.phone`)."""
    return Sight(viewer, scope).phone(cadre)


def year_of(birth: str | None) -> str:
    """"12/03/1985" or "1985" (a birth as recorded or printed) -> "1985"; "" if none."""
    found = re.search(r"(\d{4})\s*$", birth or "")
    return found[1] if found else ""


def birth_for_public(printed: str | None) -> str:
    """What the public verification of a certificate shows of the birth printed on it: the
    year alone."""
    return year_of(printed)


def birth_for(viewer, cadre: Cadre, scope: Scope) -> str:
    """The birth as this viewer may see it (`Sight.birth`)."""
    return Sight(viewer, scope).birth(cadre)
