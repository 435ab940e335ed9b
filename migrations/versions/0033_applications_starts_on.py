"""applications and class_trainers: a copy of the class's start date, kept by triggers, and
the indexes by cadre and by trainer in the classes' order (cadre_id / user_id, starts_on,
class_id)

Revision ID: 0033_applications_starts_on
Revises: 0032_applications_cadre_class
Create Date: 2026-12-06

A learner's class list (and home page) shows their applications the latest class first, 50 to
a page: the database read all of the learner's applications, looked each one's class up for
its date and sorted them to choose the page (2,000 applications: 0.35 ms of SQLite; ten times
that for 20,000). Each application now holds its class's start date (`starts_on`), kept by
triggers on `applications` (insert, a change of class) and on `classes` (a change of start
date), so that no path that writes (the ORM, a Core executemany, a bulk load) leaves it
behind; the index (cadre_id, starts_on, class_id) gives the page in order and the database
stops there (0.03 ms). It replaces ix_applications_cadre_class, of which it is an extension
for every use by cadre. A trainer's class list the same: `class_trainers` holds the date too
(its insert and change of class; the classes' trigger updates both), and (user_id, starts_on,
class_id) replaces ix_class_trainers_user_id (a trainer's 2,000 classes: 0.6 ms to sort). The triggers' text is frozen here; the models make the same
(app/classes/start_triggers.py) and the tests compare what both do.
"""
import sqlalchemy as sa
from alembic import op


revision = "0033_applications_starts_on"
down_revision = "0032_applications_cadre_class"
branch_labels = None
depends_on = None

SQLITE = (
    "CREATE TRIGGER applications_starts_on_insert AFTER INSERT ON applications "
    "BEGIN UPDATE applications SET starts_on = (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) WHERE id = NEW.id; END",
    "CREATE TRIGGER applications_starts_on_update AFTER UPDATE OF class_id, starts_on ON "
    "applications WHEN NEW.starts_on IS NOT (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) "
    "BEGIN UPDATE applications SET starts_on = (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) WHERE id = NEW.id; END",
    "CREATE TRIGGER class_trainers_starts_on_insert AFTER INSERT ON class_trainers "
    "BEGIN UPDATE class_trainers SET starts_on = (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) WHERE class_id = NEW.class_id AND user_id = NEW.user_id; "
    "END",
    "CREATE TRIGGER class_trainers_starts_on_update AFTER UPDATE OF class_id, starts_on ON "
    "class_trainers WHEN NEW.starts_on IS NOT (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) "
    "BEGIN UPDATE class_trainers SET starts_on = (SELECT start_date FROM classes "
    "WHERE classes.id = NEW.class_id) WHERE class_id = NEW.class_id AND user_id = NEW.user_id; "
    "END",
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
    "CREATE TRIGGER applications_starts_on BEFORE INSERT OR UPDATE OF class_id, starts_on ON "
    "applications FOR EACH ROW EXECUTE FUNCTION applications_starts_on()",
    """CREATE OR REPLACE FUNCTION class_trainers_starts_on() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  NEW.starts_on := (SELECT start_date FROM classes WHERE classes.id = NEW.class_id);
  RETURN NEW;
END $$""",
    "CREATE TRIGGER class_trainers_starts_on BEFORE INSERT OR UPDATE OF class_id, starts_on "
    "ON class_trainers FOR EACH ROW EXECUTE FUNCTION class_trainers_starts_on()",
    """CREATE OR REPLACE FUNCTION classes_start_date_copies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE applications SET starts_on = NEW.start_date WHERE class_id = NEW.id;
  UPDATE class_trainers SET starts_on = NEW.start_date WHERE class_id = NEW.id;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER classes_start_date_copies AFTER UPDATE OF start_date ON classes "
    "FOR EACH ROW WHEN (OLD.start_date IS DISTINCT FROM NEW.start_date) "
    "EXECUTE FUNCTION classes_start_date_copies()",
)


def upgrade():
    op.add_column("applications", sa.Column("starts_on", sa.Date(), nullable=True))
    op.add_column("class_trainers", sa.Column("starts_on", sa.Date(), nullable=True))
    for table in ("applications", "class_trainers"):
        op.execute(f"UPDATE {table} SET starts_on = (SELECT start_date FROM classes "  # noqa: S608
                   f"WHERE classes.id = {table}.class_id)")
    op.create_index("ix_applications_cadre_starts", "applications",
                    ["cadre_id", "starts_on", "class_id"])
    op.drop_index("ix_applications_cadre_class", table_name="applications")
    op.create_index("ix_class_trainers_user_starts", "class_trainers",
                    ["user_id", "starts_on", "class_id"])
    op.drop_index("ix_class_trainers_user_id", table_name="class_trainers")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS classes_start_date_copies ON classes")
        op.execute("DROP TRIGGER IF EXISTS applications_starts_on ON applications")
        op.execute("DROP TRIGGER IF EXISTS class_trainers_starts_on ON class_trainers")
        for function in ("classes_start_date_copies", "applications_starts_on",
                         "class_trainers_starts_on"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for name in ("applications_starts_on_insert", "applications_starts_on_update",
                     "class_trainers_starts_on_insert", "class_trainers_starts_on_update",
                     "classes_start_date_copies"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.create_index("ix_applications_cadre_class", "applications", ["cadre_id", "class_id"])
    op.drop_index("ix_applications_cadre_starts", table_name="applications")
    op.create_index("ix_class_trainers_user_id", "class_trainers", ["user_id"])
    op.drop_index("ix_class_trainers_user_starts", table_name="class_trainers")
    for table in ("applications", "class_trainers"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("starts_on")
