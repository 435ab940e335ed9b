"""users: the unit a coordinator works for (their scope)

Revision ID: 0018_access
Revises: 0017_hardening
Create Date: 2026-12-06

A coordinator's scope follows their unit (app/people/scope.py): a commune coordinator sees
that commune's cadres and classes, a provincial one all. Existing accounts get no unit, which
means the whole province: nobody loses what they saw before.
"""
from alembic import op
import sqlalchemy as sa


revision = "0018_access"
down_revision = "0017_hardening"
branch_labels = None
depends_on = None


# No batch copy of `users` on SQLite: it would lose the expression index
# uq_users_username_lower, which SQLAlchemy cannot reflect (as 0006). SQLite adds a column
# with its REFERENCES clause in place; the downgrade copies the table and makes the index again.
# No ON DELETE: units are retired, never deleted (and SQLite would not reflect it back).
def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users ADD COLUMN unit_id INTEGER CONSTRAINT "
                   "fk_users_unit_id_units REFERENCES units (id)")
    else:
        op.add_column("users", sa.Column("unit_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_users_unit_id_units", "users", "units", ["unit_id"], ["id"])
    op.create_index("ix_users_unit_id", "users", ["unit_id"], unique=False)


def downgrade():
    op.drop_index("ix_users_unit_id", table_name="users")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("users", schema=None) as batch_op:
            batch_op.drop_column("unit_id")
        op.execute("DROP INDEX IF EXISTS uq_users_username_lower")
        op.create_index("uq_users_username_lower", "users", [sa.text("lower(username)")],
                        unique=True)
    else:
        op.drop_constraint("fk_users_unit_id_units", "users", type_="foreignkey")
        op.drop_column("users", "unit_id")
