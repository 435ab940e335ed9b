"""The demo cadres hold the positions of their village's kind and the program's roles."""

from collections import Counter

from sqlalchemy import select

from app.demo.people import load
from app.people.models import Cadre
from app.people.reference import is_residential_group


def test_demo_cadres_hold_the_office_of_their_village(db):
    load({})
    db.session.commit()
    cadres = list(db.session.scalars(select(Cadre)))
    codes = Counter(c.position.code for c in cadres)
    assert all(c.position.active for c in cadres)
    in_tdp = [c for c in cadres if c.village and is_residential_group(c.village.category)]
    assert in_tdp and not any("thôn" in c.position.name for c in in_tdp)
    assert any(c.position.code == "to-truong-to-dan-pho" for c in in_tdp)
    elders = [c for c in cadres if c.position.code == "gia-lang"]
    assert elders and all(c.village and not is_residential_group(c.village.category)
                          and c.ethnicity_code in ("16", "18") and c.gender == "M" for c in elders)
    for code in ("ra-soat-vien", "dai-dien-cong-dong", "truong-thon", "pho-chu-tich-ubnd-xa"):
        assert codes[code] > 0, code
    assert all(c.level == c.position.level for c in cadres)


def test_demo_names_women_and_peoples_look_like_son_ha(db):
    """No given name repeats the middle name; the share of women follows the position (few
    village heads, almost no veterans, all women's union heads, about half the collaborators);
    some cadres are Ca Dong (Xơ Đăng), most Hrê."""
    load({})
    db.session.commit()
    cadres = list(db.session.scalars(select(Cadre)))
    for cadre in cadres:
        words = cadre.full_name.split()
        assert words[-1] != words[-2], cadre.full_name
    by_position = {}
    for cadre in cadres:
        by_position.setdefault(cadre.position.code, []).append(cadre.gender == "F")
    share = {code: sum(w) / len(w) for code, w in by_position.items()}
    assert share["chi-hoi-truong-phu-nu"] == 1
    assert share["truong-thon"] <= 0.3 and share["bi-thu-chi-bo"] <= 0.3
    assert share["chi-hoi-truong-ccb"] <= 0.15
    assert 0.3 <= share["ctv-giam-ngheo"] <= 0.7
    peoples = Counter(c.ethnicity_code for c in cadres)
    assert peoples["16"] >= 5  # Xơ Đăng: the Ca Dong
    assert peoples["18"] > len(cadres) / 2  # Hrê
