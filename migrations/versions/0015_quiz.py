"""courses: quizzes that test (questions drawn from a bank, choices shuffled per attempt, a
review setting) and lesson audio

Revision ID: 0015_quiz
Revises: 0014_allowance
Create Date: 2026-12-06

A quiz gets the number of questions drawn per attempt (NULL: all) and what a learner sees after
an attempt (existing quizzes take the default, after_pass_or_last); an attempt keeps what it
showed (the drawn questions and the order of their choices; NULL for older attempts, which
show the quiz as it is); a lesson may point to one of its course's files as its audio.
"""
from alembic import op
import sqlalchemy as sa


revision = "0015_quiz"
down_revision = "0014_allowance"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course_quizzes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draw_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("review_mode", sa.String(length=20), nullable=False,
                                      server_default="after_pass_or_last"))
        batch_op.create_check_constraint("draw_count", "draw_count IS NULL OR draw_count >= 1")
        batch_op.create_check_constraint(
            "review_mode", "review_mode IN ('after_pass_or_last', 'always', 'score_only')")
    with op.batch_alter_table("course_quizzes", schema=None) as batch_op:
        batch_op.alter_column("review_mode", server_default=None)
    with op.batch_alter_table("course_quiz_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("layout", sa.JSON(), nullable=True))
    with op.batch_alter_table("course_lessons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audio_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_course_lessons_audio_id"), ["audio_id"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_course_lessons_audio_id_course_attachments"),
                                    "course_attachments", ["audio_id"], ["id"],
                                    ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("course_lessons", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_course_lessons_audio_id_course_attachments"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_course_lessons_audio_id"))
        batch_op.drop_column("audio_id")
    with op.batch_alter_table("course_quiz_attempts", schema=None) as batch_op:
        batch_op.drop_column("layout")
    with op.batch_alter_table("course_quizzes", schema=None) as batch_op:
        batch_op.drop_constraint("review_mode", type_="check")
        batch_op.drop_constraint("draw_count", type_="check")
        batch_op.drop_column("review_mode")
        batch_op.drop_column("draw_count")
