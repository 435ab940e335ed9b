"""attendance: a mark per admitted learner per session; scans of the signed sheets

Revision ID: 0010_attendance
Revises: 0009_programs
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


revision = "0010_attendance"
down_revision = "0009_programs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('mime_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_name', sa.String(length=40), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('pdf', 'jpg', 'png')", name=op.f('ck_attendance_evidence_kind')),
    sa.CheckConstraint('size > 0', name=op.f('ck_attendance_evidence_size')),
    sa.ForeignKeyConstraint(['session_id'], ['class_sessions.id'], name=op.f('fk_attendance_evidence_session_id_class_sessions')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attendance_evidence_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attendance_evidence_stored_name'))
    )
    with op.batch_alter_table('attendance_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_evidence_session_id'), ['session_id'], unique=False)

    op.create_table('attendance_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('present', 'late', 'excused', 'absent')", name=op.f('ck_attendance_marks_status')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_attendance_marks_application_id_applications')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_attendance_marks_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['class_sessions.id'], name=op.f('fk_attendance_marks_session_id_class_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_marks')),
    sa.UniqueConstraint('session_id', 'application_id', name='session_application')
    )
    with op.batch_alter_table('attendance_marks', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_marks_application', ['application_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attendance_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_marks_application')

    op.drop_table('attendance_marks')
    with op.batch_alter_table('attendance_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_evidence_session_id'))

    op.drop_table('attendance_evidence')
