"""Reference data: the controlled list of positions, and the Sơn Hà units with the 2025 merger.

`ensure_positions` is part of setting up any organisation (`flask setup`); the Sơn Hà units are
the demo organisation and the default example (DESIGN.md section 2).
"""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.people.models import Position, Unit
from app.vietnamese import fold

# The controlled list, in the order forms and the template's help sheet show it (grouped by
# level). One office per position: where the name of an office depends on the kind of village
# (thôn, bản... or tổ dân phố: Thông tư 04/2012/TT-BNV), each kind has its own position
# (VILLAGE_PAIRS); other village-level offices have names that fit both ("khu dân cư").
# Codes are stable: classes and the import refer to them.
# code, name, level, village-level leader (priority for seats: the roles the plan names,
# "cán bộ thôn, bản, đại diện cộng đồng, lãnh đạo tổ nhóm, cán bộ chi hội đoàn thể, cộng tác
# viên giảm nghèo, người có uy tín")
POSITIONS = [
    ("truong-thon", "Trưởng thôn, bản", "village", True),
    ("to-truong-to-dan-pho", "Tổ trưởng tổ dân phố", "village", True),
    ("pho-truong-thon", "Phó Trưởng thôn, bản", "village", True),
    ("to-pho-to-dan-pho", "Tổ phó tổ dân phố", "village", True),
    ("bi-thu-chi-bo", "Bí thư chi bộ thôn, bản", "village", True),
    ("bi-thu-chi-bo-to-dan-pho", "Bí thư chi bộ tổ dân phố", "village", True),
    ("truong-ban-ctmt", "Trưởng ban Công tác Mặt trận khu dân cư", "village", True),
    ("chi-hoi-truong-phu-nu", "Chi hội trưởng Chi hội Phụ nữ", "village", True),
    ("chi-hoi-truong-nong-dan", "Chi hội trưởng Chi hội Nông dân", "village", True),
    ("chi-hoi-truong-ccb", "Chi hội trưởng Chi hội Cựu chiến binh", "village", True),
    ("chi-hoi-truong-nguoi-cao-tuoi", "Chi hội trưởng Chi hội Người cao tuổi", "village", True),
    ("chi-hoi-truong-chu-thap-do", "Chi hội trưởng Chi hội Chữ thập đỏ", "village", True),
    ("bi-thu-chi-doan", "Bí thư Chi đoàn khu dân cư", "village", True),
    ("ctv-giam-ngheo", "Cộng tác viên giảm nghèo", "village", True),
    ("ra-soat-vien", "Rà soát viên hộ nghèo, hộ cận nghèo", "village", True),
    ("thanh-vien-to-giam-ngheo", "Thành viên tổ giảm nghèo", "village", False),
    ("dai-dien-cong-dong", "Đại diện cộng đồng", "village", True),
    ("to-truong-to-nhom", "Trưởng tổ nhóm cộng đồng", "village", True),
    ("nguoi-co-uy-tin", "Người có uy tín", "village", True),
    ("gia-lang", "Già làng", "village", True),
    # Health workers of the village (Thông tư 27/2023/TT-BYT names them so): trained by the
    # health sector; a class on the health dimension invites them by code, without priority.
    ("nv-y-te-thon-ban", "Nhân viên y tế thôn, bản", "village", False),
    ("co-do-thon-ban", "Cô đỡ thôn, bản", "village", False),
    ("chu-tich-ubnd-xa", "Chủ tịch UBND xã", "commune", False),
    ("pho-chu-tich-ubnd-xa", "Phó Chủ tịch UBND xã", "commune", False),
    # The commune People's Committee's offices from 01/07/2025 (Nghị định 150/2025/NĐ-CP);
    # "Văn hóa - Xã hội" and "Tài chính - Kế toán" were also commune titles before that date.
    ("cong-chuc-vp-hdnd-ubnd", "Công chức Văn phòng HĐND và UBND xã", "commune", False),
    ("cong-chuc-phong-kinh-te", "Công chức Phòng Kinh tế xã", "commune", False),
    ("cong-chuc-vhxh", "Công chức Văn hóa - Xã hội xã", "commune", False),
    ("cong-chuc-tckt", "Công chức Tài chính - Kế toán xã", "commune", False),
    ("cong-chuc-khac", "Công chức, cán bộ xã khác", "commune", False),
    ("chu-tich-mttq-xa", "Chủ tịch Ủy ban MTTQ Việt Nam xã", "commune", False),
    ("chu-tich-hoi-phu-nu-xa", "Chủ tịch Hội Liên hiệp Phụ nữ xã", "commune", False),
    ("chu-tich-hoi-nong-dan-xa", "Chủ tịch Hội Nông dân xã", "commune", False),
    ("bi-thu-doan-xa", "Bí thư Đoàn Thanh niên xã", "commune", False),
    ("chuyen-vien-tinh", "Chuyên viên sở, ban, ngành tỉnh", "province", False),
]

# No longer offered for new records, kept for the cadres who hold them and for old files
# (active = False): the old combined "Chủ tịch, Phó Chủ tịch UBND xã" cannot tell the chairman
# from a vice-chairman (migration 0008 leaves its cadres here, for the coordinator to choose);
# the district level ended on 30/06/2025.
RETIRED = [
    ("chu-tich-pho-chu-tich-ubnd-xa", "Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)",
     "commune", False),
    ("chuyen-vien-huyen", "Chuyên viên phòng, ban cấp huyện", "district", False),
]

# Codes whose meaning narrowed: a position still named as before is the old office, and takes
# the new code (as migration 0008 does), so that its cadres are not relabelled.
NARROWED = {"chu-tich-ubnd-xa": ("Chủ tịch, Phó Chủ tịch UBND xã",
                                 "chu-tich-pho-chu-tich-ubnd-xa")}

# The same office under the name of each kind of village: (thôn, bản... code, tổ dân phố code).
VILLAGE_PAIRS = [
    ("truong-thon", "to-truong-to-dan-pho"),
    ("pho-truong-thon", "to-pho-to-dan-pho"),
    ("bi-thu-chi-bo", "bi-thu-chi-bo-to-dan-pho"),
]

# Names of earlier lists and common short names, still read in imported files. A code of
# VILLAGE_PAIRS is then resolved by the row's village (position_code_for_village).
ALIASES = {
    "Trưởng thôn, tổ trưởng tổ dân phố": "truong-thon",
    "Trưởng bản": "truong-thon",
    "Trưởng làng": "truong-thon",
    "Phó trưởng thôn": "pho-truong-thon",
    "Phó trưởng bản": "pho-truong-thon",
    "Bí thư chi bộ thôn": "bi-thu-chi-bo",
    "Trưởng ban công tác Mặt trận thôn": "truong-ban-ctmt",
    "Bí thư Chi đoàn thôn": "bi-thu-chi-doan",
    "Thành viên tổ giảm nghèo thôn": "thanh-vien-to-giam-ngheo",
    "Tổ trưởng tổ hợp tác, nhóm sở thích": "to-truong-to-nhom",
    "Chủ tịch, Phó Chủ tịch UBND xã": "chu-tich-pho-chu-tich-ubnd-xa",
}

# Thông tư 04/2012/TT-BNV: "tổ dân phố, khu phố, khối phố, khóm, tiểu khu... (gọi chung là tổ
# dân phố)"; every other village category (thôn, bản, làng, ấp, buôn...) is a thôn.
RESIDENTIAL_GROUP_CATEGORIES = ("to dan pho", "khu pho", "khoi pho", "khom", "tieu khu")


def is_residential_group(category: str | None) -> bool:
    """A village category of the tổ dân phố kind ("tổ dân phố", "khu phố"...)."""
    return fold(category or "") in RESIDENTIAL_GROUP_CATEGORIES


def position_code_for_village(code: str, village_category: str | None) -> str:
    """The code of the same office named for the village's kind: "truong-thon" in a tổ dân
    phố is "to-truong-to-dan-pho", and back. Unchanged without a village."""
    if village_category is None:
        return code
    residential = is_residential_group(village_category)
    for thon, group in VILLAGE_PAIRS:
        if code == thon and residential:
            return group
        if code == group and not residential:
            return thon
    return code


MERGER_DAY = date(2025, 7, 1)
OLD_LAST_DAY = date(2025, 6, 30)
# Nghị quyết 1677/NQ-UBTVQH15: the five new communes and the old units merged into each.
SON_HA_MERGER = {
    "Sơn Hà": ["Di Lăng", "Sơn Bao", "Sơn Thượng"],
    "Sơn Hạ": ["Sơn Hạ", "Sơn Thành", "Sơn Nham"],
    "Sơn Linh": ["Sơn Linh", "Sơn Cao", "Sơn Giang"],
    "Sơn Thủy": ["Sơn Thủy", "Sơn Hải", "Sơn Trung"],
    "Sơn Kỳ": ["Sơn Kỳ", "Sơn Ba"],
}


def position_for_village(position: Position, village: Unit | None) -> Position:
    """The same office named for the village's kind (position_code_for_village)."""
    code = position_code_for_village(position.code, village.category if village else None)
    if code == position.code:
        return position
    return db.session.scalar(select(Position).where(Position.code == code)) or position


def ensure_positions() -> int:
    """Bring the positions to this list; returns how many were added.

    Idempotent. Adds what is missing, updates the name, level, leader flag and order of
    existing codes, retires (active = False) the codes of RETIRED; never deletes a position.
    A position typed by hand under another code with a listed name takes the listed code."""
    rows = {p.code: p for p in db.session.scalars(select(Position))}
    for code, (old_name, new_code) in NARROWED.items():
        if code in rows and rows[code].name == old_name and new_code not in rows:
            rows[new_code] = rows.pop(code)
            rows[new_code].code = new_code
    by_name = {p.name: p for p in rows.values()}
    known = {spec[0] for spec in POSITIONS + RETIRED}
    added = 0
    specs = [(spec, True) for spec in POSITIONS] + [(spec, False) for spec in RETIRED]
    for order, ((code, name, level, leader), active) in enumerate(specs):
        position = rows.get(code)
        if position is None:
            position = by_name.get(name)
            if position is not None and position.code not in known:
                position.code = code
            else:
                position = Position(code=code)
                db.session.add(position)
                added += 1
            rows[code] = position
        for attribute, value in (("name", name), ("level", level), ("village_leader", leader),
                                 ("sort_order", order), ("active", active)):
            if getattr(position, attribute) != value:
                setattr(position, attribute, value)
    db.session.flush()
    return added


def active_positions() -> list[Position]:
    """The positions offered for new records, in the list's order (village, commune,
    province)."""
    return list(db.session.scalars(select(Position).where(Position.active.is_(True))
                                   .order_by(Position.sort_order, Position.name)))


TELEX_TONES = {"\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0301": "s", "\u0323": "j"}


def _slug(name: str) -> str:
    """ASCII slug; "Sơn Hạ" gets its tone in Telex ("son-haj") so it differs from "Sơn Hà"."""
    import unicodedata

    slug = fold(name).replace(" ", "-")
    if name == "Sơn Hạ":
        tones = [TELEX_TONES[ch] for ch in unicodedata.normalize("NFD", name) if ch in TELEX_TONES]
        slug += "".join(tones)
    return slug


def _unit(code, **fields) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        unit = Unit(code=code, **fields)
        db.session.add(unit)
        db.session.flush()
    return unit


def ensure_son_ha_units() -> dict[str, Unit]:
    """Quảng Ngãi > Sơn Hà with its 14 communes until 30/06/2025 and the 5 from 01/07/2025.

    Returns the communes by code ("old:son-ba", "new:son-ky") for the demo and the tests.
    """
    province = _unit("quang-ngai", name="Quảng Ngãi", kind="province", category="tỉnh")
    district = _unit("son-ha", name="Sơn Hà", kind="district", category="huyện",
                     parent_id=province.id, valid_to=OLD_LAST_DAY)
    communes: dict[str, Unit] = {}
    for new_name, old_names in SON_HA_MERGER.items():
        new = _unit(f"xa-{_slug(new_name)}-2025", name=new_name, kind="commune", category="xã",
                    parent_id=province.id, valid_from=MERGER_DAY)
        communes[f"new:{_slug(new_name)}"] = new
        for old_name in old_names:
            category = "thị trấn" if old_name == "Di Lăng" else "xã"
            old = _unit(f"{'tt' if category == 'thị trấn' else 'xa'}-{_slug(old_name)}",
                        name=old_name, kind="commune", category=category,
                        parent_id=district.id, valid_to=OLD_LAST_DAY, successor_id=new.id)
            communes[f"old:{_slug(old_name)}"] = old
    db.session.flush()
    return communes
