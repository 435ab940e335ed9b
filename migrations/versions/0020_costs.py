"""class_costs: a class's budget and spending per line and funding source

Revision ID: 0020_costs
Revises: 0019_two_factor
Create Date: 2026-12-06

One row per class and line (app/costs/models.py); amounts in whole đồng.
"""
from alembic import op
import sqlalchemy as sa


revision = "0020_costs"
down_revision = "0019_two_factor"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "class_costs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(length=20), nullable=False),
        sa.Column("funding_source_id", sa.Integer(), nullable=True),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("spent", sa.BigInteger(), nullable=False),
        sa.Column("per_session", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("budget >= 0 AND spent >= 0", name=op.f("ck_class_costs_amounts")),
        sa.CheckConstraint("line IN ('trainer', 'materials', 'hall', 'water', 'stationery', "
                           "'meal', 'travel', 'other')", name=op.f("ck_class_costs_line")),
        sa.CheckConstraint("per_session IS NULL OR per_session >= 0",
                           name=op.f("ck_class_costs_per_session")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"],
                                name=op.f("fk_class_costs_class_id_classes"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["funding_source_id"], ["funding_sources.id"],
                                name=op.f("fk_class_costs_funding_source_id_funding_sources")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_class_costs_updated_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_costs")),
        sa.UniqueConstraint("class_id", "line", name="uq_class_costs_class_line"),
    )
    op.create_index(op.f("ix_class_costs_funding_source_id"), "class_costs",
                    ["funding_source_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_class_costs_funding_source_id"), table_name="class_costs")
    op.drop_table("class_costs")
