"""users: usernames unique without case

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

"""
from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("uq_users_username_lower", "users", [sa.text("lower(username)")],
                    unique=True)


def downgrade():
    op.drop_index("uq_users_username_lower", table_name="users")
