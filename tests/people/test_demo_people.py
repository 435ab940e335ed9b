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
                          and c.ethnicity_code == "18" and c.gender == "M" for c in elders)
    for code in ("ra-soat-vien", "dai-dien-cong-dong", "truong-thon", "pho-chu-tich-ubnd-xa"):
        assert codes[code] > 0, code
    assert all(c.level == c.position.level for c in cadres)
