"""users: the name's Vietnamese sort key and a folded search text, stored with the account

Revision ID: 0023_sort_keys
Revises: 0022_api_tokens
Create Date: 2026-12-06

The account list (and every list of accounts: trainers to choose, the audit log's people)
orders by `users.sort_key` and searches `users.search_text` in SQL, paged there, instead of
loading every account and sorting in Python. Both are filled on every write
(`app/auth/models.py`, `_fill_keys`); this revision fills them for the existing accounts with
the same functions.
"""
from alembic import op
import sqlalchemy as sa

from app.vietnamese import fold, name_sort_key


revision = "0023_sort_keys"
down_revision = "0022_api_tokens"
branch_labels = None
depends_on = None

SORT_KEY = sa.String(length=255).with_variant(sa.String(length=255, collation="C"), "postgresql")


# No batch copy of `users` on SQLite: it would lose the expression index uq_users_username_lower
# (as 0006 and 0018). A NOT NULL column with a default is added in place on both databases.
def upgrade():
    op.add_column("users", sa.Column("sort_key", SORT_KEY, nullable=False, server_default=""))
    op.add_column("users", sa.Column("search_text", sa.String(length=400), nullable=False,
                                     server_default=""))
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("full_name", sa.String),
                     sa.column("username", sa.String), sa.column("phone", sa.String),
                     sa.column("sort_key", sa.String), sa.column("search_text", sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(users.c.id, users.c.full_name, users.c.username,
                                  users.c.phone)).all()
    for row in rows:
        bind.execute(users.update().where(users.c.id == row.id).values(
            sort_key=name_sort_key(row.full_name),
            search_text=fold(f"{row.full_name or ''} {row.username or ''} {row.phone or ''}")))
    op.create_index("ix_users_sort_key", "users", ["sort_key"], unique=False)


def downgrade():
    op.drop_index("ix_users_sort_key", table_name="users")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("users", schema=None) as batch_op:
            batch_op.drop_column("search_text")
            batch_op.drop_column("sort_key")
        op.execute("DROP INDEX IF EXISTS uq_users_username_lower")
        op.create_index("uq_users_username_lower", "users", [sa.text("lower(username)")],
                        unique=True)
    else:
        op.drop_column("users", "search_text")
        op.drop_column("users", "sort_key")
