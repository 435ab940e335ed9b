"""Cadre workflows shared by the forms, the import and the demo (no request objects here)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import insert, select

from app.audit.models import record, record_many
from app.auth.service import normalise_phone
from app.core.refusal import Refusal
from app.extensions import db
from app.people.access import may_link_account
from app.people.models import (
    Cadre,
    Unit,
    identity_key,
    same_person_by_year,
    split_identity_key,
)
from app.timeutil import local_today, utcnow
from app.vietnamese import DateError, fold, nfc, parse_date

FIELDS = ("full_name", "gender", "birth_date", "birth_year", "ethnicity_code", "position_id",
          "level", "commune_id", "village_id", "phone", "on_payroll")


@dataclass
class CadreData:
    full_name: str
    gender: str
    birth_date: date | None
    birth_year: int
    ethnicity_code: str | None
    position_id: int
    level: str
    commune_id: int
    village_id: int | None = None
    phone: str | None = None
    on_payroll: bool = False  # "hưởng lương từ ngân sách" (no meal support at classes)

    def __post_init__(self):
        self.full_name = nfc(self.full_name)
        self.phone = normalise_phone(self.phone)

    def identity(self, commune: Unit) -> str:
        return identity_key(self.full_name, self.birth_date, self.birth_year,
                            commune.current().id)


MIN_AGE = 15  # the youngest a cadre can be (working age); younger is a mistyped year


class BirthError(Refusal, ValueError):
    """Why a birth date or year cannot be a cadre's, in the reader's language."""

    status = 400


def parse_birth(text: str) -> tuple[date | None, int]:
    """Parse "dd/mm/yyyy" or "yyyy"; refuse future and implausible dates (BirthError)."""
    try:
        born, year = parse_date(text)
    except DateError as exc:
        raise BirthError(_(exc.message, **exc.params)) from exc
    if year is None:
        raise BirthError(_("Vui lòng ghi ngày sinh (dd/mm/yyyy) hoặc năm sinh (yyyy)."))
    today = local_today()
    if (born and born > today) or year > today.year:
        raise BirthError(_("Ngày sinh %(text)s ở tương lai.", text=text.strip()))
    if year < today.year - 100:
        raise BirthError(_("Năm sinh %(year)s không hợp lý.", year=year))
    # With only the year known, the oldest the person can be today.
    age = today.year - year
    if born is not None and (today.month, today.day) < (born.month, born.day):
        age -= 1
    if age < MIN_AGE:
        raise BirthError(_("Ngày sinh %(text)s không hợp lý: người này chưa đủ %(age)s tuổi. "
                           "Hãy kiểm tra lại năm sinh.", text=text.strip(), age=MIN_AGE))
    return born, year


NAME_PUNCTUATION = set(" '-.’")


def name_problem(full_name: str) -> str | None:
    """Why `full_name` cannot be a person's name (letters of any script, spaces, ' - .), or None.

    Shared by the cadre form and the import so that whatever one accepts the other does too."""
    text = nfc(full_name)
    if not text:
        return _("Chưa ghi họ và tên.")
    if len(text) > 120:
        return _("Họ và tên dài quá 120 ký tự.")
    if not text[0].isalpha() or any(not (ch.isalpha() or ch in NAME_PUNCTUATION
                                         or unicodedata.category(ch).startswith("M"))
                                    for ch in text):
        return _("Họ và tên “%(name)s” không hợp lệ: chỉ gồm chữ cái, dấu cách và các dấu "
                 "' - . (không có chữ số hay ký hiệu).", name=text)
    return None


def parse_phone(text: str | None) -> str | None:
    """A phone number as stored ("0905123456"), None when empty; ValueError with a message
    when it is not a Vietnamese number. Shared by the form and the import, so that whatever the
    form accepts an export can carry back in."""
    text = " ".join(nfc(text or "").split())
    if not text:
        return None
    phone = normalise_phone(text)
    if phone and len(phone) == 9 and not phone.startswith("0") and text.isdigit():
        phone = "0" + phone  # a number cell in Excel loses the leading zero
    if not phone or not re.fullmatch(r"0\d{9,10}", phone) or re.search(r"[^\d\s.+()-]", text):
        raise ValueError(_("Số điện thoại “%(text)s” không hợp lệ; hãy ghi 10 chữ số, "
                           "ví dụ 0905123456.", text=text))
    return phone


def village_error(commune: Unit, village: Unit | None) -> str | None:
    if village is None:
        return None
    if village.kind != "village" or village.parent is None:
        return _("Thôn/bản không hợp lệ.")
    if village.parent.current().id != commune.current().id:
        return _("%(village)s không thuộc %(commune)s.", village=village.title_cap,
                 commune=commune.title)
    return None


def find_same_person(key: str, exclude_id: int | None = None) -> Cadre | None:
    query = select(Cadre).where(Cadre.identity_key == key)
    if exclude_id:
        query = query.where(Cadre.id != exclude_id)
    return db.session.scalar(query)


def find_same_person_by_year(key: str, exclude_id: int | None = None) -> list[Cadre]:
    """Cadres of the same name and commune recorded the other way: with only the year when
    `key` has a date of that year, or with a date of the year when `key` has only the year.
    The cadre import treats one such cadre as the same person (cadre_file/matching.py)."""
    query = select(Cadre).where(Cadre.sort_key == split_identity_key(key)[0])
    if exclude_id:
        query = query.where(Cadre.id != exclude_id)
    return [c for c in db.session.scalars(query) if same_person_by_year(key, c.identity_key)]


def apply(cadre: Cadre, data: CadreData) -> bool:
    """Copy data onto the cadre; returns whether anything changed."""
    changed = False
    for field in FIELDS:
        value = getattr(data, field)
        if getattr(cadre, field) != value:
            changed = True
            if field == "full_name":
                cadre.set_name(value)
            else:
                setattr(cadre, field, value)
    return changed


def create_cadre(actor, data: CadreData, source: str = "form") -> Cadre:
    cadre = Cadre(active=True)
    apply(cadre, data)
    cadre.identity_key = data.identity(db.session.get(Unit, data.commune_id))
    db.session.add(cadre)
    db.session.flush()
    record(actor, "cadre.create", "cadre", cadre.id, f"Thêm cán bộ {cadre.full_name}",
           data={"source": source})
    return cadre


def create_cadres(actor, new: list[tuple[CadreData, str]], source: str = "import",
                  chunk: int = 500) -> list[int]:
    """Add many cadres at once, each given with its identity key (`CadreData.identity`, as a
    validated import row carries it): one executemany INSERT, then their ids read back by
    the (unique) identity keys, 500 a query, and their audit entries in bulk, as
    `create_cadre` writes them one by one. Returns the new ids in the order given. The caller
    commits. (INSERT ... RETURNING in parameter order would send the rows one by one on
    SQLite.)"""
    if not new:
        return []
    now = utcnow()
    db.session.execute(insert(Cadre.__table__), [  # Core: no ORM bookkeeping per row
        {**{f: getattr(data, f) for f in FIELDS}, "identity_key": key,
         "name_search": fold(data.full_name), "sort_key": split_identity_key(key)[0],
         "active": True, "created_at": now, "updated_at": now} for data, key in new])
    keys = [key for _data, key in new]
    id_of: dict[str, int] = {}
    for start in range(0, len(keys), chunk):
        id_of.update(db.session.execute(select(Cadre.identity_key, Cadre.id).where(
            Cadre.identity_key.in_(keys[start:start + chunk]))).tuples().all())
    ids = [id_of[key] for key in keys]
    record_many(actor, ({"action": "cadre.create", "object_type": "cadre", "object_id": i,
                         "summary": f"Thêm cán bộ {data.full_name}",
                         "data": {"source": source}} for i, (data, _key) in zip(ids, new)),
                at=now)
    return ids


def changes(cadre: Cadre, data: CadreData) -> dict[str, list]:
    """What `data` would change on the cadre: {field: [before, after]}, dates as ISO text."""
    return {f: [_plain(getattr(cadre, f)), _plain(getattr(data, f))] for f in FIELDS
            if getattr(cadre, f) != getattr(data, f)}


def update_cadre(actor, cadre: Cadre, data: CadreData, source: str = "form") -> bool:
    diff = changes(cadre, data)
    if diff:
        apply(cadre, data)
        cadre.identity_key = data.identity(db.session.get(Unit, data.commune_id))
        record(actor, "cadre.update", "cadre", cadre.id, f"Sửa cán bộ {cadre.full_name}",
               data={"source": source, "changes": diff})
    return bool(diff)


def set_active(actor, cadre: Cadre, active: bool, reason: str | None = None) -> None:
    cadre.active = active
    record(actor, "cadre.activate" if active else "cadre.deactivate", "cadre", cadre.id,
           f"{'Kích hoạt lại' if active else 'Ngừng theo dõi'} cán bộ {cadre.full_name}",
           reason=reason)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def rekey_after_merger(unit: Unit) -> tuple[str, str] | None:
    """Recompute identity keys of cadres whose commune now rolls up differently.

    Returns the names of two cadres that would become the same person, or None when all keys
    were updated (flushed)."""
    from app.people.queries import commune_family_ids

    family = commune_family_ids(unit.current().id)
    cadres = list(db.session.scalars(select(Cadre).where(Cadre.commune_id.in_(family))))
    seen: dict[str, Cadre] = {}
    for cadre in cadres:
        cadre.refresh_identity()
        if cadre.identity_key in seen:
            return seen[cadre.identity_key].full_name, cadre.full_name
        seen[cadre.identity_key] = cadre
    db.session.flush()
    return None


class AccountError(Refusal, ValueError):
    """A message for the account form, in the reader's language."""

    status = 400


def link_account(actor, cadre: Cadre, username: str, password: str | None,
                 min_length: int, min_guesses_log10: float = 8) -> tuple[object, bool]:
    """Link the cadre to the account `username`, creating a learner account if it does not
    exist and a password is given (held to the password rule, app/auth/passwords.py).
    Returns (user, created)."""
    from app.auth.passwords import account_words, password_problem
    from app.auth.service import create_user, find_by_username, phone_taken

    user = find_by_username(username)
    created = False
    if user is None:
        if not password:
            raise AccountError(_("Chưa có tài khoản này. Nhập mật khẩu ban đầu để tạo tài "
                                 "khoản học viên mới."))
        words = account_words(username=username, full_name=cadre.full_name, phone=cadre.phone,
                              unit=cadre.commune.title if cadre.commune else None)
        if problem := password_problem(password, words, min_length=min_length,
                                       min_guesses_log10=min_guesses_log10):
            raise AccountError(problem, field="password")
        phone = None if phone_taken(cadre.phone) else cadre.phone
        user = create_user(actor, username=username, full_name=cadre.full_name,
                           password=password, roles=["learner"], phone=phone)
        created = True
    elif not may_link_account(actor, user):
        raise AccountError(_("Tài khoản %(user)s không phải tài khoản học viên; chỉ quản trị "
                             "viên mới gắn được tài khoản này với cán bộ.", user=user.username),
                           status=403)
    elif user.cadre is not None and user.cadre.id != cadre.id:
        raise AccountError(_("Tài khoản %(user)s đã gắn với cán bộ %(cadre)s.",
                             user=user.username, cadre=user.cadre.full_name))
    cadre.user = user
    record(actor, "cadre.account", "cadre", cadre.id,
           f"Gắn tài khoản {user.username} cho {cadre.full_name}")
    return user, created


def unlink_account(actor, cadre: Cadre) -> None:
    if cadre.user is not None and not may_link_account(actor, cadre.user):
        raise AccountError(_("Tài khoản %(user)s không phải tài khoản học viên; chỉ quản trị "
                             "viên mới bỏ gắn được tài khoản này.", user=cadre.user.username),
                           status=403)
    if cadre.user is not None:
        record(actor, "cadre.account", "cadre", cadre.id,
               f"Bỏ gắn tài khoản {cadre.user.username} khỏi {cadre.full_name}")
        cadre.user = None


def successor_problem(unit: Unit | None, kind: str, successor_id: int | None) -> str | None:
    """Why `successor_id` cannot succeed `unit` (a unit of `kind`), or None."""
    if not successor_id:
        return None
    successor = db.session.get(Unit, successor_id)
    if successor is None:
        return _("Đơn vị kế thừa không tồn tại.")
    if successor.kind != kind:
        return _("Đơn vị kế thừa phải cùng cấp (xã sáp nhập vào xã).")
    seen: set[int] = set()
    current = successor
    while current is not None and current.id not in seen:
        if unit is not None and current.id == unit.id:
            return _("Không thể sáp nhập vào %(unit)s: %(unit)s đã (hoặc sẽ) sáp nhập vào "
                     "chính đơn vị này.", unit=successor.title)
        seen.add(current.id)
        current = current.successor
    return None
