"""What a large import of cadres leaves untidy, tidied at its end, in its own transaction
(`cadre_file.importing.import_file`; the benchmark's bulk load does the same): the name
search's index (`search_index.tidy`) and, on PostgreSQL, the counters' table
(`counts.compact`). Nothing for a small import (under TIDY_AFTER names written, added or
changed), which the database tidies as it goes."""

from __future__ import annotations

from app.people import counts, search_index

TIDY_AFTER = 1_000


def tidy(connection, written: int) -> bool:
    """Tidy after an import that wrote `written` names; whether it did."""
    if written < TIDY_AFTER:
        return False
    search_index.tidy(connection)
    counts.compact(connection)
    return True
