"""The attendance papers' settings, read and written in one place: which marks count as a paid
day, the sign-in sheet's title, the meal support per day by who organises the class (dated:
Thông tư 40/2017/TT-BTC's rates until the province's resolution replaces them), the travel
support per commune. Plain functions; they flush, the caller commits; changes are audited.

Typed amounts come through the one number parser (`app.numbers`, the form's `MoneyField`);
this module checks what the database would refuse too (negative amounts) and says it in the
reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.attendance.models import (
    DEFAULT_BASIS,
    DEFAULT_MEAL_RATES,
    DEFAULT_PAID,
    LEVELS,
    SHEET_TITLE,
    STATUSES,
    AllowanceSetting,
    MealRate,
    TravelAmount,
    TravelRate,
)
from app.audit.models import record
from app.core.refusal import Refusal
from app.extensions import db
from app.vietnamese import nfc

MAX_AMOUNT = 100_000_000  # đồng: more than any day's meal or any trip (a typing slip)


class SettingRefused(Refusal):
    """A setting that cannot be saved (400), with the field at fault."""

    status = 400


@dataclass(frozen=True)
class PaperSettings:
    paid: frozenset[str]
    sheet_title: str


def current() -> PaperSettings:
    row = db.session.get(AllowanceSetting, 1)
    if row is None:
        return PaperSettings(frozenset(DEFAULT_PAID), SHEET_TITLE)
    return PaperSettings(row.paid or frozenset(DEFAULT_PAID), row.sheet_title or SHEET_TITLE)


def save_paper_settings(actor, paid: list[str], sheet_title: str) -> bool:
    """Which marks are paid days (at least one of the four) and the sheet's title."""
    if not paid or any(s not in STATUSES for s in paid):
        raise SettingRefused(_("Chọn ít nhất một loại điểm danh được tính là ngày được hỗ trợ."),
                             field="paid")
    title = nfc(sheet_title).strip()
    if not title:
        raise SettingRefused(_("Vui lòng ghi tiêu đề danh sách ký."), field="sheet_title")
    if len(title) > 200:
        raise SettingRefused(_("Tiêu đề dài quá 200 ký tự."), field="sheet_title")
    row = db.session.get(AllowanceSetting, 1)
    if row is None:
        row = AllowanceSetting(id=1)
        db.session.add(row)
    before = {"paid_statuses": row.paid_statuses, "sheet_title": row.sheet_title}
    row.paid_statuses = ",".join(s for s in STATUSES if s in paid)
    row.sheet_title = title
    after = {"paid_statuses": row.paid_statuses, "sheet_title": row.sheet_title}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        row.updated_by_id = getattr(actor, "id", None)
        db.session.flush()
        record(actor, "attendance.settings", "allowance_settings", 1,
               "Sửa thiết lập danh sách ký và ngày được hỗ trợ", data={"changes": changes})
    return bool(changes)


# --------------------------------------------------------------------------- meal rates


@dataclass(frozen=True)
class Rate:
    amount: int
    basis: str
    valid_from: date | None  # None: the circular's default


def meal_rate(level: str, day: date) -> Rate:
    """The meal support per day for a class organised at `level` whose first day is `day`:
    the latest rate set from that day or before, else the circular's default."""
    row = db.session.scalars(select(MealRate).where(
        MealRate.level == level, MealRate.valid_from <= day)
        .order_by(MealRate.valid_from.desc()).limit(1)).first()
    if row is None:
        return Rate(DEFAULT_MEAL_RATES.get(level, DEFAULT_MEAL_RATES["commune"]),
                    DEFAULT_BASIS, None)
    return Rate(row.amount, row.basis or "", row.valid_from)


def meal_rates() -> list[MealRate]:
    return list(db.session.scalars(select(MealRate).order_by(MealRate.level,
                                                             MealRate.valid_from.desc())))


def _check_amount(amount: int | None, field: str) -> int:
    if amount is None:
        raise SettingRefused(_("Vui lòng ghi số tiền (đồng), ví dụ 150.000."), field=field)
    if amount < 0:
        raise SettingRefused(_("Số tiền không được âm."), field=field)
    if amount > MAX_AMOUNT:
        raise SettingRefused(_("Số tiền quá lớn (tối đa 100.000.000 đồng)."), field=field)
    return amount


def add_meal_rate(actor, level: str, valid_from: date | None, amount: int | None,
                  basis: str) -> MealRate:
    """A rate from a date on (a new row; the same level and date replaces its amount)."""
    if level not in LEVELS:
        raise SettingRefused(_("Vui lòng chọn cấp tổ chức lớp."), field="level")
    if valid_from is None:
        raise SettingRefused(_("Vui lòng ghi ngày áp dụng (dd/mm/yyyy)."), field="valid_from")
    amount = _check_amount(amount, "amount")
    basis = nfc(basis).strip()[:200]
    row = db.session.scalars(select(MealRate).where(MealRate.level == level,
                                                    MealRate.valid_from == valid_from)).first()
    before = row.amount if row is not None else None
    if row is None:
        row = MealRate(level=level, valid_from=valid_from)
        db.session.add(row)
    row.amount, row.basis = amount, basis
    db.session.flush()
    record(actor, "attendance.meal_rate", "meal_rates", row.id,
           "Mức hỗ trợ tiền ăn mỗi ngày",
           data={"level": level, "valid_from": valid_from.isoformat(),
                 "amount": [before, amount], "basis": basis})
    return row


def delete_meal_rate(actor, rate_id: int) -> None:
    row = db.get_or_404(MealRate, rate_id)
    record(actor, "attendance.meal_rate_delete", "meal_rates", row.id,
           "Xóa mức hỗ trợ tiền ăn", data={"level": row.level, "amount": row.amount,
                                            "valid_from": row.valid_from.isoformat()})
    db.session.delete(row)
    db.session.flush()


# --------------------------------------------------------------------------- travel


def travel_rates() -> dict[int, int]:
    """Travel support by commune id."""
    return dict(db.session.execute(select(TravelRate.commune_id, TravelRate.amount)).all())


def apply_rate(actor, klass, rate: Rate) -> bool:
    """Copy the settings' meal rate onto the class (audited with its basis); False when the
    class had it already."""
    if klass.daily_rate == rate.amount:
        return False
    record(actor, "attendance.daily_rate", "class", klass.id,
           "Áp dụng mức hỗ trợ tiền ăn theo thiết lập",
           data={"daily_rate": [klass.daily_rate, rate.amount], "basis": rate.basis})
    klass.daily_rate = rate.amount
    return True


def _apply(stored: dict, amounts: dict, make) -> dict[str, list]:
    """Write the amounts that changed onto their rows (None: no row), returning the changes as
    {key: [old, new]} for the audit log; `make(key, amount)` makes a missing row."""
    changes = {}
    for key, new in amounts.items():
        row = stored.get(key)
        old = row.amount if row is not None else None
        if old == new:
            continue
        changes[str(key)] = [old, new]
        if new is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(make(key, new))
        else:
            row.amount = new
    return changes


def save_travel_rates(actor, amounts: dict[int, int | None]) -> int:
    """The travel support per commune (None or 0: none). All checked before any is written.
    Returns how many changed."""
    for commune_id, amount in amounts.items():
        if amount is not None:
            _check_amount(amount, f"travel-{commune_id}")
    stored = {r.commune_id: r for r in db.session.scalars(select(TravelRate))}
    changes = _apply(stored, {k: amount or None for k, amount in amounts.items()},
                     lambda key, amount: TravelRate(commune_id=key, amount=amount))
    if changes:
        db.session.flush()
        record(actor, "attendance.travel_rates", "travel_rates", None,
               "Sửa mức hỗ trợ đi lại theo xã", data={"changes": changes})
    return len(changes)


def save_travel_amounts(actor, class_id: int, amounts: dict[int, int | None]) -> int:
    """The travel support typed per attendee (application id -> amount; None: the commune's
    amount, 0: none), already parsed and checked. Returns how many changed."""
    stored = {t.application_id: t for t in db.session.scalars(select(TravelAmount).where(
        TravelAmount.application_id.in_(list(amounts) or [0])))}
    changes = _apply(stored, amounts,
                     lambda key, amount: TravelAmount(application_id=key, amount=amount))
    if changes:
        db.session.flush()
        record(actor, "attendance.travel", "class", class_id,
               "Sửa hỗ trợ đi lại từng học viên", data={"changes": changes})
    return len(changes)


def typed_travel(application_ids: list[int]) -> dict[int, int]:
    if not application_ids:
        return {}
    return dict(db.session.execute(select(TravelAmount.application_id, TravelAmount.amount)
                                   .where(TravelAmount.application_id.in_(application_ids)))
                .all())
