"""programs as data: programs, components, activity types, funding sources, plans, each with
its validity; classes record them (nullable: existing classes keep NULL, because the reference
rows only exist once `flask setup` has loaded them; `flask setup --assign-programs` then gives
each class the one program in force on its dates)

Revision ID: 0009_programs
Revises: 0008_positions
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


revision = "0009_programs"
down_revision = "0008_positions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name=op.f('ck_activity_types_validity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_types')),
    sa.UniqueConstraint('code', name=op.f('uq_activity_types_code')),
    sa.UniqueConstraint('name', name=op.f('uq_activity_types_name'))
    )
    op.create_table('funding_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name=op.f('ck_funding_sources_validity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_sources')),
    sa.UniqueConstraint('code', name=op.f('uq_funding_sources_code')),
    sa.UniqueConstraint('name', name=op.f('uq_funding_sources_name'))
    )
    op.create_table('programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('short_name', sa.String(length=120), nullable=False),
    sa.Column('legal_basis', sa.String(length=300), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name=op.f('ck_programs_validity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs')),
    sa.UniqueConstraint('code', name=op.f('uq_programs_code')),
    sa.UniqueConstraint('name', name=op.f('uq_programs_name')),
    sa.UniqueConstraint('short_name', name=op.f('uq_programs_short_name'))
    )
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name=op.f('ck_plans_validity')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_plans_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('number', 'issued_on', 'issuer', name='uq_plans_number_date_issuer')
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_program_id'), ['program_id'], unique=False)

    op.create_table('program_components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name=op.f('ck_program_components_validity')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_components_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_components')),
    sa.UniqueConstraint('program_id', 'code', name='uq_program_components_program_code')
    )
    with op.batch_alter_table('program_components', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_components_program_id'), ['program_id'], unique=False)

    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('component_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('activity_type_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('funding_source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_classes_activity_type_id'), ['activity_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_classes_component_id'), ['component_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_classes_funding_source_id'), ['funding_source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_classes_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_classes_program_id'), ['program_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_classes_plan_id_plans'), 'plans', ['plan_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_classes_component_id_program_components'), 'program_components', ['component_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_classes_funding_source_id_funding_sources'), 'funding_sources', ['funding_source_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_classes_activity_type_id_activity_types'), 'activity_types', ['activity_type_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_classes_program_id_programs'), 'programs', ['program_id'], ['id'])



def downgrade():
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_classes_program_id_programs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_classes_activity_type_id_activity_types'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_classes_funding_source_id_funding_sources'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_classes_component_id_program_components'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_classes_plan_id_plans'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_classes_program_id'))
        batch_op.drop_index(batch_op.f('ix_classes_plan_id'))
        batch_op.drop_index(batch_op.f('ix_classes_funding_source_id'))
        batch_op.drop_index(batch_op.f('ix_classes_component_id'))
        batch_op.drop_index(batch_op.f('ix_classes_activity_type_id'))
        batch_op.drop_column('plan_id')
        batch_op.drop_column('funding_source_id')
        batch_op.drop_column('activity_type_id')
        batch_op.drop_column('component_id')
        batch_op.drop_column('program_id')

    with op.batch_alter_table('program_components', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_components_program_id'))

    op.drop_table('program_components')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_program_id'))

    op.drop_table('plans')
    op.drop_table('programs')
    op.drop_table('funding_sources')
    op.drop_table('activity_types')
