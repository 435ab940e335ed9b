"""Migration 0021_village_names on SQLite and PostgreSQL: every unit gets its name key; two
villages already recorded under one name in one commune keep their names (the later one's key
carries its id, so the unique index can be made); downgrade and upgrade again work."""

import pytest
from sqlalchemy import create_engine, text

from tests.core.test_position_migration import _database, _run


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_existing_villages_get_keys_and_duplicates_are_kept(kind, tmp_path):
    with _database(kind, tmp_path) as url:
        _run(["db", "upgrade", "0018_access"], url)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO units (id, code, name, kind, category) VALUES "
                              "(1, 'x1', 'Sơn Linh', 'commune', 'xã')"))
            for unit_id, name in ((2, "Làng Rê"), (3, "  làng  rê"), (4, "Gò Ghềnh")):
                conn.execute(text("INSERT INTO units (id, code, name, kind, category, "
                                  "parent_id) VALUES (:i, :c, :n, 'village', 'thôn', 1)"),
                             {"i": unit_id, "c": f"v{unit_id}", "n": name})
        engine.dispose()
        _run(["db", "upgrade"], url)
        engine = create_engine(url)
        with engine.connect() as conn:
            keys = dict(conn.execute(text("SELECT id, name_key FROM units ORDER BY id")).all())
            names = conn.execute(text("SELECT name FROM units WHERE id = 3")).scalar()
        engine.dispose()
        assert keys == {1: "sơn linh", 2: "làng rê", 3: "làng rê #3", 4: "gò ghềnh"}
        assert names == "  làng  rê"
        _run(["db", "downgrade", "0018_access"], url)
        _run(["db", "upgrade"], url)
