"""core: one-time tokens of create forms (a double tap creates nothing twice)

Revision ID: 0017_hardening
Revises: 0016_certificates
Create Date: 2026-12-06

A create form carries a random token; the token of a saved form is kept two days with the
address the form led to (app/core/once.py), under a primary key, so a second submission of the
same form is recognised even when both arrive at the same moment.
"""
from alembic import op
import sqlalchemy as sa


revision = "0017_hardening"
down_revision = "0016_certificates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_tokens",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_form_tokens")),
    )
    with op.batch_alter_table("form_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_tokens_at"), ["at"], unique=False)


def downgrade():
    with op.batch_alter_table("form_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_tokens_at"))
    op.drop_table("form_tokens")
