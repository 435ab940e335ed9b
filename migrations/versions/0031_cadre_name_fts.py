"""cadres: an FTS5 trigram index of the folded name for the search, on SQLite

Revision ID: 0031_cadre_name_fts
Revises: 0030_class_list_order
Create Date: 2026-12-06

The cadre search looks for a substring of the folded name; on SQLite it read the whole index
on name_search, so it grew with the cadres (1.51 x slower at 100,000 than at 10,000). An
external-content FTS5 table of the names' trigrams (`cadres_name_fts`, rowid = cadre id), kept
by triggers on `cadres`, finds the matching cadres from the trigrams instead
(app/people/search_index.py; the text is frozen here, as migrations are). The cadres already
recorded are indexed once. PostgreSQL keeps its trigram index (0027): nothing changes there.
"""
from alembic import op


revision = "0031_cadre_name_fts"
down_revision = "0030_class_list_order"
branch_labels = None
depends_on = None

_ADD = "INSERT INTO cadres_name_fts (rowid, name_search) VALUES (NEW.id, NEW.name_search)"
_TAKE = ("INSERT INTO cadres_name_fts (cadres_name_fts, rowid, name_search) "
         "VALUES ('delete', OLD.id, OLD.name_search)")

CREATE = (
    "CREATE VIRTUAL TABLE cadres_name_fts USING fts5(name_search, content='cadres', "
    "content_rowid='id', tokenize='trigram case_sensitive 1')",
    f"CREATE TRIGGER cadres_name_fts_insert AFTER INSERT ON cadres BEGIN {_ADD}; END",
    f"CREATE TRIGGER cadres_name_fts_delete AFTER DELETE ON cadres BEGIN {_TAKE}; END",
    "CREATE TRIGGER cadres_name_fts_update AFTER UPDATE OF name_search ON cadres "
    f"WHEN OLD.name_search IS NOT NEW.name_search BEGIN {_TAKE}; {_ADD}; END",
    "INSERT INTO cadres_name_fts (cadres_name_fts) VALUES ('rebuild')",
)


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in CREATE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS cadres_name_fts_{event}")
    op.execute("DROP TABLE IF EXISTS cadres_name_fts")
