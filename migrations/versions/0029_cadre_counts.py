"""cadre_counts: cadres per commune, position, gender and activity, kept by triggers

Revision ID: 0029_cadre_counts
Revises: 0028_attendance_summary
Create Date: 2026-12-06

The coordinator's home and the cadre list's total counted 100,000 cadres on every request.
The counts are now kept in `cadre_counts`, one row per (commune as recorded, position,
gender, active), by triggers on `cadres` (insert, delete, and an update of one of those four
columns), so that no path that writes cadres (the ORM, the import's Core executemany, a bulk
load, a restore) can leave them behind. The triggers' text is frozen here; the models make
the same (app/people/count_triggers.py) and the tests compare what both do. The cadres
already recorded are counted once.
"""
import sqlalchemy as sa
from alembic import op


revision = "0029_cadre_counts"
down_revision = "0028_attendance_summary"
branch_labels = None
depends_on = None

_ADD = """INSERT INTO cadre_counts (commune_id, position_id, gender, active, n)
VALUES (NEW.commune_id, NEW.position_id, NEW.gender, NEW.active, 1)
ON CONFLICT (commune_id, position_id, gender, active) DO UPDATE SET n = cadre_counts.n + 1"""
_TAKE = """UPDATE cadre_counts SET n = n - 1 WHERE commune_id = OLD.commune_id
AND position_id = OLD.position_id AND gender = OLD.gender AND active = OLD.active"""

SQLITE = (
    f"CREATE TRIGGER cadre_counts_insert AFTER INSERT ON cadres BEGIN {_ADD}; END",
    f"CREATE TRIGGER cadre_counts_delete AFTER DELETE ON cadres BEGIN {_TAKE}; END",
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
    "CREATE TRIGGER cadre_counts_insert_delete AFTER INSERT OR DELETE ON cadres "
    "FOR EACH ROW EXECUTE FUNCTION cadre_counts_track()",
    "CREATE TRIGGER cadre_counts_update AFTER UPDATE OF commune_id, position_id, gender, "
    "active ON cadres FOR EACH ROW WHEN ((OLD.commune_id, OLD.position_id, OLD.gender, "
    "OLD.active) IS DISTINCT FROM (NEW.commune_id, NEW.position_id, NEW.gender, NEW.active)) "
    "EXECUTE FUNCTION cadre_counts_track()",
)


def upgrade():
    op.create_table(
        "cadre_counts",
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.CheckConstraint("n >= 0", name=op.f("ck_cadre_counts_n")),
        sa.ForeignKeyConstraint(["commune_id"], ["units.id"],
                                name=op.f("fk_cadre_counts_commune_id_units")),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"],
                                name=op.f("fk_cadre_counts_position_id_positions")),
        sa.PrimaryKeyConstraint("commune_id", "position_id", "gender", "active",
                                name=op.f("pk_cadre_counts")),
    )
    op.execute("INSERT INTO cadre_counts (commune_id, position_id, gender, active, n) "
               "SELECT commune_id, position_id, gender, active, count(*) FROM cadres "
               "GROUP BY commune_id, position_id, gender, active")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS cadre_counts_update ON cadres")
        op.execute("DROP TRIGGER IF EXISTS cadre_counts_insert_delete ON cadres")
        op.execute("DROP FUNCTION IF EXISTS cadre_counts_track()")
    else:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS cadre_counts_{event}")
    op.drop_table("cadre_counts")
