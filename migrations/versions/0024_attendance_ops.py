"""attendance operations: every change of a mark with an id made where it was taken

Revision ID: 0024_attendance_ops
Revises: 0023_sort_keys
Create Date: 2026-12-06

Marks taken offline on a phone reach the server later as operations (app/attendance/ops.py);
the form pages make operations too. A mark names the operations whose status and note it
shows; marks saved before this revision name none and rank below every operation.
"""
from alembic import op
import sqlalchemy as sa


revision = "0024_attendance_ops"
down_revision = "0023_sort_keys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attendance_ops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("effective_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("base_op_id", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.String(length=300), nullable=True),
        sa.Column("decision", sa.String(length=10), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IS NULL OR status IN ('present', 'late', 'excused', 'absent')",
                           name=op.f("ck_attendance_ops_status")),
        sa.CheckConstraint("status IS NOT NULL OR note IS NOT NULL",
                           name=op.f("ck_attendance_ops_changes_something")),
        sa.CheckConstraint("source IN ('phone', 'form', 'photo')",
                           name=op.f("ck_attendance_ops_source")),
        sa.CheckConstraint("outcome IN ('applied', 'superseded', 'pending')",
                           name=op.f("ck_attendance_ops_outcome")),
        sa.CheckConstraint("decision IS NULL OR decision IN ('approved', 'declined')",
                           name=op.f("ck_attendance_ops_decision")),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_attendance_ops_application_id_applications")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_attendance_ops_decided_by_id_users")),
        sa.ForeignKeyConstraint(["session_id"], ["class_sessions.id"],
                                name=op.f("fk_attendance_ops_session_id_class_sessions")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_attendance_ops_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_ops")),
        sa.UniqueConstraint("op_id", name=op.f("uq_attendance_ops_op_id")),
    )
    op.create_index("ix_attendance_ops_session_application", "attendance_ops",
                    ["session_id", "application_id"], unique=False)
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_op_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("note_op_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_attendance_marks_status_op_id_attendance_ops"),
                                    "attendance_ops", ["status_op_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_attendance_marks_note_op_id_attendance_ops"),
                                    "attendance_ops", ["note_op_id"], ["id"])


def downgrade():
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_attendance_marks_note_op_id_attendance_ops"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_attendance_marks_status_op_id_attendance_ops"),
                                 type_="foreignkey")
        batch_op.drop_column("note_op_id")
        batch_op.drop_column("status_op_id")
    op.drop_index("ix_attendance_ops_session_application", table_name="attendance_ops")
    op.drop_table("attendance_ops")
