"""Demo people: Sơn Hà villages, ~300 cadres (mostly Hrê, some Ca Dong and Kinh), and the four
demo accounts."""

import random
from datetime import date

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.people.models import Cadre, Position, Unit
from app.people.reference import (
    ensure_positions,
    ensure_son_ha_units,
    is_residential_group,
    position_code_for_village,
)
from app.people.service import CadreData, create_cadre, find_same_person

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo password, never in production
ACCOUNTS = [
    ("admin", "Quản trị hệ thống", ("admin",)),
    ("coordinator", "Trương Thị Mỹ Duyên", ("coordinator",)),
    ("trainer", "Phạm Văn Tâm", ("trainer",)),
    ("learner", "Đinh Thị Lanh", ("learner",)),
]

# Demo village names (illustrative, not an official list), four per former commune.
VILLAGE_NAMES = [
    "Gò Da", "Tà Bần", "Xà Nay", "Nước Bao", "Làng Rê", "Gò Gạo", "Tà Cơm", "Nước Lăng",
    "Làng Ranh", "Mò O", "Xà Riêng", "Gò Rinh", "Nước Xu", "Tà Dinh", "Làng Mùng", "Cà Đáo",
    "Bà Da", "Nước Nia", "Gò Rô", "Tà Mát", "Làng Trăng", "Xà Tân", "Nước Rinh", "Gò Nghênh",
    "Tà Gầm", "Làng Bung", "Xà Lò", "Nước Vương", "Gò Ghềnh", "Tà Lương", "Làng Đèo",
    "Nước Tang", "Gò Lã", "Tà Xinh", "Làng Dầu", "Xà Ây", "Nước Ren", "Gò Ra", "Tà Pía",
    "Làng Trá", "Xà Bùa", "Nước Gia", "Gò Nhiêu", "Tà Pơ", "Làng Hà", "Xà Rin", "Nước Tà",
    "Gò Trá", "Tà Lâu", "Làng Dâu", "Xà Ló", "Nước Dang", "Gò Nay", "Tà Bi", "Làng Mon",
    "Xà Ót",
]
HRE_FAMILY = ["Đinh", "Đinh", "Đinh", "Phạm", "Phạm", "Đinh", "Huỳnh", "Hồ"]
KINH_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Trương", "Bùi", "Phan", "Đặng"]
WOMEN_MIDDLE = ["Thị", "Thị", "Thị", "Thị Kim", "Thị Mỹ", "Thị Hồng", "Thị Thu"]
MEN_MIDDLE = ["Văn", "Văn", "Văn", "Văn", "Minh", "Hữu", "Công", "Đức"]
WOMEN_GIVEN = ["Lanh", "Hoa", "Mai", "Nhi", "Xuân", "Hương", "Hà", "Thương", "Lài", "Bích",
               "Duyên", "Diệu", "Ánh", "Hằng", "Liên", "Mận", "Nga", "Phượng", "Thúy", "Vy",
               "Yến", "Ân", "Trinh", "Đào", "Hòa", "Lợi", "Mơ", "Ớt", "Út", "Sen"]
MEN_GIVEN = ["Bốc", "Rin", "Chiến", "Nhứt", "Lực", "Tuấn", "Quang", "Thanh", "Bình", "Đức",
             "Dũng", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phúc", "Sơn", "Tài", "Tâm",
             "Thắng", "Vinh", "Xoan", "Y", "Ân", "Bảy", "Chơn", "Hiếu", "Lâm", "Ớ"]
# Village offices (the thôn, bản code: a cadre of a tổ dân phố of the former thị trấn Di Lăng
# gets the tổ dân phố office), the program's grassroots roles, commune and its offices.
POSITION_WEIGHTS = {
    "truong-thon": 10, "pho-truong-thon": 6, "bi-thu-chi-bo": 8, "truong-ban-ctmt": 5,
    "chi-hoi-truong-phu-nu": 8, "chi-hoi-truong-nong-dan": 6, "chi-hoi-truong-ccb": 3,
    "chi-hoi-truong-nguoi-cao-tuoi": 2, "chi-hoi-truong-chu-thap-do": 1,
    "bi-thu-chi-doan": 4, "ctv-giam-ngheo": 10, "ra-soat-vien": 5, "nguoi-co-uy-tin": 4,
    "gia-lang": 3, "dai-dien-cong-dong": 3, "to-truong-to-nhom": 3,
    "thanh-vien-to-giam-ngheo": 5, "nv-y-te-thon-ban": 2, "co-do-thon-ban": 1,
    "chu-tich-ubnd-xa": 1, "pho-chu-tich-ubnd-xa": 2, "cong-chuc-vp-hdnd-ubnd": 1,
    "cong-chuc-phong-kinh-te": 1, "cong-chuc-vhxh": 3, "cong-chuc-tckt": 1,
    "cong-chuc-khac": 3, "chu-tich-hoi-phu-nu-xa": 2, "chu-tich-hoi-nong-dan-xa": 1,
    "chu-tich-mttq-xa": 1, "bi-thu-doan-xa": 1,
}
# The share of women in each position, as it looks in the Hrê villages (illustrative, not a
# statistic): few women head a village or its party cell, almost none are veterans, nearly all
# lead the women's union, about half are poverty-reduction collaborators. Village elders (già
# làng) are men. Other positions: DEFAULT_WOMEN_SHARE.
WOMEN_SHARE = {
    "truong-thon": 0.15, "to-truong-to-dan-pho": 0.2, "pho-truong-thon": 0.25,
    "bi-thu-chi-bo": 0.15, "truong-ban-ctmt": 0.3, "chi-hoi-truong-phu-nu": 1.0,
    "chi-hoi-truong-nong-dan": 0.15, "chi-hoi-truong-ccb": 0.05,
    "chi-hoi-truong-nguoi-cao-tuoi": 0.2, "chi-hoi-truong-chu-thap-do": 0.6,
    "bi-thu-chi-doan": 0.4, "ctv-giam-ngheo": 0.5, "ra-soat-vien": 0.5,
    "nguoi-co-uy-tin": 0.05, "gia-lang": 0.0, "nv-y-te-thon-ban": 0.6, "co-do-thon-ban": 1.0,
    "chu-tich-ubnd-xa": 0.1, "pho-chu-tich-ubnd-xa": 0.25, "chu-tich-hoi-phu-nu-xa": 1.0,
    "chu-tich-hoi-nong-dan-xa": 0.15, "chu-tich-mttq-xa": 0.25,
}
DEFAULT_WOMEN_SHARE = 0.4
# Village elders of the Hrê villages.
ELDERS = {"gia-lang"}
# Ethnicity codes (app/people/ethnicities.py): Kinh, Xơ Đăng (the Ca Dong group), Hrê.
KINH, XO_DANG, HRE = "01", "16", "18"
# Every CA_DONG_EVERY-th demo village (in creation order) is a Ca Dong village: most of its
# cadres are Ca Dong (illustrative).
CA_DONG_EVERY = 7
# Roles of the rural villages (thôn, bản): in a tổ dân phố the demo gives another role.
RURAL_ONLY = {"gia-lang": "nguoi-co-uy-tin", "nv-y-te-thon-ban": "ctv-giam-ngheo",
              "co-do-thon-ban": "ctv-giam-ngheo"}


def ensure_accounts() -> dict[str, User]:
    users = {}
    for username, full_name, roles in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, full_name=full_name)
            user.set_password(DEMO_PASSWORD)
            user.set_roles(roles)
            db.session.add(user)
        users[username] = user
    db.session.flush()
    return users


def ensure_villages(communes: dict[str, Unit]) -> dict[int, list[Unit]]:
    """Four demo villages under each former commune (they now belong to the new commune)."""
    villages: dict[int, list[Unit]] = {}
    names = iter(VILLAGE_NAMES)
    for key, commune in sorted(communes.items()):
        if not key.startswith("old:"):
            continue
        existing = list(db.session.scalars(select(Unit).where(Unit.parent_id == commune.id)))
        while len(existing) < 4:
            name = next(names)
            code = f"{commune.code}-t{len(existing) + 1:02d}"[:20]
            village = Unit(code=code, name=name, kind="village",
                           category="thôn" if commune.name != "Di Lăng" else "tổ dân phố",
                           parent_id=commune.id)
            db.session.add(village)
            existing.append(village)
        villages[commune.id] = existing
    db.session.flush()
    return villages


def _name(rng: random.Random, woman: bool, kinh: bool) -> str:
    """Family, middle and given name; the given name never repeats the last middle word
    ("Phạm Đức Đức" is not a name)."""
    family = rng.choice(KINH_FAMILY if kinh else HRE_FAMILY)
    middle = rng.choice(WOMEN_MIDDLE if woman else MEN_MIDDLE)
    last_middle = middle.split()[-1]
    given = rng.choice([g for g in (WOMEN_GIVEN if woman else MEN_GIVEN) if g != last_middle])
    return f"{family} {middle} {given}"


def _ethnicity(rng: random.Random, commune_old: Unit, village: Unit | None,
               ca_dong: set[int], elder: bool) -> str:
    """Kinh mostly in the former thị trấn Di Lăng, Ca Dong in the Ca Dong villages, Hrê
    otherwise; elders belong to their village's people."""
    if village is not None and village.id in ca_dong:
        return XO_DANG if rng.random() < 0.85 else HRE
    kinh = commune_old.name == "Di Lăng" and rng.random() < 0.6 or rng.random() < 0.08
    return KINH if kinh and not elder else HRE


def ensure_cadres(actor, communes: dict[str, Unit], villages: dict[int, list[Unit]],
                  count: int = 300) -> list[Cadre]:
    rng = random.Random(2024)  # noqa: S311 - reproducible demo data
    positions = {p.code: p for p in db.session.scalars(select(Position))}
    codes = list(POSITION_WEIGHTS)
    weights = [POSITION_WEIGHTS[c] for c in codes]
    old_communes = [c for k, c in sorted(communes.items()) if k.startswith("old:")]
    rural = [v for c in old_communes for v in villages[c.id]
             if not is_residential_group(v.category)]
    ca_dong = {v.id for v in rural[CA_DONG_EVERY - 1::CA_DONG_EVERY]}
    cadres = []
    for _ in range(count):
        commune_old = rng.choice(old_communes)
        code = rng.choices(codes, weights)[0]
        position = positions[code]
        village = rng.choice(villages[commune_old.id]) if position.level == "village" else None
        if village is not None:
            if is_residential_group(village.category):
                code = RURAL_ONLY.get(code, code)
            position = positions[position_code_for_village(code, village.category)]
        woman = rng.random() < WOMEN_SHARE.get(position.code, DEFAULT_WOMEN_SHARE)
        elder = position.code in ELDERS
        ethnicity = _ethnicity(rng, commune_old, village, ca_dong, elder)
        year = rng.randint(1945, 1968) if elder else rng.randint(1962, 2000)
        born = date(year, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.7 \
            else None
        data = CadreData(
            full_name=_name(rng, woman, ethnicity == KINH), gender="F" if woman else "M",
            birth_date=born, birth_year=year, ethnicity_code=ethnicity,
            position_id=position.id, level=position.level,
            commune_id=commune_old.successor_id, village_id=village.id if village else None,
            phone=f"09{rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else None,
            # commune officials are paid from the state budget; village-level cadres are not
            on_payroll=position.level == "commune")
        commune = db.session.get(Unit, data.commune_id)
        if find_same_person(data.identity(commune)) is None:
            cadres.append(create_cadre(actor, data, source="demo"))
    return cadres


def load(ctx: dict) -> str:
    ensure_positions()
    communes = ensure_son_ha_units()
    users = ensure_accounts()
    villages = ensure_villages(communes)
    created = ensure_cadres(users["admin"], communes, villages)
    learner = users["learner"]
    if learner.cadre is None:
        cadre = db.session.scalar(select(Cadre).where(Cadre.gender == "F", Cadre.user_id.is_(None),
                                                      Cadre.level == "village")
                                  .order_by(Cadre.id))
        if cadre is not None:
            cadre.user = learner
            learner.full_name = cadre.full_name
    db.session.flush()
    ctx.update(users=users, communes=communes, villages=villages)
    return f"Cán bộ: thêm {len(created)}; đơn vị Sơn Hà trước và sau sáp nhập 01/07/2025."
