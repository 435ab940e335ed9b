"""The database triggers that keep `cadre_counts` (people/models.py, `CadreCount`) exact.

Every write to `cadres` goes through them, whatever made it: the cadre form (ORM), the
20,000-row import (one Core executemany INSERT), edits, transfers, retiring and reactivating,
a delete, demo seeding, the benchmark's bulk inserts, a restored backup (its counters come
with it, and migration 0029 counts a database made before). A counter is only ever moved
relatively in SQL (`n = n + 1`, `n = n - 1`), so two transactions adding cadres to one commune
at once serialise on the counter's row on PostgreSQL and both count.

Each insert adds one to the row of (commune, position, gender, active) (made at zero first if
missing); each delete takes one from its row; an update that changes one of those four columns
does both. A row that falls to zero is kept (there are at most communes × positions × 2 × 2).

`statements(dialect)` gives the DDL; the models run it after `create_all` and migration 0029
runs the same text (frozen there, as migrations are; tests/people/test_cadre_counts.py checks
that both databases made either way count alike).
"""

from __future__ import annotations

KEY = ("commune_id", "position_id", "gender", "active")

_ADD = """INSERT INTO cadre_counts (commune_id, position_id, gender, active, n)
VALUES (NEW.commune_id, NEW.position_id, NEW.gender, NEW.active, 1)
ON CONFLICT (commune_id, position_id, gender, active) DO UPDATE SET n = cadre_counts.n + 1"""
_TAKE = """UPDATE cadre_counts SET n = n - 1 WHERE commune_id = OLD.commune_id
AND position_id = OLD.position_id AND gender = OLD.gender AND active = OLD.active"""

SQLITE = (
    "DROP TRIGGER IF EXISTS cadre_counts_insert",
    f"CREATE TRIGGER cadre_counts_insert AFTER INSERT ON cadres BEGIN {_ADD}; END",
    "DROP TRIGGER IF EXISTS cadre_counts_delete",
    f"CREATE TRIGGER cadre_counts_delete AFTER DELETE ON cadres BEGIN {_TAKE}; END",
    "DROP TRIGGER IF EXISTS cadre_counts_update",
    "CREATE TRIGGER cadre_counts_update AFTER UPDATE OF commune_id, position_id, gender, "
    "active ON cadres WHEN OLD.commune_id IS NOT NEW.commune_id OR OLD.position_id IS NOT "
    "NEW.position_id OR OLD.gender IS NOT NEW.gender OR OLD.active IS NOT NEW.active "
    f"BEGIN {_TAKE}; {_ADD}; END",
)

POSTGRESQL = (
    f"""CREATE OR REPLACE FUNCTION cadre_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_TAKE};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_ADD};
  END IF;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS cadre_counts_insert_delete ON cadres",
    "CREATE TRIGGER cadre_counts_insert_delete AFTER INSERT OR DELETE ON cadres "
    "FOR EACH ROW EXECUTE FUNCTION cadre_counts_track()",
    "DROP TRIGGER IF EXISTS cadre_counts_update ON cadres",
    "CREATE TRIGGER cadre_counts_update AFTER UPDATE OF commune_id, position_id, gender, "
    "active ON cadres FOR EACH ROW WHEN ((OLD.commune_id, OLD.position_id, OLD.gender, "
    "OLD.active) IS DISTINCT FROM (NEW.commune_id, NEW.position_id, NEW.gender, NEW.active)) "
    "EXECUTE FUNCTION cadre_counts_track()",
)

# The counters of the cadres already there (migration 0029; a repair after a bulk load made
# with the triggers off).
FILL = ("INSERT INTO cadre_counts (commune_id, position_id, gender, active, n) "
        "SELECT commune_id, position_id, gender, active, count(*) FROM cadres "
        "GROUP BY commune_id, position_id, gender, active")


def statements(dialect: str) -> tuple[str, ...]:
    return POSTGRESQL if dialect == "postgresql" else SQLITE


def drop_statements(dialect: str) -> tuple[str, ...]:
    if dialect == "postgresql":
        return ("DROP TRIGGER IF EXISTS cadre_counts_update ON cadres",
                "DROP TRIGGER IF EXISTS cadre_counts_insert_delete ON cadres",
                "DROP FUNCTION IF EXISTS cadre_counts_track()")
    return tuple(f"DROP TRIGGER IF EXISTS cadre_counts_{event}"
                 for event in ("insert", "delete", "update"))


def create_after_tables(target, connection, **_kw) -> None:
    """metadata "after_create": the triggers, once `cadres` and `cadre_counts` exist."""
    from sqlalchemy import inspect, text

    names = set(inspect(connection).get_table_names())
    if {"cadres", "cadre_counts"} <= names:
        for statement in statements(connection.dialect.name):
            connection.execute(text(statement))


def drop_function(target, connection, **_kw) -> None:
    """metadata "after_drop": the PostgreSQL function outlives the tables; drop it too."""
    from sqlalchemy import text

    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP FUNCTION IF EXISTS cadre_counts_track()"))
