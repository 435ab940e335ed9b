"""Confirming results, issuing, revoking and reissuing certificates (domain code: the acting
user, the class, the organisation settings and the day are passed in; it flushes, the view
commits; every change is audited).

Numbering: each issuer (its kind, unit and office in the settings) numbers its certificates
from 1 each year. The counter row (`CertificateCounter`) is taken under a row lock
(`app.core.locking.lock_row`: SELECT ... FOR UPDATE on PostgreSQL) in the same transaction as
the certificates it numbers, so two coordinators issuing at the same moment wait for each
other: the numbers are unique (a unique key backs it) and without gaps (a refused or failed
issue rolls the counter back with it). Whether a learner already holds a certificate is read
after the lock is taken, so the second of two simultaneous issues for one learner is refused;
the partial unique index `uq_certificates_in_force` is the backstop.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.audit.models import record
from app.certificates import eligibility
from app.certificates.codes import new_code
from app.certificates.models import Certificate, CertificateCounter, ResultConfirmation
from app.classes.models import TrainingClass
from app.core.locking import lock_row
from app.core.refusal import Refusal
from app.documents import pdf
from app.documents.models import OrgInfo
from app.extensions import db
from app.vietnamese import fold

MIN_REASON = 5


class CertificateError(Refusal):
    """A certificate that cannot be confirmed, issued, revoked or reissued (409 by default)."""


def issuer_key(org: OrgInfo) -> str:
    """Who numbers: the issuer's kind, unit and office ("commune_pc:12:")."""
    return f"{org.issuer_kind}:{org.unit_id or 0}:{fold(org.office_name)}"[:120]


def lock_counter(key: str, year: int) -> int:
    """Lock `key`'s counter of `year` for the rest of the transaction (created at 0 the first
    time, by whichever transaction gets there first) and return its id."""
    table = CertificateCounter.__table__
    dialect = db.session.connection().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    db.session.execute(insert(table).values(issuer_key=key, year=year, last_number=0)
                       .on_conflict_do_nothing(index_elements=["issuer_key", "year"]))
    counter_id = db.session.scalar(select(table.c.id).where(
        table.c.issuer_key == key, table.c.year == year))
    lock_row(CertificateCounter, counter_id)
    return counter_id


def take_number(counter_id: int) -> int:
    """The next number of a locked counter (a relative update)."""
    table = CertificateCounter.__table__
    return db.session.execute(
        update(table).where(table.c.id == counter_id)
        .values(last_number=table.c.last_number + 1)
        .returning(table.c.last_number)).scalar_one()


# --------------------------------------------------------------------------- confirming


def confirm(actor, klass: TrainingClass, now: datetime) -> ResultConfirmation:
    """The trainer confirms the results as they stand: who qualifies."""
    problem = eligibility.class_problem(klass)
    if problem:
        raise CertificateError(problem)
    rows = eligibility.standings(klass)
    ids = eligibility.fingerprint(rows)
    found = eligibility.confirmation(klass)
    if found is None:
        found = ResultConfirmation(class_id=klass.id)
        db.session.add(found)
    found.eligible_ids, found.confirmed_at = ids, now
    found.confirmed_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(actor, "certificates.confirm", "class", klass.id,
           f"Xác nhận kết quả lớp {klass.code}: {len(ids)}/{len(rows)} học viên đạt",
           data={"eligible": ids})
    return found


# --------------------------------------------------------------------------- issuing


def _holder_unit(cadre) -> str:
    parts = [cadre.village.title_cap if cadre.village is not None else None,
             cadre.commune.title if cadre.commune is not None else None]
    return ", ".join(p for p in parts if p)


def _new(actor, standing: eligibility.Standing, klass: TrainingClass, org: OrgInfo,
         key: str, counter_id: int, today: date, now: datetime) -> Certificate:
    seq = take_number(counter_id)
    cadre = standing.cadre
    authority, title, name = org.certificate_signer
    certificate = Certificate(
        code=new_code(), class_id=klass.id, application_id=standing.application.id,
        cadre_id=cadre.id, issuer_key=key, year=today.year, seq=seq,
        number=org.certificate_number(seq, today.year),
        holder_name=cadre.full_name, holder_gender=cadre.gender,
        holder_birth=cadre.birth_text, holder_unit=_holder_unit(cadre),
        class_code=klass.code, class_title=klass.title, class_place=klass.place,
        start_date=klass.start_date, end_date=klass.end_date,
        issuer_lines=[[line.text, line.bold] for line in pdf.heading_lines(org)],
        issuer_name=org.body_name, place_name=org.place_name, issued_on=today,
        signer_authority=authority or "", signer_title=title, signer_name=name,
        issued_at=now, issued_by_id=getattr(actor, "id", None))
    db.session.add(certificate)
    db.session.flush()
    return certificate


def _ready(klass: TrainingClass, org: OrgInfo) -> list[eligibility.Standing]:
    """The class's standings, once the class, the settings and the confirmation allow."""
    problem = eligibility.class_problem(klass) or org.problem()
    if problem:
        raise CertificateError(problem)
    rows = eligibility.standings(klass)
    if not eligibility.confirmation_holds(eligibility.confirmation(klass), rows):
        raise CertificateError(_(
            "Kết quả của lớp chưa được giảng viên xác nhận, hoặc đã thay đổi sau khi xác nhận "
            "(điểm danh hay bài kiểm tra được sửa): cần xác nhận lại kết quả trước khi cấp."))
    return rows


def issue(actor, klass: TrainingClass, org: OrgInfo, today: date, now: datetime,
          application_id: int | None = None) -> list[Certificate]:
    """Issue to one learner (`application_id`) or to every eligible learner who holds none.
    One learner: refused with the reason when not eligible or already holding one."""
    key = issuer_key(org)
    rows = _ready(klass, org)
    if application_id is not None:
        rows = [r for r in rows if r.application.id == application_id]
        if not rows:
            raise CertificateError(_("Học viên này không còn trong lớp (đã rút hoặc không được "
                                     "triệu tập): không cấp giấy chứng nhận."), 404)
        if not rows[0].eligible:
            raise CertificateError(_(
                "%(name)s chưa đủ điều kiện cấp giấy chứng nhận: %(why)s.",
                name=rows[0].cadre.full_name, why="; ".join(rows[0].missing)))
    wanted = [r for r in rows if r.eligible]
    if not wanted:
        raise CertificateError(_("Không có học viên nào đủ điều kiện cấp giấy chứng nhận."))
    counter_id = lock_counter(key, today.year)
    held = set(eligibility.in_force(klass.id))  # read under the lock: the module's docstring
    issued = [_new(actor, standing, klass, org, key, counter_id, today, now)
              for standing in wanted if standing.application.id not in held]
    if not issued:
        if application_id is not None:
            raise CertificateError(_(
                "%(name)s đã có giấy chứng nhận của lớp này; muốn cấp giấy mới thì dùng “Cấp "
                "lại” trên giấy đã cấp.", name=wanted[0].cadre.full_name))
        raise CertificateError(_("Mọi học viên đủ điều kiện đã có giấy chứng nhận."))
    replaced = _link_revoked(issued)
    record(actor, "certificates.issue", "class", klass.id,
           f"Cấp {len(issued)} giấy chứng nhận lớp {klass.code}: "
           + ", ".join(c.number + (f" (thay giấy số {replaced[c.id].number} đã thu hồi)"
                                   if c.id in replaced else "") for c in issued),
           data={"certificates": [c.id for c in issued],
                 "replaces": {str(k): v.id for k, v in replaced.items()}})
    return issued


def _link_revoked(issued: list[Certificate]) -> dict[int, Certificate]:
    """A learner issued a certificate after theirs was revoked without a reissue: the revoked
    ones not yet replaced point to the new one (as a reissue does), so the register and the
    public verification name the certificate in force. Returns {new id: the latest old}."""
    by_application = {c.application_id: c for c in issued}
    olds = db.session.scalars(select(Certificate).where(
        Certificate.application_id.in_(list(by_application)),
        Certificate.revoked_at.is_not(None), Certificate.replaced_by_id.is_(None),
        Certificate.id.not_in([c.id for c in issued]))
        .order_by(Certificate.revoked_at, Certificate.id)).all()
    replaced = {}
    for old in olds:  # in the order revoked: the latest is named in the audit entry
        old.replaced_by_id = by_application[old.application_id].id
        replaced[old.replaced_by_id] = old
    db.session.flush()
    return replaced


# --------------------------------------------------------------------------- revoking


def _reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise CertificateError(_("Vui lòng ghi lý do (ít nhất %(n)s ký tự).", n=MIN_REASON),
                               400, field="reason")
    return reason[:1000]


def _locked(certificate: Certificate) -> Certificate:
    return lock_row(Certificate, certificate.id)


def revoke(actor, certificate: Certificate, reason: str | None, now: datetime) -> Certificate:
    """Revoke with a reason: the certificate stays (in the register, marked revoked)."""
    reason = _reason(reason)
    certificate = _locked(certificate)
    if certificate.revoked_at is not None:
        raise CertificateError(_("Giấy chứng nhận số %(number)s đã bị thu hồi từ trước.",
                                 number=certificate.number))
    certificate.revoked_at, certificate.revoke_reason = now, reason
    certificate.revoked_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(actor, "certificates.revoke", "certificate", certificate.id,
           f"Thu hồi giấy chứng nhận số {certificate.number} ({certificate.holder_name})",
           reason=reason)
    return certificate


def reissue(actor, certificate: Certificate, reason: str | None, org: OrgInfo, today: date,
            now: datetime) -> Certificate:
    """A new certificate (new number, data as they are now) for the same learner and class;
    the old one, revoked if it was not, points to it. The learner must still qualify."""
    reason = _reason(reason)
    klass = db.session.get(TrainingClass, certificate.class_id)
    rows = _ready(klass, org)
    key = issuer_key(org)
    counter_id = lock_counter(key, today.year)
    old = _locked(certificate)
    if old.replaced_by_id is not None:
        raise CertificateError(_(
            "Giấy chứng nhận số %(number)s đã được cấp lại bằng giấy số %(new)s.",
            number=old.number, new=old.replaced_by.number))
    standing = next((r for r in rows if r.application.id == old.application_id), None)
    if standing is None or not standing.eligible:
        why = "; ".join(standing.missing) if standing else _("không còn trong lớp")
        raise CertificateError(_("%(name)s không còn đủ điều kiện cấp giấy chứng nhận: "
                                 "%(why)s.", name=old.holder_name, why=why))
    current = eligibility.in_force(klass.id).get(old.application_id)
    if current is not None and current.id != old.id:
        raise CertificateError(_(
            "%(name)s đang có giấy chứng nhận số %(number)s còn hiệu lực: cấp lại từ giấy đó.",
            name=old.holder_name, number=current.number))
    if old.revoked_at is None:
        old.revoked_at, old.revoke_reason = now, f"Cấp lại: {reason}"
        old.revoked_by_id = getattr(actor, "id", None)
        db.session.flush()  # out of force before the new one comes in (the unique index)
    new = _new(actor, standing, klass, org, key, counter_id, today, now)
    old.replaced_by_id = new.id
    db.session.flush()
    record(actor, "certificates.reissue", "certificate", old.id,
           f"Cấp lại giấy chứng nhận số {old.number} bằng số {new.number} "
           f"({new.holder_name})", reason=reason, data={"new": new.id})
    return new
