"""cadres: a trigram index on the folded name for the search, on PostgreSQL

Revision ID: 0027_cadre_name_trigram
Revises: 0026_report_indexes
Create Date: 2026-12-06

The cadre search looks for a substring of the folded name (`name_search LIKE '%…%'`,
app/people/queries.py), which no B-tree serves: on PostgreSQL a GIN index of the name's
trigrams (the pg_trgm extension, trusted since PostgreSQL 13: the database's owner may create
it) finds the matching cadres without reading the 100,000. SQLite has no trigram index: there
the search reads the narrow index on name_search alone, so nothing changes on SQLite.
"""
from alembic import op


revision = "0027_cadre_name_trigram"
down_revision = "0026_report_indexes"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index("ix_cadres_name_trigram", "cadres", ["name_search"],
                    postgresql_using="gin", postgresql_ops={"name_search": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_cadres_name_trigram", table_name="cadres")
