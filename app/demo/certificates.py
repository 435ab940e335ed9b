"""Demo certificates (idempotent: a class that has certificates is left as it is).

TH-01 (finished): its trainer confirms the results, the coordinator issues a certificate to
every learner who qualifies (three days after the class, as a clerk would), then revokes one
(not the demo `learner`'s, which stays valid) with its reason.
"""

from __future__ import annotations

from datetime import timedelta

from app.certificates import issuing, queries
from app.documents.models import org_info
from app.extensions import db
from app.timeutil import utcnow

REVOKE_REASON = ("Học viên được ghi nhầm có mặt ở buổi chiều ngày thứ hai (danh sách ký nhận "
                 "ghi sai); thu hồi theo đề nghị của giảng viên.")


def load(ctx: dict) -> str:
    klass = ctx.get("classes", {}).get("TH-01")
    if klass is None:
        return "Giấy chứng nhận: không có lớp mẫu."
    if queries.of_class(klass.id):
        return "Giấy chứng nhận: lớp TH-01 đã có, giữ nguyên."
    users = ctx["users"]
    trainer = klass.trainers[0] if klass.trainers else users["coordinator"]
    issuing.confirm(trainer, klass, utcnow())
    issued = issuing.issue(users["coordinator"], klass, org_info(),
                           klass.end_date + timedelta(days=3), utcnow())
    learner = getattr(users.get("learner"), "cadre", None)
    others = [c for c in issued if learner is None or c.cadre_id != learner.id]
    if others:
        issuing.revoke(users["coordinator"], others[-1], REVOKE_REASON, utcnow())
    db.session.flush()
    return (f"Giấy chứng nhận: lớp TH-01 cấp {len(issued)} giấy"
            f"{', thu hồi 1' if others else ''}.")
