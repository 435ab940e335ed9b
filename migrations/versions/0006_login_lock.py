"""users: a sign-in lock after too many wrong passwords (app/auth/throttle.py)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Plain ALTER TABLE (SQLite 3.35+ drops columns itself): a batch copy of `users` would lose
# the expression index uq_users_username_lower, which SQLAlchemy cannot reflect.
def upgrade():
    op.add_column("users", sa.Column("locked_until", sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column("users", "locked_until")
