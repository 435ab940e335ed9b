"""courses: import fingerprint; quiz attempts tied to their quiz, one open attempt per learner

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN_ONLY = sa.text("submitted_at IS NULL")


def upgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("import_version", sa.Integer(), nullable=True))

    with op.batch_alter_table("course_quiz_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiz_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_course_quiz_attempts_quiz_id", ["quiz_id"], unique=False)
        batch_op.create_foreign_key("fk_course_quiz_attempts_quiz_id_course_quizzes",
                                    "course_quizzes", ["quiz_id"], ["id"], ondelete="SET NULL")

    # Existing attempts belong to their course's (only) quiz.
    op.execute(
        "UPDATE course_quiz_attempts SET quiz_id = ("
        " SELECT q.id FROM course_quizzes q JOIN course_enrollments e ON e.course_id = q.course_id"
        " WHERE e.id = course_quiz_attempts.enrollment_id)")
    # At most one open attempt per enrolment: older duplicates were never submitted and
    # count for nothing, so the newest open one is kept.
    op.execute(
        "DELETE FROM course_quiz_attempts WHERE submitted_at IS NULL AND id < ("
        " SELECT MAX(a.id) FROM course_quiz_attempts a"
        " WHERE a.enrollment_id = course_quiz_attempts.enrollment_id"
        " AND a.submitted_at IS NULL)")
    op.create_index("uq_course_quiz_attempts_open", "course_quiz_attempts", ["enrollment_id"],
                    unique=True, sqlite_where=OPEN_ONLY, postgresql_where=OPEN_ONLY)


def downgrade():
    op.drop_index("uq_course_quiz_attempts_open", table_name="course_quiz_attempts",
                  sqlite_where=OPEN_ONLY, postgresql_where=OPEN_ONLY)
    with op.batch_alter_table("course_quiz_attempts", schema=None) as batch_op:
        batch_op.drop_constraint("fk_course_quiz_attempts_quiz_id_course_quizzes",
                                 type_="foreignkey")
        batch_op.drop_index("ix_course_quiz_attempts_quiz_id")
        batch_op.drop_column("quiz_id")

    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("import_version")
        batch_op.drop_column("import_hash")
