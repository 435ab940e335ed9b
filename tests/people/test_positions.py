"""The controlled list of positions (app/people/reference.py) and `ensure_positions`."""

from sqlalchemy import select

from app.people.models import LEVELS, Cadre, Position
from app.people.reference import (
    ALIASES,
    POSITIONS,
    RETIRED,
    VILLAGE_PAIRS,
    ensure_positions,
    is_residential_group,
    position_code_for_village,
)


def _rows(db):
    return {p.code: (p.name, p.level, p.village_leader, p.active)
            for p in db.session.scalars(select(Position))}


def test_the_list_is_one_office_per_position():
    codes = [p[0] for p in POSITIONS + RETIRED]
    names = [p[1] for p in POSITIONS + RETIRED]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(len(code) <= 30 for code in codes)  # Position.code
    assert all(level in LEVELS for _c, _n, level, _l in POSITIONS + RETIRED)
    offered = {code: name for code, name, _level, _leader in POSITIONS}
    # no office named for two kinds of village, nor chairman and vice-chairman at once
    assert not any("tổ trưởng tổ dân phố" in name.lower() and "thôn" in name.lower()
                   for name in offered.values())
    assert offered["chu-tich-ubnd-xa"] == "Chủ tịch UBND xã"
    assert offered["pho-chu-tich-ubnd-xa"] == "Phó Chủ tịch UBND xã"
    for thon, group in VILLAGE_PAIRS:
        assert "thôn" in offered[thon].lower() and "tổ dân phố" in offered[group].lower()
    # the roles the plan and the program name
    for code in ("dai-dien-cong-dong", "ra-soat-vien", "gia-lang", "nv-y-te-thon-ban",
                 "co-do-thon-ban", "chi-hoi-truong-nguoi-cao-tuoi", "chi-hoi-truong-chu-thap-do",
                 "cong-chuc-vp-hdnd-ubnd", "cong-chuc-phong-kinh-te", "cong-chuc-vhxh",
                 "chuyen-vien-tinh"):
        assert code in offered
    assert all(code in codes for code in ALIASES.values())


def test_leaders_are_the_grassroots_roles_the_plan_names():
    leaders = {code for code, _n, _l, leader in POSITIONS if leader}
    assert {"truong-thon", "to-truong-to-dan-pho", "bi-thu-chi-bo", "bi-thu-chi-bo-to-dan-pho",
            "ctv-giam-ngheo", "nguoi-co-uy-tin", "dai-dien-cong-dong", "gia-lang",
            "ra-soat-vien", "to-truong-to-nhom", "chi-hoi-truong-phu-nu"} <= leaders
    assert not leaders & {"nv-y-te-thon-ban", "co-do-thon-ban", "thanh-vien-to-giam-ngheo"}
    levels = {code: level for code, _n, level, _l in POSITIONS}
    assert all(levels[code] == "village" for code in leaders)


def test_the_office_follows_the_kind_of_village():
    assert is_residential_group("tổ dân phố") and is_residential_group("Khu phố")
    assert not is_residential_group("thôn") and not is_residential_group("bản")
    assert position_code_for_village("truong-thon", "tổ dân phố") == "to-truong-to-dan-pho"
    assert position_code_for_village("to-truong-to-dan-pho", "bản") == "truong-thon"
    assert position_code_for_village("bi-thu-chi-bo", "khu phố") == "bi-thu-chi-bo-to-dan-pho"
    assert position_code_for_village("truong-thon", None) == "truong-thon"
    assert position_code_for_village("to-truong-to-dan-pho", None) == "to-truong-to-dan-pho"
    assert position_code_for_village("gia-lang", "tổ dân phố") == "gia-lang"


def test_ensure_positions_is_idempotent(db):
    assert ensure_positions() == len(POSITIONS) + len(RETIRED)
    db.session.commit()
    before = _rows(db)
    assert ensure_positions() == 0
    assert _rows(db) == before
    assert {code for code, row in before.items() if row[3]} == {p[0] for p in POSITIONS}


def test_ensure_positions_brings_an_old_list_up_to_date(db, son_ha):
    """`flask setup` on a database of the old list: names, levels and flags follow the list,
    the combined chairman/vice-chairman keeps its cadres (retired, to be chosen), a position
    typed by hand stays, nothing is deleted."""
    db.session.execute(Position.__table__.delete())
    old = [("truong-thon", "Trưởng thôn, tổ trưởng tổ dân phố", "village", True),
           ("chu-tich-ubnd-xa", "Chủ tịch, Phó Chủ tịch UBND xã", "commune", False),
           ("thanh-vien-to-giam-ngheo", "Thành viên tổ giảm nghèo thôn", "village", True),
           ("chuyen-vien-huyen", "Chuyên viên phòng, ban cấp huyện", "district", False),
           ("tu-nhap", "Đại diện cộng đồng", "village", False),  # typed by hand
           ("khac", "Thủ quỹ", "village", False)]  # typed by hand, not in the list
    for code, name, level, leader in old:
        db.session.add(Position(code=code, name=name, level=level, village_leader=leader))
    db.session.flush()
    ids = {p.code: p.id for p in db.session.scalars(select(Position))}
    cadre = Cadre(gender="M", birth_year=1970, commune_id=son_ha["new:son-ha"].id,
                  position_id=ids["chu-tich-ubnd-xa"], level="commune")
    cadre.set_name("Phạm Văn Chủ")
    cadre.refresh_identity()
    db.session.add(cadre)
    db.session.commit()

    ensure_positions()
    db.session.commit()
    rows = _rows(db)
    assert rows["truong-thon"] == ("Trưởng thôn, bản", "village", True, True)
    assert rows["thanh-vien-to-giam-ngheo"][2] is False
    assert rows["chu-tich-ubnd-xa"] == ("Chủ tịch UBND xã", "commune", False, True)
    assert rows["chu-tich-pho-chu-tich-ubnd-xa"] == (
        "Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)", "commune", False, False)
    assert rows["chuyen-vien-huyen"][3] is False  # retired, kept
    assert rows["dai-dien-cong-dong"] == ("Đại diện cộng đồng", "village", True, True)
    assert "tu-nhap" not in rows and rows["khac"] == ("Thủ quỹ", "village", False, True)
    kept = {p.id for p in db.session.scalars(select(Position))}
    assert set(ids.values()) <= kept
    db.session.expire_all()
    assert db.session.get(Cadre, cadre.id).position.name == (
        "Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)")
