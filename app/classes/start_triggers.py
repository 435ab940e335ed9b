"""The database triggers that keep `starts_on`, a copy of the class's start date, on
`applications` and on `class_trainers`, so that a learner's applications and a trainer's
classes are read in the classes' order from an index alone ((cadre_id, starts_on, class_id),
(user_id, starts_on, class_id)) and the database stops at the page (`classes/queries.py`,
`applications_of`, `taught`). Sorting all of a learner's 2,000 applications (or a trainer's
2,000 classes) by their classes' dates to choose a page cost 0.35 ms (0.6 ms) of SQLite, ten
times that for 20,000; reading the page from the index, 0.03 ms either way.

Every write goes through them, whatever made it (the ORM, a Core executemany, a bulk load):
an application or a trainer's assignment inserted, or moved to another class, takes its
class's start date; a class whose start date changes gives it to both. On SQLite after the
row is written (a trigger cannot change the row being inserted there); on PostgreSQL before.

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
    "DROP TRIGGER IF EXISTS class_trainers_starts_on_insert",
    "CREATE TRIGGER class_trainers_starts_on_insert AFTER INSERT ON class_trainers "
    "BEGIN UPDATE class_trainers SET starts_on = (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) WHERE class_id = NEW.class_id AND user_id = NEW.user_id; "
    "END",
    "DROP TRIGGER IF EXISTS class_trainers_starts_on_update",
    "CREATE TRIGGER class_trainers_starts_on_update AFTER UPDATE OF class_id, starts_on ON "
    "class_trainers WHEN NEW.starts_on IS NOT (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) "
    "BEGIN UPDATE class_trainers SET starts_on = (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) WHERE class_id = NEW.class_id AND user_id = NEW.user_id; "
    "END",
    "DROP TRIGGER IF EXISTS classes_start_date_copies",
    "CREATE TRIGGER classes_start_date_copies AFTER UPDATE OF start_date ON classes "
    "WHEN OLD.start_date IS NOT NEW.start_date BEGIN UPDATE applications SET starts_on = "
    "NEW.start_date WHERE class_id = NEW.id; UPDATE class_trainers SET starts_on = "
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
    """CREATE OR REPLACE FUNCTION class_trainers_starts_on() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  NEW.starts_on := (SELECT start_date FROM classes WHERE classes.id = NEW.class_id);
  RETURN NEW;
END $$""",
    "DROP TRIGGER IF EXISTS class_trainers_starts_on ON class_trainers",
    "CREATE TRIGGER class_trainers_starts_on BEFORE INSERT OR UPDATE OF class_id, starts_on "
    "ON class_trainers FOR EACH ROW EXECUTE FUNCTION class_trainers_starts_on()",
    """CREATE OR REPLACE FUNCTION classes_start_date_copies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE applications SET starts_on = NEW.start_date WHERE class_id = NEW.id;
  UPDATE class_trainers SET starts_on = NEW.start_date WHERE class_id = NEW.id;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS classes_start_date_copies ON classes",
    "CREATE TRIGGER classes_start_date_copies AFTER UPDATE OF start_date ON classes "
    "FOR EACH ROW WHEN (OLD.start_date IS DISTINCT FROM NEW.start_date) "
    "EXECUTE FUNCTION classes_start_date_copies()",
)

# The copies of the applications already there (migration 0033; a repair after a bulk load
# made with the triggers off).
FILL = tuple(f"UPDATE {table} SET starts_on = (SELECT start_date FROM classes "  # noqa: S608
             f"WHERE classes.id = {table}.class_id)"
             for table in ("applications", "class_trainers"))


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
        for function in ("applications_starts_on", "class_trainers_starts_on",
                         "classes_start_date_copies"):
            connection.execute(text(f"DROP FUNCTION IF EXISTS {function}()"))
