"""Demo costs: every demo class not cancelled gets a budget per line (the trainers' fee per
session, materials, hall, water, stationery, meals and travel for its seats); the classes that
have started have spent some of it (a finished class nearly all, a running one part), meals
and travel as the allowance list says. Hall and water are paid from the local counterpart
budget, the rest from the class's source. Idempotent: a class with costs is left alone."""

from __future__ import annotations

from sqlalchemy import select

from app.costs import lines
from app.costs.models import ClassCost
from app.extensions import db
from app.programs.models import FundingSource

LOCAL = "ngan-sach-dia-phuong-doi-ung"
PER_SESSION = 400_000  # đồng per session for the trainer (a demo figure, not a rule)


def _entries(klass, local_id: int | None, spent_share: float) -> dict[str, lines.Entry]:
    own = klass.funding_source_id
    seats, days = klass.capacity, (klass.end_date - klass.start_date).days + 1

    def spent(budget: int) -> int:
        return round(budget * spent_share / 1000) * 1000

    typed = {"materials": (own, 30_000 * seats), "hall": (local_id or own, 800_000 * days),
             "water": (local_id or own, 20_000 * seats * days),
             "stationery": (own, 15_000 * seats), "other": (own, 0)}
    out = {name: lines.Entry(source, budget, spent(budget))
           for name, (source, budget) in typed.items()}
    out["trainer"] = lines.Entry(own, per_session=PER_SESSION)
    out["meal"] = lines.Entry(own, klass.daily_rate * seats * days)
    out["travel"] = lines.Entry(own, 50_000 * seats)
    return out


def load(ctx: dict) -> str:
    coordinator = ctx["users"]["coordinator"]
    local_id = db.session.scalar(select(FundingSource.id).where(FundingSource.code == LOCAL))
    done = set(db.session.scalars(select(ClassCost.class_id).distinct()))
    added = 0
    for klass in ctx.get("classes", {}).values():
        if klass.id in done or klass.is_cancelled:
            continue
        share = 0.95 if klass.issues_certificates else (0.5 if klass.has_started else 0.0)
        lines.save(coordinator, klass, _entries(klass, local_id, share), lines.live_of(klass))
        added += 1
    db.session.flush()
    return f"Kinh phí: ghi dự toán và thực hiện cho {added} lớp."
