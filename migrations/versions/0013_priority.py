"""classes: seat priority as the plan asks (required roles, village quota, ethnic-minority
weight)

Revision ID: 0013_priority
Revises: 0012_sign_ins
Create Date: 2026-12-06

New columns of the priority policy (allocation.Policy) and a row per required position.
Existing classes keep the policy they were given; the new parts start empty (no required
role, no village quota, ethnic-minority weight 0), which allocates exactly as before.
"""
from alembic import op
import sqlalchemy as sa


revision = "0013_priority"
down_revision = "0012_sign_ins"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight_ethnic_minority", sa.Float(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("min_per_village", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("max_per_village", sa.Integer(), nullable=True))
        batch_op.create_check_constraint("weight_ethnic_minority",
                                         "weight_ethnic_minority >= 0")
        batch_op.create_check_constraint(
            "village_quota",
            "min_per_village >= 0 AND (max_per_village IS NULL OR "
            "(max_per_village >= 1 AND min_per_village <= max_per_village))")
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.alter_column("weight_ethnic_minority", server_default=None)
        batch_op.alter_column("min_per_village", server_default=None)
    op.create_table(
        "class_required_positions",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("position_code", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], ondelete="CASCADE",
                                name=op.f("fk_class_required_positions_class_id_classes")),
        sa.ForeignKeyConstraint(["position_code"], ["positions.code"], onupdate="CASCADE",
                                name=op.f("fk_class_required_positions_position_code_positions")),
        sa.PrimaryKeyConstraint("class_id", "position_code",
                                name=op.f("pk_class_required_positions")),
    )
    op.create_index(op.f("ix_class_required_positions_position_code"),
                    "class_required_positions", ["position_code"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_class_required_positions_position_code"),
                  table_name="class_required_positions")
    op.drop_table("class_required_positions")
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_classes_village_quota"), type_="check")
        batch_op.drop_constraint(op.f("ck_classes_weight_ethnic_minority"), type_="check")
        batch_op.drop_column("max_per_village")
        batch_op.drop_column("min_per_village")
        batch_op.drop_column("weight_ethnic_minority")
