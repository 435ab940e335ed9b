"""table_versions: each table's version, replaced by every committed write to it, so that a
page's body can be kept while none of the tables it was made from has changed

Revision ID: 0034_table_versions
Revises: 0033_applications_starts_on
Create Date: 2026-12-07

The rows are written by the app at each commit (app/core/table_versions.py); a table never
written since has no row, which a kept page reads as a version of its own (a first write adds
the row and so changes it).
"""
import sqlalchemy as sa
from alembic import op


revision = "0034_table_versions"
down_revision = "0033_applications_starts_on"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "table_versions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_table_versions")),
    )


def downgrade():
    op.drop_table("table_versions")
