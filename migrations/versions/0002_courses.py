"""courses: lessons, attachments, quizzes, trainers, enrolments, progress, attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('audience', sa.Text(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('description_md', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('description_hash', sa.String(length=64), nullable=False),
    sa.Column('published_hash', sa.String(length=64), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'archived')", name=op.f('ck_courses_status')),
    sa.CheckConstraint('hours IS NULL OR (hours > 0 AND hours <= 999)', name=op.f('ck_courses_hours')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_courses_version')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_courses_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('code', name=op.f('uq_courses_code')),
    sa.UniqueConstraint('slug', name=op.f('uq_courses_slug'))
    )
    op.create_table('course_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('size >= 0', name=op.f('ck_course_attachments_size')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_attachments_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_course_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_attachments')),
    sa.UniqueConstraint('course_id', 'filename', name=op.f('uq_course_attachments_course_id')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_course_attachments_stored_name'))
    )
    with op.batch_alter_table('course_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_attachments_course_id'), ['course_id'], unique=False)
    op.create_table('course_lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('html_cache', sa.Text(), nullable=False),
    sa.Column('html_hash', sa.String(length=64), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('position >= 1', name=op.f('ck_course_lessons_position')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_lessons_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_lessons')),
    sa.UniqueConstraint('course_id', 'slug', name=op.f('uq_course_lessons_course_id'))
    )
    with op.batch_alter_table('course_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_lessons_course_id'), ['course_id'], unique=False)
    op.create_table('course_quizzes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_attempts >= 1', name=op.f('ck_course_quizzes_max_attempts')),
    sa.CheckConstraint('pass_mark BETWEEN 0 AND 100', name=op.f('ck_course_quizzes_pass_mark')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_quizzes_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_quizzes')),
    sa.UniqueConstraint('course_id', name=op.f('uq_course_quizzes_course_id'))
    )
    op.create_table('course_trainers',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_trainers_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_trainers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'user_id', name=op.f('pk_course_trainers'))
    )
    with op.batch_alter_table('course_trainers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_trainers_user_id'), ['user_id'], unique=False)
    op.create_table('course_enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('last_lesson_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_enrollments_course_id_courses')),
    sa.ForeignKeyConstraint(['last_lesson_id'], ['course_lessons.id'], name=op.f('fk_course_enrollments_last_lesson_id_course_lessons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_enrollments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_enrollments')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_course_enrollments_course_id'))
    )
    with op.batch_alter_table('course_enrollments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_enrollments_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_enrollments_user_id'), ['user_id'], unique=False)
    op.create_table('course_quiz_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.CheckConstraint('position >= 1', name=op.f('ck_course_quiz_questions_position')),
    sa.ForeignKeyConstraint(['quiz_id'], ['course_quizzes.id'], name=op.f('fk_course_quiz_questions_quiz_id_course_quizzes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_quiz_questions'))
    )
    with op.batch_alter_table('course_quiz_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_quiz_questions_quiz_id'), ['quiz_id'], unique=False)
    op.create_table('course_lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['course_enrollments.id'], name=op.f('fk_course_lesson_progress_enrollment_id_course_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['course_lessons.id'], name=op.f('fk_course_lesson_progress_lesson_id_course_lessons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_lesson_progress')),
    sa.UniqueConstraint('enrollment_id', 'lesson_id', name=op.f('uq_course_lesson_progress_enrollment_id'))
    )
    with op.batch_alter_table('course_lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_lesson_progress_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_lesson_progress_lesson_id'), ['lesson_id'], unique=False)
    op.create_table('course_quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('course_version', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('question_count', sa.Integer(), nullable=False),
    sa.Column('correct_count', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.CheckConstraint('question_count >= 0', name=op.f('ck_course_quiz_attempts_question_count')),
    sa.CheckConstraint('score IS NULL OR score BETWEEN 0 AND 100', name=op.f('ck_course_quiz_attempts_score')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['course_enrollments.id'], name=op.f('fk_course_quiz_attempts_enrollment_id_course_enrollments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_quiz_attempts')),
    sa.UniqueConstraint('token', name=op.f('uq_course_quiz_attempts_token'))
    )
    with op.batch_alter_table('course_quiz_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_quiz_attempts_enrollment_id'), ['enrollment_id'], unique=False)
    op.create_table('course_quiz_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.CheckConstraint('position >= 1', name=op.f('ck_course_quiz_choices_position')),
    sa.ForeignKeyConstraint(['question_id'], ['course_quiz_questions.id'], name=op.f('fk_course_quiz_choices_question_id_course_quiz_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_quiz_choices'))
    )
    with op.batch_alter_table('course_quiz_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_quiz_choices_question_id'), ['question_id'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('course_quiz_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_quiz_choices_question_id'))
    op.drop_table('course_quiz_choices')
    with op.batch_alter_table('course_quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_quiz_attempts_enrollment_id'))
    op.drop_table('course_quiz_attempts')
    with op.batch_alter_table('course_lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_lesson_progress_lesson_id'))
        batch_op.drop_index(batch_op.f('ix_course_lesson_progress_enrollment_id'))
    op.drop_table('course_lesson_progress')
    with op.batch_alter_table('course_quiz_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_quiz_questions_quiz_id'))
    op.drop_table('course_quiz_questions')
    with op.batch_alter_table('course_enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_enrollments_user_id'))
        batch_op.drop_index(batch_op.f('ix_course_enrollments_course_id'))
    op.drop_table('course_enrollments')
    with op.batch_alter_table('course_trainers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_trainers_user_id'))
    op.drop_table('course_trainers')
    op.drop_table('course_quizzes')
    with op.batch_alter_table('course_lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_lessons_course_id'))
    op.drop_table('course_lessons')
    with op.batch_alter_table('course_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_attachments_course_id'))
    op.drop_table('course_attachments')
    op.drop_table('courses')
    # ### end Alembic commands ###
