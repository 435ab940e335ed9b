"""Organisation settings printed on official documents (one row, edited by an admin).

The issuer is described by its *kind* and the *unit* it governs (a commune, a district until
30/06/2025, or a province); its name on paper follows from them (Nghị định 30/2020/NĐ-CP,
Phụ lục I: a People's Committee heads with its own name, an office or department carries its
parent above it; `pdf.heading_lines`). The documents floor sits below app/people: the unit is
reached through the `OrgSetting.unit` relationship, never imported (`issuer_units`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, String, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.i18n_markers import N_
from app.timeutil import utcnow
from app.vietnamese import text_sort_key

# The kinds of issuer, with the level of the unit each governs. A People's Committee issues in
# its own name; an office (phòng, văn phòng) of a commune or district People's Committee and a
# provincial department (sở) issue in theirs, under their parent's name. The district kinds
# are for classes before 01/07/2025 (the district level ended that day).
ISSUER_KINDS = ("commune_pc", "commune_office", "province_pc", "province_department",
                "district_pc", "district_office")
ISSUER_KIND_LABELS = {
    "commune_pc": N_("Ủy ban nhân dân xã"),
    "commune_office": N_("Phòng, văn phòng thuộc Ủy ban nhân dân xã"),
    "province_pc": N_("Ủy ban nhân dân tỉnh"),
    "province_department": N_("Sở, cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh"),
    "district_pc": N_("Ủy ban nhân dân huyện (trước 01/07/2025)"),
    "district_office": N_("Phòng thuộc Ủy ban nhân dân huyện (trước 01/07/2025)"),
}
ISSUER_LEVEL = {"commune_pc": "commune", "commune_office": "commune",
                "province_pc": "province", "province_department": "province",
                "district_pc": "district", "district_office": "district"}
COMMITTEES = frozenset({"commune_pc", "district_pc", "province_pc"})
COMMITTEE = "Ủy ban nhân dân"


def _merge_title(head: str, body: str) -> str:
    """"Trưởng phòng" + "Phòng Văn hóa - Xã hội" -> "Trưởng phòng Văn hóa - Xã hội"; "Giám
    đốc" + "Sở Nông nghiệp và Môi trường" -> "Giám đốc Sở Nông nghiệp và Môi trường": the
    words the head's title ends with are not said twice."""
    head_words, body_words = head.split(), body.split()
    for n in range(min(len(head_words), len(body_words)), 0, -1):
        if [w.lower() for w in head_words[-n:]] == [w.lower() for w in body_words[:n]]:
            return " ".join(head_words + body_words[n:])
    return " ".join(head_words + body_words)


@dataclass(frozen=True)
class OrgInfo:
    """What a document needs from the settings (plain values, safe to pass to renderers)."""

    # Defaults until an admin saves the settings: the People's Committee of xã Sơn Hà as it
    # is since 01/07/2025 (the district was dissolved that day). Until a unit is chosen, the
    # convene scope is not checked (`unit_id` None).
    issuer_kind: str = "commune_pc"
    unit_id: int | None = None
    unit_title: str = "xã Sơn Hà"  # the governed unit as named: "xã Sơn Hà", "tỉnh Quảng Ngãi"
    office_name: str = ""  # the office or department issuing, when the issuer is one
    head_title: str = "Chủ tịch"  # its head: "Chủ tịch", "Giám đốc", "Trưởng phòng"
    place_name: str = "Sơn Hà"
    number_suffix: str = "UBND"
    drafting_office: str = ""  # abbreviation for "Lưu: VT, VHXH."
    signer_authority: str = "KT. CHỦ TỊCH"
    signer_title: str = "PHÓ CHỦ TỊCH"
    signer_name: str = "Đinh Văn Minh"
    # Certificates (giấy chứng nhận): the number's pattern ("{số}" the serial number of the
    # issuer's year, three digits; "{năm}" the year) and, when not the papers' signer, who
    # signs them (empty: the signer above).
    certificate_pattern: str = "{số}/GCN-UBND"
    certificate_signer_authority: str = ""
    certificate_signer_title: str = ""
    certificate_signer_name: str = ""

    @property
    def is_committee(self) -> bool:
        """A People's Committee issuing in its own name (no parent line)."""
        return self.issuer_kind in COMMITTEES

    @property
    def level(self) -> str:
        """The level of the unit governed: "commune", "district" or "province"."""
        return ISSUER_LEVEL.get(self.issuer_kind, "commune")

    @property
    def committee_name(self) -> str:
        """"Ủy ban nhân dân xã Sơn Hà": the issuer, or the parent of an office."""
        return f"{COMMITTEE} {self.unit_title}".strip()

    @property
    def body_name(self) -> str:
        """The issuer as named in a sentence: "Ủy ban nhân dân xã Sơn Hà", "Sở Nông nghiệp và
        Môi trường"."""
        return self.committee_name if self.is_committee else self.office_name

    @property
    def head_phrase(self) -> str:
        """Whose decision it is: "Chủ tịch Ủy ban nhân dân xã Sơn Hà", "Giám đốc Sở Nông
        nghiệp và Môi trường", "Trưởng phòng Văn hóa - Xã hội"."""
        return _merge_title(self.head_title, self.body_name) if self.head_title \
            else self.body_name

    def certificate_number(self, seq: int, year: int) -> str:
        """"015/GCN-UBND": the pattern with the serial number (three digits) and the year."""
        return (self.certificate_pattern or DEFAULT_CERTIFICATE_PATTERN).replace(
            "{số}", f"{seq:03d}").replace("{năm}", str(year))

    @property
    def certificate_signer(self) -> tuple[str, str, str]:
        """(authority, title, name) of the certificates' signer: their own when a name is set,
        else the papers' signer."""
        if self.certificate_signer_name:
            return (self.certificate_signer_authority, self.certificate_signer_title,
                    self.certificate_signer_name)
        return self.signer_authority, self.signer_title, self.signer_name

    def problem(self) -> str | None:
        """Why papers cannot be headed from these settings (in the reader's language)."""
        if not self.unit_title:
            return _("Thiết lập đơn vị chưa chọn đơn vị hành chính của cơ quan ban hành; "
                     "quản trị cần chọn tại trang Thiết lập trước khi in.")
        if not self.is_committee and not self.office_name:
            return _("Thiết lập đơn vị chưa ghi tên phòng hoặc sở ban hành; quản trị cần "
                     "ghi tại trang Thiết lập trước khi in.")
        return None


DEFAULT_CERTIFICATE_PATTERN = "{số}/GCN-UBND"
CERTIFICATE_PATTERN_CHARS = re.compile(r"[0-9A-ZĐ/.\-]*")
DEFAULTS = OrgInfo()
# The fields the admin types (unit_title follows from unit_id).
FIELDS = tuple(f.name for f in fields(OrgInfo) if f.name != "unit_title")


class OrgSetting(db.Model):
    """The organisation settings: a single row (id = 1)."""

    __tablename__ = "org_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("issuer_kind IN ('commune_pc', 'commune_office', 'province_pc', "
                        "'province_department', 'district_pc', 'district_office')",
                        name="issuer_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    issuer_kind: Mapped[str] = mapped_column(String(20), default=DEFAULTS.issuer_kind)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    office_name: Mapped[str] = mapped_column(String(200), default="")
    head_title: Mapped[str] = mapped_column(String(100), default=DEFAULTS.head_title)
    place_name: Mapped[str] = mapped_column(String(100), default=DEFAULTS.place_name)
    number_suffix: Mapped[str] = mapped_column(String(30), default=DEFAULTS.number_suffix)
    drafting_office: Mapped[str] = mapped_column(String(30), default="")
    signer_authority: Mapped[str] = mapped_column(String(100),
                                                  default=DEFAULTS.signer_authority)
    signer_title: Mapped[str] = mapped_column(String(100), default=DEFAULTS.signer_title)
    signer_name: Mapped[str] = mapped_column(String(120), default=DEFAULTS.signer_name)
    certificate_pattern: Mapped[str] = mapped_column(String(40),
                                                     default=DEFAULTS.certificate_pattern)
    certificate_signer_authority: Mapped[str] = mapped_column(String(100), default="")
    certificate_signer_title: Mapped[str] = mapped_column(String(100), default="")
    certificate_signer_name: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    unit = relationship("Unit")  # app.people.models.Unit (a floor above)

    def info(self) -> OrgInfo:
        values = {name: getattr(self, name) for name in FIELDS}
        values = {k: (v or "") if k != "unit_id" else v for k, v in values.items()}
        return OrgInfo(**values, unit_title=self.unit.title if self.unit is not None else "")


def unit_model():
    """The Unit class, reached through the relationship (documents does not import people)."""
    return inspect(OrgSetting).relationships["unit"].mapper.class_


def issuer_units() -> list:
    """The units an issuer may govern: provinces, districts and communes, current first, then
    by level (province, district, commune) and name."""
    unit = unit_model()
    units = db.session.scalars(select(unit).where(
        unit.kind.in_(("province", "district", "commune")))).all()
    order = {"province": 0, "district": 1, "commune": 2}
    return sorted(units, key=lambda u: (u.valid_to is not None, order[u.kind],
                                        text_sort_key(u.name)))


def settings_problems(values: dict) -> dict[str, list[str]]:
    """Messages by field when the issuer's kind, unit and office do not agree (in the
    reader's language): a commune People's Committee governs a commune, a provincial
    department a province...; an office or department names itself, a People's Committee
    does not."""
    errors: dict[str, list[str]] = {}
    kind = values.get("issuer_kind")
    if kind not in ISSUER_KINDS:
        errors["issuer_kind"] = [_("Vui lòng chọn loại cơ quan ban hành.")]
        return errors
    unit = db.session.get(unit_model(), values["unit_id"]) if values.get("unit_id") else None
    level = ISSUER_LEVEL[kind]
    if unit is None:
        errors["unit_id"] = [_("Vui lòng chọn đơn vị hành chính của cơ quan ban hành.")]
    elif unit.kind != level:
        expected = {"commune": _("một xã (hoặc thị trấn, phường)"), "district": _("một huyện"),
                    "province": _("một tỉnh")}[level]
        errors["unit_id"] = [_("%(kind)s phải gắn với %(expected)s; %(unit)s không phải.",
                               kind=_(ISSUER_KIND_LABELS[kind]), expected=expected,
                               unit=unit.title_cap)]
    errors.update(certificate_problems(values))
    office = (values.get("office_name") or "").strip()
    if kind in COMMITTEES and office:
        errors["office_name"] = [_("Ủy ban nhân dân ban hành bằng tên của mình: để trống ô "
                                   "này (chỉ ghi tên phòng, văn phòng hoặc sở).")]
    elif kind not in COMMITTEES and not office:
        errors["office_name"] = [_("Vui lòng ghi tên phòng, văn phòng hoặc sở ban hành văn "
                                   "bản.")]
    return errors


def certificate_problems(values: dict) -> dict[str, list[str]]:
    """The certificate number's pattern holds "{số}" once, "{năm}" at most once, and otherwise
    capitals, digits, "/", "-" and "." ("{số}/GCN-UBND", "{số}/{năm}/GCN"); a certificate
    signer with a name has a title."""
    errors: dict[str, list[str]] = {}
    pattern = (values.get("certificate_pattern") or "").strip()
    rest = pattern.replace("{số}", "").replace("{năm}", "")
    if (pattern.count("{số}") != 1 or pattern.count("{năm}") > 1
            or not CERTIFICATE_PATTERN_CHARS.fullmatch(rest) or "/" not in pattern):
        errors["certificate_pattern"] = [_(
            "Mẫu số giấy chứng nhận phải có đúng một “{số}” (số thứ tự, in ba chữ số), có thể "
            "có “{năm}”, còn lại là chữ in hoa, chữ số, “/”, “-” hoặc “.”, ví dụ "
            "“{số}/GCN-UBND”.")]
    if (values.get("certificate_signer_name") or "").strip() and not (
            values.get("certificate_signer_title") or "").strip():
        errors["certificate_signer_title"] = [_(
            "Vui lòng ghi chức vụ người ký giấy chứng nhận (hoặc để trống cả họ tên để dùng "
            "người ký văn bản).")]
    return errors


def current_settings() -> OrgSetting:
    """The stored row, or an unsaved one holding the defaults (nothing is written)."""
    row = db.session.get(OrgSetting, 1)
    if row is None:
        row = OrgSetting(id=1, **{name: getattr(DEFAULTS, name) for name in FIELDS})
    return row


def org_info() -> OrgInfo:
    row = db.session.get(OrgSetting, 1)
    return row.info() if row is not None else DEFAULTS


def save_settings(actor, values: dict) -> bool:
    """Create or update the row from `values` (already validated: `settings_problems`; a field
    left out keeps its value); flushes, audits changes. Returns whether anything changed.
    """
    from app.audit.models import record

    row = db.session.get(OrgSetting, 1)
    created = row is None
    if created:
        row = OrgSetting(id=1)
        db.session.add(row)
    before = {name: (None if created else getattr(row, name)) for name in FIELDS}
    # A field not given keeps its value (or the default): callers written before a setting
    # was added (the certificate settings) need not know it.
    values = {name: values[name] if name in values
              else getattr(DEFAULTS, name) if created else before[name] for name in FIELDS}
    for name in FIELDS:
        setattr(row, name, values[name])
    changes = {name: [before[name], values[name]] for name in FIELDS
               if before[name] != values[name]}
    if changes:
        row.updated_by_id = getattr(actor, "id", None)
        db.session.flush()
        db.session.expire(row, ["unit"])  # the unit's name follows a changed unit_id
        record(actor, "settings.update", "org_settings", 1,
               "Sửa thiết lập đơn vị (in trên văn bản)", data={"changes": changes})
    return bool(changes)
