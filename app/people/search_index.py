"""The cadre search's index on SQLite: an FTS5 table of the folded names' trigrams.

The search looks for a substring of the folded name (`name_search`, app/vietnamese.py
`fold`). No B-tree serves a substring, so on SQLite it read the whole index on name_search
and grew with the cadres. `cadres_name_fts` is an external-content FTS5 table over
`cadres.name_search` (rowid = the cadre's id) with the `trigram` tokenizer, case-sensitive
(the names are folded already, and `instr()` is case-sensitive: the same matches); a quoted
phrase of three characters or more finds the cadres whose folded name contains it, from the
trigrams' lists, without reading every name. Shorter searches have no trigram: they keep
the plain path (app/people/queries.py).

Triggers on `cadres` (insert, delete, an update of name_search) keep it, whatever wrote the
cadre: the form, the import's Core executemany, a bulk load, a delete. A SQLite backup copies
the whole file, index included. PostgreSQL has its trigram index (migration 0027) instead:
nothing here runs there but `pieces`, which picks what a search asks that index for, and
`tidy` after a large import.

`statements()` gives the DDL; the models run it after `create_all` and migration 0031 runs the
same text (frozen there, as migrations are).
"""

from __future__ import annotations

TABLE = "cadres_name_fts"
# FTS5 keeps the index in shadow tables named after it (external content: no _content).
SHADOW = tuple(f"{TABLE}_{suffix}" for suffix in ("data", "idx", "docsize", "config"))
MIN_LENGTH = 3  # a trigram

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
    # the cadres already there
    "INSERT INTO cadres_name_fts (cadres_name_fts) VALUES ('rebuild')",
)

DROP = (
    "DROP TRIGGER IF EXISTS cadres_name_fts_insert",
    "DROP TRIGGER IF EXISTS cadres_name_fts_delete",
    "DROP TRIGGER IF EXISTS cadres_name_fts_update",
    "DROP TABLE IF EXISTS cadres_name_fts",
)


PG_INDEX = "ix_cadres_name_trigram"  # PostgreSQL's trigram index (app/people/models.py)


def tidy(connection) -> None:
    """After a large import (people/after_import.py), put the names it wrote into the search's
    index for good, in the import's transaction.

    SQLite: the triggers add each name to a new small segment of the FTS5 table, which FTS5
    merges only now and then: after 100,000 names loaded by them the index had about 11
    segments, and a search read every trigram's list in each of them. Merged ('optimize'),
    "dinh thi hoa" took 2.7 ms of SQLite instead of 4.6 (docs/SPEED.md); merging 100,000
    names takes about 0.3 s.

    PostgreSQL: a GIN index takes new entries into an unsorted pending list (up to
    gin_pending_list_limit, 4 MB), which every search reads whole until a vacuum moves it
    into the index: after 100,000 names the search took 20 ms of its 23 in that list, and
    4.5 ms once it was moved (`gin_clean_pending_list`, 0.03 s)."""
    from sqlalchemy import text

    if connection.dialect.name == "sqlite":
        connection.execute(text(
            "INSERT INTO cadres_name_fts (cadres_name_fts) VALUES ('optimize')"))
    else:
        connection.execute(text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"),
                           {"index": PG_INDEX})


def ignored(name: str) -> bool:
    """The index's tables, which the models do not declare (migrations/env.py)."""
    return name == TABLE or name in SHADOW


def usable(dialect: str, folded: str) -> bool:
    """Whether the index can answer a search for `folded` (already folded)."""
    return dialect == "sqlite" and len(folded) >= MIN_LENGTH


def phrase(folded: str) -> str:
    """The FTS5 query matching names containing `folded`: one quoted phrase, in which every
    character is literal but the double quote, doubled."""
    return '"' + folded.replace('"', '""') + '"'


# The trigrams of the syllables found in a third to a half of Vietnamese names (Thị, Văn,
# Nguyễn) and of the commonest syllable endings (-nh, -ng). Their lists in the index run to
# tens of thousands of names at district scale: a phrase holding them reads them all.
COMMON = frozenset({" th", "thi", "hi ", " va", "van", "an ", "ngu", "guy", "uye", "yen",
                    "en ", "nh ", "ng "})
SOME = 3  # trigrams asked for when a search has rarer ones


def match(folded: str) -> tuple[str, bool]:
    """The FTS5 query for names containing `folded` (three characters or more), and whether
    its matches must still be checked to hold `folded` (`instr`).

    A phrase is exact, but FTS5 reads the list of every trigram it holds: "dinh thi hoa" reads
    the lists of " th", "thi" and "hi ", each of about half the names, and grew with the
    cadres. When the search has trigrams outside COMMON, the query asks for at most SOME of
    them (the first, the last, one between), all of which a name containing `folded` holds:
    a few hundred candidates at district scale, then checked. Either way the result is the
    names containing `folded`; COMMON only decides how fast."""
    trigrams = list(dict.fromkeys(folded[i:i + 3] for i in range(len(folded) - 2)))
    rare = [t for t in trigrams if t not in COMMON]
    if not rare or len(folded) == MIN_LENGTH:  # a trigram alone is its own phrase
        return phrase(folded), False
    chosen = rare if len(rare) <= SOME else [rare[0], rare[len(rare) // 2], rare[-1]]
    return " ".join(phrase(t) for t in chosen), True


def pieces(folded: str) -> list[str] | None:
    """PostgreSQL's counterpart of `match`: the pieces of `folded` its trigram index is asked
    for, or None when the whole search is asked for as it is.

    The index (ix_cadres_name_trigram) answers `name_search LIKE '%dinh thi hoa%'` by reading
    the list of every trigram of the pattern, those of "thi" among them (half the names at
    district scale). Asked for `LIKE '%dinh%hoa%'`, it reads "din", "inh" and "hoa" only: a
    few hundred candidates, which every name containing the search is among (its pieces, in
    order, do not overlap), then checked to hold the search itself (`strpos`). A piece is a
    run of letters and digits (pg_trgm's words) holding a trigram outside COMMON; at most
    SOME of them (the first, the last, one between). None when the search has no such piece
    or is one piece alone: the plain LIKE is as fast."""
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    rare = [w for w in words if any(w[i:i + 3] not in COMMON for i in range(len(w) - 2))]
    if not rare or rare == [folded]:
        return None
    return rare if len(rare) <= SOME else [rare[0], rare[len(rare) // 2], rare[-1]]


def create_after_tables(target, connection, **_kw) -> None:
    """metadata "after_create": the index and its triggers, once `cadres` exists (made again,
    so that an index left by dropped tables never survives)."""
    from sqlalchemy import inspect, text

    if connection.dialect.name != "sqlite" or "cadres" not in inspect(connection).get_table_names():
        return
    for statement in DROP + CREATE:
        connection.execute(text(statement))


def drop_after_tables(target, connection, **_kw) -> None:
    """metadata "after_drop": the index is no table of the models; drop it with them."""
    from sqlalchemy import text

    if connection.dialect.name == "sqlite":
        for statement in DROP:
            connection.execute(text(statement))
