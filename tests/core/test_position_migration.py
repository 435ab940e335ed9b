"""Migration 0008_positions on SQLite and PostgreSQL: cadres recorded under the old list of
positions (revision 0005) all keep a position, a tổ dân phố cadre is no longer printed as
"Trưởng thôn"/"Bí thư chi bộ thôn", the combined chairman/vice-chairman is kept and flagged;
downgrade and upgrade again work."""

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.people.reference import POSITIONS, RETIRED
from tests.migrating import flask

NOW = "2026-01-01 08:00:00"

# The list of positions before 0008 (code, name, level, leader), as databases hold it.
OLD_POSITIONS = [
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

# name, old position code, village (None: not recorded)
CADRES = [
    ("Nguyễn Văn Phố", "truong-thon", "tdp"),
    ("Đinh Văn Thôn", "truong-thon", "thon"),
    ("Đinh Thị Không", "truong-thon", None),
    ("Trần Thị Bí", "bi-thu-chi-bo", "tdp"),
    ("Đinh Văn Bản", "bi-thu-chi-bo", "ban"),
    ("Lê Văn Phó", "pho-truong-thon", "khu"),
    ("Phạm Văn Chủ", "chu-tich-ubnd-xa", None),
    ("Hồ Thị Phó", "chu-tich-ubnd-xa", None),
    ("Đinh Văn Già", "nguoi-co-uy-tin", "ban"),
    ("Võ Văn Huyện", "chuyen-vien-huyen", None),
    ("Đinh Thị Mặt", "truong-ban-ctmt", "tdp"),
]
# What each cadre's list prints after the migration, and the level
EXPECTED = {
    "Nguyễn Văn Phố": ("Tổ trưởng tổ dân phố", "village"),
    "Đinh Văn Thôn": ("Trưởng thôn, bản", "village"),
    "Đinh Thị Không": ("Trưởng thôn, bản", "village"),
    "Trần Thị Bí": ("Bí thư chi bộ tổ dân phố", "village"),
    "Đinh Văn Bản": ("Bí thư chi bộ thôn, bản", "village"),
    "Lê Văn Phó": ("Tổ phó tổ dân phố", "village"),
    "Phạm Văn Chủ": ("Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)", "commune"),
    "Hồ Thị Phó": ("Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)", "commune"),
    "Đinh Văn Già": ("Người có uy tín", "village"),
    "Võ Văn Huyện": ("Chuyên viên phòng, ban cấp huyện", "district"),
    "Đinh Thị Mặt": ("Trưởng ban Công tác Mặt trận khu dân cư", "village"),
}


def _run(args, url):
    result = flask(args, url)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@contextmanager
def _database(kind, tmp_path):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'positions.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    name = f"taphuan_pos_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _insert(conn, sql, **params):
    return conn.execute(text(sql + " RETURNING id"), params).scalar_one()


def _old_data(engine) -> dict[str, int]:
    """Units, the old positions and CADRES as revision 0005 holds them; returns cadre ids."""
    with engine.begin() as conn:
        unit = ("INSERT INTO units (code, name, kind, category, parent_id) VALUES (:code, :name,"
                " :kind, :category, :parent)")
        province = _insert(conn, unit, code="qn", name="Quảng Ngãi", kind="province",
                           category="tỉnh", parent=None)
        commune = _insert(conn, unit, code="sh", name="Sơn Hà", kind="commune", category="xã",
                          parent=province)
        villages = {key: _insert(conn, unit, code=key, name=name, kind="village",
                                 category=category, parent=commune)
                    for key, name, category in (("thon", "Gò Da", "thôn"),
                                                ("ban", "Làng Rê", "bản"),
                                                ("tdp", "Tổ dân phố 1", "tổ dân phố"),
                                                ("khu", "Khu phố 2", "Khu phố"))}
        positions = {}
        for order, (code, name, level, leader) in enumerate(OLD_POSITIONS):
            positions[code] = _insert(
                conn, "INSERT INTO positions (code, name, level, village_leader, sort_order,"
                " active) VALUES (:code, :name, :level, :leader, :order, :active)",
                code=code, name=name, level=level, leader=leader, order=order, active=True)
        ids = {}
        for n, (name, code, village) in enumerate(CADRES):
            level = next(p[2] for p in OLD_POSITIONS if p[0] == code)
            ids[name] = _insert(
                conn, "INSERT INTO cadres (full_name, name_search, sort_key, identity_key, gender,"
                " birth_year, position_id, level, commune_id, village_id, active, created_at,"
                " updated_at) VALUES (:name, :name, :name, :key, 'M', 1980, :position, :level,"
                " :commune, :village, :active, :now, :now)",
                name=name, key=f"k{n}", position=positions[code], level=level, commune=commune,
                village=villages[village] if village else None, active=True, now=NOW)
    return ids


def _printed(engine) -> dict[str, tuple[str, str]]:
    """Each cadre's position name and level, through the position the cadre points to."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.full_name, p.name, c.level, p.level FROM cadres c"
            " JOIN positions p ON p.id = c.position_id")).all()
    assert all(cadre_level == position_level for _n, _p, cadre_level, position_level in rows)
    return {name: (position, level) for name, position, level, _l in rows}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_old_positions_and_cadres_survive_0008(kind, tmp_path):
    with _database(kind, tmp_path) as url:
        _run(["db", "upgrade", "0005"], url)
        engine = create_engine(url)
        try:
            ids = _old_data(engine)
            with engine.connect() as conn:
                old_position_ids = set(conn.execute(text("SELECT id FROM positions")).scalars())
            output = _run(["db", "upgrade"], url)
            # The coordinator is told whom to look at.
            assert "2 cán bộ có chức vụ “Chủ tịch hoặc Phó Chủ tịch UBND xã (cần cập nhật)”" \
                in output
            assert f"{ids['Phạm Văn Chủ']}, {ids['Hồ Thị Phó']}" in output
            assert "1 cán bộ có chức vụ thôn, bản mà chưa ghi thôn" in output

            assert _printed(engine) == EXPECTED  # nobody lost, everyone printed as they are
            with engine.connect() as conn:
                rows = {code: (name, level, bool(leader), bool(active))
                        for code, name, level, leader, active in conn.execute(text(
                            "SELECT code, name, level, village_leader, active FROM positions"))}
                kept = set(conn.execute(text("SELECT id FROM positions")).scalars())
                history = conn.execute(text(
                    "SELECT object_id, action, summary FROM audit_entries"
                    " WHERE object_type = 'cadre' ORDER BY object_id")).all()
            assert old_position_ids <= kept  # no position deleted
            assert rows == {code: (name, level, leader, True)
                            for code, name, level, leader in POSITIONS} | {
                code: (name, level, leader, False) for code, name, level, leader in RETIRED}
            moved = {ids[n] for n in ("Nguyễn Văn Phố", "Trần Thị Bí", "Lê Văn Phó")}
            assert {object_id for object_id, action, _s in history
                    if action == "cadre.update"} == moved
            assert ("Đổi chức vụ theo danh mục mới: Trưởng thôn, bản → Tổ trưởng tổ dân phố"
                    in {s for object_id, _a, s in history if object_id == ids["Nguyễn Văn Phố"]})
            assert {object_id for object_id, action, _s in history
                    if action == "cadre.position_unclear"} == {ids["Phạm Văn Chủ"],
                                                               ids["Hồ Thị Phó"]}
            # The schema is the models' (province level included), and `flask setup` on the
            # migrated database changes nobody's position.
            _run(["db", "check"], url)  # fails if the models and the database differ
            _run(["setup"], url)
            assert _printed(engine) == EXPECTED

            _run(["db", "downgrade", "0005"], url)
            back = _printed(engine)
            assert back["Nguyễn Văn Phố"] == ("Trưởng thôn, tổ trưởng tổ dân phố", "village")
            assert back["Trần Thị Bí"] == ("Bí thư chi bộ thôn", "village")
            assert back["Phạm Văn Chủ"] == ("Chủ tịch, Phó Chủ tịch UBND xã", "commune")
            assert set(back) == set(EXPECTED)
            with engine.connect() as conn:
                codes = set(conn.execute(text("SELECT code FROM positions")).scalars())
            assert codes == {p[0] for p in OLD_POSITIONS}
            _run(["db", "upgrade"], url)
            assert _printed(engine) == EXPECTED
        finally:
            engine.dispose()


def test_downgrade_refuses_while_a_cadre_is_at_the_province_level(tmp_path):
    url = f"sqlite:///{tmp_path / 'province.db'}"
    _run(["db", "upgrade", "0005"], url)
    engine = create_engine(url)
    try:
        _old_data(engine)
        _run(["db", "upgrade"], url)
        with engine.begin() as conn:
            conn.execute(text(
                "UPDATE cadres SET level = 'province', position_id = (SELECT id FROM positions"
                " WHERE code = 'chuyen-vien-tinh') WHERE full_name = 'Võ Văn Huyện'"))
        refused = flask(["db", "downgrade", "0005"], url)
        assert refused.returncode != 0
        assert "1 cán bộ có chức vụ cấp tỉnh" in refused.stderr
        assert _printed(engine)["Võ Văn Huyện"] == ("Chuyên viên sở, ban, ngành tỉnh",
                                                     "province")
    finally:
        engine.dispose()


def test_a_new_database_gets_the_list_from_setup(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    _run(["db", "upgrade"], url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM positions")).scalar() == 0
        _run(["setup"], url)
        with engine.connect() as conn:
            active = set(conn.execute(text(
                "SELECT code FROM positions WHERE active = :yes"), {"yes": True}).scalars())
        assert active == {p[0] for p in POSITIONS}
    finally:
        engine.dispose()
