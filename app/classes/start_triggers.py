"""The database triggers that keep `applications.starts_on`, a copy of the start date of the
application's class, so that a learner's applications are read in their classes' order from
the index on (cadre_id, starts_on, class_id) alone and the database stops at the page (a
learner's list: `classes/queries.py`, `applications_of`). Sorting all of a learner's
applications by their classes' dates to choose a page cost 0.35 ms of SQLite for 2,000
applications, ten times that for 20,000; reading the page from the index, 0.03 ms either way.

Every write goes through them, whatever made it (the ORM, a Core executemany, a bulk load):
an application inserted, or moved to another class, takes its class's start date; a class
whose start date changes gives it to its applications. On SQLite after the row is written (a
trigger cannot change the row being inserted there); on PostgreSQL before.

`statements(dialect)` gives the DDL; the models run it after `create_all` and migration 0033
runs the same text (frozen there, as migrations are; tests/classes/test_list_order.py checks
both databases, made either way, keep the copy).
"""

from __future__ import annotations

SQLITE = (
    "DROP TRIGGER IF EXISTS applications_starts_on_insert",
    "CREATE TRIGGER applications_starts_on_insert AFTER INSERT ON applications "
    "BEGIN UPDATE applications SET starts_on = (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) WHERE id = NEW.id; END",
    "DROP TRIGGER IF EXISTS applications_starts_on_update",
    "CREATE TRIGGER applications_starts_on_update AFTER UPDATE OF class_id, starts_on ON "
    "applications WHEN NEW.starts_on IS NOT (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) "
    "BEGIN UPDATE applications SET starts_on = (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) WHERE id = NEW.id; END",
    "DROP TRIGGER IF EXISTS classes_start_date_applications",
    "CREATE TRIGGER classes_start_date_applications AFTER UPDATE OF start_date ON classes "
    "WHEN OLD.start_date IS NOT NEW.start_date BEGIN UPDATE applications SET starts_on = "
    "NEW.start_date WHERE class_id = NEW.id; END",
)

POSTGRESQL = (
    """CREATE OR REPLACE FUNCTION applications_starts_on() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  NEW.starts_on := (SELECT start_date FROM classes WHERE classes.id = NEW.class_id);
  RETURN NEW;
END $$""",
    "DROP TRIGGER IF EXISTS applications_starts_on ON applications",
    "CREATE TRIGGER applications_starts_on BEFORE INSERT OR UPDATE OF class_id, starts_on ON "
    "applications FOR EACH ROW EXECUTE FUNCTION applications_starts_on()",
    """CREATE OR REPLACE FUNCTION classes_start_date_applications() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE applications SET starts_on = NEW.start_date WHERE class_id = NEW.id;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS classes_start_date_applications ON classes",
    "CREATE TRIGGER classes_start_date_applications AFTER UPDATE OF start_date ON classes "
    "FOR EACH ROW WHEN (OLD.start_date IS DISTINCT FROM NEW.start_date) "
    "EXECUTE FUNCTION classes_start_date_applications()",
)

# The copies of the applications already there (migration 0033; a repair after a bulk load
# made with the triggers off).
FILL = ("UPDATE applications SET starts_on = (SELECT start_date FROM classes "
        "WHERE classes.id = applications.class_id)")


def statements(dialect: str) -> tuple[str, ...]:
    return POSTGRESQL if dialect == "postgresql" else SQLITE


def create_after_tables(target, connection, **_kw) -> None:
    """metadata "after_create": the triggers, once `classes` and `applications` exist."""
    from sqlalchemy import inspect, text

    if {"classes", "applications"} <= set(inspect(connection).get_table_names()):
        for statement in statements(connection.dialect.name):
            connection.execute(text(statement))


def drop_functions(target, connection, **_kw) -> None:
    """metadata "after_drop": the PostgreSQL functions outlive the tables; drop them too."""
    from sqlalchemy import text

    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP FUNCTION IF EXISTS applications_starts_on()"))
        connection.execute(text("DROP FUNCTION IF EXISTS classes_start_date_applications()"))
