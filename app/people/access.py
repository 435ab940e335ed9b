"""Who may see or change which cadre (object checks; the routes declare the roles).

- `load_cadre(cadre_id, user)`: a coordinator acts on the cadres of their scope (`scope.py`):
  a cadre of another commune is refused (403) on every route that takes a cadre id, and
  absent from their lists.
- `may_link_account(actor, account)`: an admin links any account to a cadre (an official who
  is also trained); a coordinator only an account that is a learner's and nothing more, so a
  coordinator can never attach (or detach) an admin's, a trainer's or another coordinator's
  account, whose sign-in would then act as that cadre or lose its link.
"""

from __future__ import annotations

from flask import abort

from app.extensions import db
from app.people.models import Cadre
from app.people.scope import scope_of


def load_cadre(cadre_id: int, user) -> Cadre:
    """The cadre of a URL: 404 when missing, 403 outside the user's scope."""
    cadre = db.get_or_404(Cadre, cadre_id)
    if not scope_of(user).covers_cadre(cadre):
        abort(403)
    return cadre


def may_link_account(actor, account) -> bool:
    """Whether `actor` may link `account` to a cadre, or unlink it from one."""
    if actor.has_role("admin"):
        return True
    return account.roles == {"learner"}
