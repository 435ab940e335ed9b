"""The column type of stored Vietnamese sort keys (`app.vietnamese.name_sort_key`).

Binary collation so that ORDER BY gives the Vietnamese order on every database: the key is
built so that comparing it code point by code point is the dictionary order, and UTF-8 bytes
compare as code points do (SQLite's BINARY, PostgreSQL's "C")."""

from sqlalchemy import String

SortKey = String(255).with_variant(String(255, collation="C"), "postgresql")
