"""Migration 0023_sort_keys on SQLite and PostgreSQL: accounts made before it get their name's
Vietnamese sort key and folded search text, so the account list orders by name in SQL (given
name first: Hoa before Hùng before Lanh, whatever the family name); downgrade and upgrade
again work."""

import pytest
from sqlalchemy import create_engine, text

from tests.core.test_position_migration import _database, _run

NAMES = ["Đinh Thị Lanh", "Phạm Văn Hùng", "Nguyễn Thị Hoa", "Hồ Văn Ánh"]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_existing_accounts_get_their_keys(kind, tmp_path):
    with _database(kind, tmp_path) as url:
        _run(["db", "upgrade", "0018_access"], url)
        engine = create_engine(url)
        with engine.begin() as conn:
            for i, name in enumerate(NAMES):
                conn.execute(text(
                    "INSERT INTO users (username, full_name, phone, password_hash, active, "
                    "created_at) VALUES (:u, :n, :p, '!', true, '2026-01-01 08:00:00')"),
                    {"u": f"user{i}", "n": name, "p": f"090000000{i}"})
        _run(["db", "upgrade"], url)
        with engine.connect() as conn:
            ordered = conn.execute(text(
                "SELECT full_name FROM users ORDER BY sort_key, id")).scalars().all()
            found = conn.execute(text(
                "SELECT username FROM users WHERE search_text LIKE '%hung%'")).scalars().all()
        assert ordered == ["Hồ Văn Ánh", "Nguyễn Thị Hoa", "Phạm Văn Hùng", "Đinh Thị Lanh"]
        assert found == ["user1"]
        _run(["db", "downgrade", "0018_access"], url)
        _run(["db", "upgrade"], url)
        engine.dispose()
