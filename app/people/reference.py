"""Reference data: the controlled list of positions, and the Sơn Hà units with the 2025 merger.

`ensure_positions` is part of setting up any organisation (`flask setup`); the Sơn Hà units are
the demo organisation and the default example (DESIGN.md section 2).
"""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.people.models import Position, Unit

# code, name, level, village-level leader
POSITIONS = [
    ("truong-thon", "Trưởng thôn, tổ trưởng tổ dân phố", "village", True),
    ("pho-truong-thon", "Phó trưởng thôn", "village", True),
    ("bi-thu-chi-bo", "Bí thư chi bộ thôn", "village", True),
    ("truong-ban-ctmt", "Trưởng ban công tác Mặt trận thôn", "village", True),
    ("chi-hoi-truong-phu-nu", "Chi hội trưởng Chi hội Phụ nữ", "village", True),
    ("chi-hoi-truong-nong-dan", "Chi hội trưởng Chi hội Nông dân", "village", True),
    ("chi-hoi-truong-ccb", "Chi hội trưởng Chi hội Cựu chiến binh", "village", True),
    ("bi-thu-chi-doan", "Bí thư Chi đoàn thôn", "village", True),
    ("ctv-giam-ngheo", "Cộng tác viên giảm nghèo", "village", True),
    ("nguoi-co-uy-tin", "Người có uy tín", "village", True),
    ("to-truong-to-nhom", "Tổ trưởng tổ hợp tác, nhóm sở thích", "village", True),
    ("thanh-vien-to-giam-ngheo", "Thành viên tổ giảm nghèo thôn", "village", False),
    ("chu-tich-ubnd-xa", "Chủ tịch, Phó Chủ tịch UBND xã", "commune", False),
    ("cong-chuc-vhxh", "Công chức Văn hóa - Xã hội xã", "commune", False),
    ("cong-chuc-tckt", "Công chức Tài chính - Kế toán xã", "commune", False),
    ("cong-chuc-khac", "Công chức, cán bộ xã khác", "commune", False),
    ("chu-tich-hoi-phu-nu-xa", "Chủ tịch Hội Liên hiệp Phụ nữ xã", "commune", False),
    ("chu-tich-hoi-nong-dan-xa", "Chủ tịch Hội Nông dân xã", "commune", False),
    ("chu-tich-mttq-xa", "Chủ tịch Ủy ban MTTQ Việt Nam xã", "commune", False),
    ("bi-thu-doan-xa", "Bí thư Đoàn Thanh niên xã", "commune", False),
    ("chuyen-vien-huyen", "Chuyên viên phòng, ban cấp huyện", "district", False),
]

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


def ensure_positions() -> int:
    """Create the standard positions that are missing; returns how many were added."""
    existing = set(db.session.scalars(select(Position.code)))
    added = 0
    for order, (code, name, level, leader) in enumerate(POSITIONS):
        if code not in existing:
            db.session.add(Position(code=code, name=name, level=level, village_leader=leader,
                                    sort_order=order))
            added += 1
    db.session.flush()
    return added


TELEX_TONES = {"\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0301": "s", "\u0323": "j"}


def _slug(name: str) -> str:
    """ASCII slug; "Sơn Hạ" gets its tone in Telex ("son-haj") so it differs from "Sơn Hà"."""
    import unicodedata

    from app.vietnamese import fold

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
