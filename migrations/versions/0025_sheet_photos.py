"""sheet prints (the cells of every page as drawn) and the photos read from them

Revision ID: 0025_sheet_photos
Revises: 0024_attendance_ops
Create Date: 2026-12-06

Issue #19: each printing of the sign-in sheet is recorded with the box of every signature
cell, so a photo of a signed page is read against the sheet as it was printed; each photo
read is kept, unconfirmed until a person confirms it.
"""
from alembic import op
import sqlalchemy as sa


revision = "0025_sheet_photos"
down_revision = "0024_attendance_ops"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sheet_prints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("session_ids", sa.String(length=2000), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("printed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("pages >= 0", name=op.f("ck_sheet_prints_pages")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"],
                                name=op.f("fk_sheet_prints_class_id_classes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["printed_by_id"], ["users.id"],
                                name=op.f("fk_sheet_prints_printed_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_prints")),
    )
    op.create_index(op.f("ix_sheet_prints_class_id"), "sheet_prints", ["class_id"])
    op.create_table(
        "sheet_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("print_id", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("photo_name", sa.String(length=40), nullable=False),
        sa.Column("photo_sha256", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.Column("read_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('read', 'confirmed')",
                           name=op.f("ck_sheet_readings_status")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"],
                                name=op.f("fk_sheet_readings_class_id_classes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["print_id"], ["sheet_prints.id"],
                                name=op.f("fk_sheet_readings_print_id_sheet_prints"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["read_by_id"], ["users.id"],
                                name=op.f("fk_sheet_readings_read_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["users.id"],
                                name=op.f("fk_sheet_readings_confirmed_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_readings")),
    )
    op.create_index(op.f("ix_sheet_readings_class_id"), "sheet_readings", ["class_id"])
    op.create_index("ix_sheet_readings_print_page", "sheet_readings", ["print_id", "page"])


def downgrade():
    op.drop_index("ix_sheet_readings_print_page", table_name="sheet_readings")
    op.drop_index(op.f("ix_sheet_readings_class_id"), table_name="sheet_readings")
    op.drop_table("sheet_readings")
    op.drop_index(op.f("ix_sheet_prints_class_id"), table_name="sheet_prints")
    op.drop_table("sheet_prints")
