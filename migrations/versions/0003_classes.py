"""classes: sessions, trainers, invited units, applications; organisation settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('org_settings',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('parent_body', sa.String(length=200), nullable=False),
    sa.Column('issuing_body', sa.String(length=200), nullable=False),
    sa.Column('issuing_office', sa.String(length=200), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('number_suffix', sa.String(length=30), nullable=False),
    sa.Column('signer_authority', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_org_settings_single_row')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_org_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_settings'))
    )
    op.create_table('classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('search_text', sa.String(length=450), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('admitted_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('apply_from', sa.Date(), nullable=True),
    sa.Column('apply_until', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('min_attendance_pct', sa.Integer(), nullable=False),
    sa.Column('quiz_required', sa.Boolean(), nullable=False),
    sa.Column('daily_rate', sa.Integer(), nullable=False),
    sa.Column('min_women_share', sa.Float(), nullable=False),
    sa.Column('max_per_unit', sa.Integer(), nullable=True),
    sa.Column('weight_woman', sa.Float(), nullable=False),
    sa.Column('weight_village_leader', sa.Float(), nullable=False),
    sa.Column('weight_not_trained', sa.Float(), nullable=False),
    sa.Column('allocated_at', sa.DateTime(), nullable=True),
    sa.Column('allocated_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'open', 'allocated', 'running', 'finished', 'cancelled')", name=op.f('ck_classes_status')),
    sa.CheckConstraint('admitted_count >= 0 AND admitted_count <= capacity', name=op.f('ck_classes_admitted_count')),
    sa.CheckConstraint('apply_until IS NULL OR apply_from IS NULL OR apply_until >= apply_from', name=op.f('ck_classes_apply_window')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_classes_capacity')),
    sa.CheckConstraint('daily_rate >= 0', name=op.f('ck_classes_daily_rate')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_classes_dates')),
    sa.CheckConstraint('max_per_unit IS NULL OR max_per_unit >= 1', name=op.f('ck_classes_max_per_unit')),
    sa.CheckConstraint('min_attendance_pct BETWEEN 0 AND 100', name=op.f('ck_classes_min_attendance_pct')),
    sa.CheckConstraint('min_women_share >= 0 AND min_women_share <= 1', name=op.f('ck_classes_min_women_share')),
    sa.CheckConstraint('weight_woman >= 0 AND weight_village_leader >= 0 AND weight_not_trained >= 0', name=op.f('ck_classes_weights')),
    sa.ForeignKeyConstraint(['allocated_by_id'], ['users.id'], name=op.f('fk_classes_allocated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_classes_course_id_courses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_classes_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classes')),
    sa.UniqueConstraint('code', name=op.f('uq_classes_code'))
    )
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_classes_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_classes_status_start', ['status', 'start_date'], unique=False)
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('cadre_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('waitlist_rank', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(status = 'waitlisted') = (waitlist_rank IS NOT NULL)", name=op.f('ck_applications_waitlist_rank')),
    sa.CheckConstraint("source IN ('self', 'nominated', 'imported')", name=op.f('ck_applications_source')),
    sa.CheckConstraint("status IN ('applied', 'admitted', 'waitlisted', 'withdrawn', 'rejected')", name=op.f('ck_applications_status')),
    sa.CheckConstraint('waitlist_rank IS NULL OR waitlist_rank >= 1', name=op.f('ck_applications_waitlist_rank_min')),
    sa.ForeignKeyConstraint(['cadre_id'], ['cadres.id'], name=op.f('fk_applications_cadre_id_cadres')),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_applications_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_applications_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('class_id', 'cadre_id', name='class_cadre')
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_cadre_id'), ['cadre_id'], unique=False)
        batch_op.create_index('ix_applications_class_status', ['class_id', 'status'], unique=False)
    op.create_table('class_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('part', sa.String(length=10), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('ends_at', sa.Time(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.CheckConstraint("part IN ('morning', 'afternoon')", name=op.f('ck_class_sessions_part')),
    sa.CheckConstraint('starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_class_sessions_times')),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_sessions_class_id_classes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_sessions')),
    sa.UniqueConstraint('class_id', 'date', 'part', name='class_date_part')
    )
    with op.batch_alter_table('class_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_sessions_class_id'), ['class_id'], unique=False)
    op.create_table('class_trainers',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_trainers_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_class_trainers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('class_id', 'user_id', name=op.f('pk_class_trainers'))
    )
    with op.batch_alter_table('class_trainers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_trainers_user_id'), ['user_id'], unique=False)
    op.create_table('class_units',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_units_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_class_units_unit_id_units')),
    sa.PrimaryKeyConstraint('class_id', 'unit_id', name=op.f('pk_class_units'))
    )
    with op.batch_alter_table('class_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_units_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('class_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_units_unit_id'))
    op.drop_table('class_units')
    with op.batch_alter_table('class_trainers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_trainers_user_id'))
    op.drop_table('class_trainers')
    with op.batch_alter_table('class_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_sessions_class_id'))
    op.drop_table('class_sessions')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_class_status')
        batch_op.drop_index(batch_op.f('ix_applications_cadre_id'))
    op.drop_table('applications')
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_index('ix_classes_status_start')
        batch_op.drop_index(batch_op.f('ix_classes_course_id'))
    op.drop_table('classes')
    op.drop_table('org_settings')
