"""certificates: the certificates (frozen at issue, revocable, reissued), the per-issuer,
per-year counters that number them, the trainer's confirmation of a class's results; the
certificate settings (number pattern, signer) in the organisation settings

The settings row, when there is one, gets the default pattern "{số}/GCN-UBND" and no
certificate signer of its own (the papers' signer signs).

Revision ID: 0016_certificates
Revises: 0015_quiz
Create Date: 2026-12-06 09:32:26.859214

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_certificates'
down_revision = "0015_quiz"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer_key', sa.String(length=120), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.CheckConstraint('last_number >= 0', name=op.f('ck_certificate_counters_last_number')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_counters')),
    sa.UniqueConstraint('issuer_key', 'year', name=op.f('uq_certificate_counters_issuer_key'))
    )
    op.create_table('certificate_confirmations',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('eligible_ids', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_certificate_confirmations_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_certificate_confirmations_confirmed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('class_id', name=op.f('pk_certificate_confirmations'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('cadre_id', sa.Integer(), nullable=False),
    sa.Column('issuer_key', sa.String(length=120), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('holder_name', sa.String(length=120), nullable=False),
    sa.Column('holder_gender', sa.String(length=1), nullable=False),
    sa.Column('holder_birth', sa.String(length=10), nullable=False),
    sa.Column('holder_unit', sa.String(length=300), nullable=False),
    sa.Column('class_code', sa.String(length=30), nullable=False),
    sa.Column('class_title', sa.String(length=200), nullable=False),
    sa.Column('class_place', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('issuer_lines', sa.JSON(), nullable=False),
    sa.Column('issuer_name', sa.String(length=300), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('signer_authority', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=120), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("holder_gender IN ('F', 'M')", name=op.f('ck_certificates_holder_gender')),
    sa.CheckConstraint('replaced_by_id IS NULL OR revoked_at IS NOT NULL', name=op.f('ck_certificates_replaced')),
    sa.CheckConstraint('revoked_at IS NULL OR revoke_reason IS NOT NULL', name=op.f('ck_certificates_revoke_reason')),
    sa.CheckConstraint('seq >= 1', name=op.f('ck_certificates_seq')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_certificates_application_id_applications')),
    sa.ForeignKeyConstraint(['cadre_id'], ['cadres.id'], name=op.f('fk_certificates_cadre_id_cadres')),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_certificates_class_id_classes')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['certificates.id'], name=op.f('fk_certificates_replaced_by_id_certificates')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('issuer_key', 'year', 'seq', name=op.f('uq_certificates_issuer_key'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_cadre_id'), ['cadre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_class_id'), ['class_id'], unique=False)
        batch_op.create_index('ix_certificates_issued_on', ['issued_on'], unique=False)
        batch_op.create_index('uq_certificates_in_force', ['application_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    with op.batch_alter_table('org_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_pattern', server_default='{số}/GCN-UBND', type_=sa.String(length=40), nullable=False))
        batch_op.add_column(sa.Column('certificate_signer_authority', server_default='', type_=sa.String(length=100), nullable=False))
        batch_op.add_column(sa.Column('certificate_signer_title', server_default='', type_=sa.String(length=100), nullable=False))
        batch_op.add_column(sa.Column('certificate_signer_name', server_default='', type_=sa.String(length=120), nullable=False))



def downgrade():
    with op.batch_alter_table('org_settings', schema=None) as batch_op:
        batch_op.drop_column('certificate_signer_name')
        batch_op.drop_column('certificate_signer_title')
        batch_op.drop_column('certificate_signer_authority')
        batch_op.drop_column('certificate_pattern')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_in_force', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index('ix_certificates_issued_on')
        batch_op.drop_index(batch_op.f('ix_certificates_class_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_cadre_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_application_id'))

    op.drop_table('certificates')
    op.drop_table('certificate_confirmations')
    op.drop_table('certificate_counters')
