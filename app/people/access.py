"""Who may see or change which cadre (object checks; the routes declare the roles).

A coordinator acts on the cadres of their scope (`scope.py`): a cadre of another commune is
refused (403) on every route that takes a cadre id, and absent from their lists.
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
