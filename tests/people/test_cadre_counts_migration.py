"""Migration 0029 on SQLite and PostgreSQL: the cadres recorded before it are counted, and its
triggers keep the counters after it, as the models' own triggers do (for plain SQL writes
too); downgrade and upgrade again work."""

import pytest
from sqlalchemy import create_engine, text

from tests.core.test_position_migration import _database, _insert, _run

CADRE = ("INSERT INTO cadres (full_name, name_search, sort_key, identity_key, gender, "
         "birth_year, position_id, level, commune_id, active, on_payroll, created_at, "
         "updated_at) VALUES (:name, :name, :name, :name, :gender, 1980, :position, "
         "'village', :commune, :active, false, '2026-01-01 08:00:00', '2026-01-01 08:00:00')")


def _counts(conn) -> set:
    return set(conn.execute(text(
        "SELECT commune_id, position_id, gender, active, n FROM cadre_counts WHERE n <> 0")
    ).tuples())


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_cadres_made_before_are_counted_and_later_writes_too(kind, tmp_path):
    with _database(kind, tmp_path) as url:
        _run(["db", "upgrade", "0027_cadre_name_trigram"], url)
        engine = create_engine(url)
        with engine.begin() as conn:
            commune = _insert(conn, "INSERT INTO units (code, name, name_key, kind, category) "
                                    "VALUES ('x1', 'Sơn Kỳ', 'sơn kỳ', 'commune', 'xã')")
            other = _insert(conn, "INSERT INTO units (code, name, name_key, kind, category) "
                                  "VALUES ('x2', 'Sơn Ba', 'sơn ba', 'commune', 'xã')")
            position = _insert(conn, "INSERT INTO positions (code, name, level, "
                                     "village_leader, sort_order, active) VALUES "
                                     "('p', 'Trưởng thôn', 'village', true, 1, true)")
            for name, gender, active in (("a", "F", True), ("b", "F", True), ("c", "M", False)):
                conn.execute(text(CADRE), {"name": name, "gender": gender, "active": active,
                                           "position": position, "commune": commune})
        _run(["db", "upgrade"], url)
        with engine.begin() as conn:
            assert _counts(conn) == {(commune, position, "F", True, 2),
                                     (commune, position, "M", False, 1)}
            conn.execute(text(CADRE), {"name": "d", "gender": "M", "active": True,
                                       "position": position, "commune": other})
            conn.execute(text("UPDATE cadres SET active = true WHERE full_name = 'c'"))
            conn.execute(text("UPDATE cadres SET phone = '0905' WHERE full_name = 'a'"))
            conn.execute(text("DELETE FROM cadres WHERE full_name = 'b'"))
            assert _counts(conn) == {(commune, position, "F", True, 1),
                                     (commune, position, "M", True, 1),
                                     (other, position, "M", True, 1)}
        _run(["db", "downgrade", "0027_cadre_name_trigram"], url)
        _run(["db", "upgrade"], url)
        with engine.connect() as conn:
            assert len(_counts(conn)) == 3
        engine.dispose()
