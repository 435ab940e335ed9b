"""The cadre search through the FTS5 trigram index on SQLite (app/people/search_index.py) finds
exactly what the plain path finds (the same cadres, order and total) for every query, and the
index follows every write: the form, the import's Core INSERT, an edit of the name, a delete,
a database made by the migrations, a backup restored."""

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, delete, select, text

from app.people import queries, search_index, service
from app.people.models import Cadre, Position
from app.people.queries import CadreFilters
from app.vietnamese import fold
from tests.core.test_position_migration import _insert, _run
from tests.people.test_cadre_file import run_import, xlsx

SURNAMES = ("Đinh", "Nguyễn", "Phạm", "Trần", "Lê", "Đặng", "Hồ", "Võ", "Đỗ", "Bùi")
MIDDLES = ("Thị", "Văn", "Đức", "Ngọc", "Thị Thu", "")
GIVEN = ("Hoa", "Hoà", "Hòa", "Bảy", "Lanh", "Đào", "Thuỷ", "Hùng", "An", "Yến", "Dũng",
         "H'Nhi", "Y Moan")
ODD = ("Lê 100% Tâm", "Trần_Văn_An", 'Đỗ "Út" Hoa', "Nguyễn  Thị   Hoa", "ĐINH THỊ HOA",
       "Phạm Thị Hoa%", "Lê Thị Hoa_")
QUERIES = ("dinh thi hoa", "Đinh Thị Hoà", "ĐINH", "hoa", "hoà", "oa", "a", "thi h", " thi ",
           "h'nhi", "y moan", "100%", "0%", "% t", "_", "_van_", "n_v", '"ut"', '"', "ut",
           "nguyen thi hoa", "nguyễn  thị hoa", "zzz", "hoa%", "a_", "thu hung", "i t", "dd",
           "đđ", "e t", "nh t")


def _position(db) -> int:
    return db.session.scalar(select(Position.id).where(Position.code == "truong-thon"))


def _data(db, son_ha, name, year=1980, commune="new:son-ky") -> service.CadreData:
    return service.CadreData(full_name=name, gender="F", birth_date=None, birth_year=year,
                             ethnicity_code="18", position_id=_position(db),
                             level="village", commune_id=son_ha[commune].id, village_id=None,
                             phone=None, on_payroll=False)


def _names(count: int) -> list[str]:
    rng = random.Random(15)
    names = [" ".join(p for p in (rng.choice(SURNAMES), rng.choice(MIDDLES), rng.choice(GIVEN))
                      if p) for _ in range(count)]
    return names + list(ODD)


def _add_many(db, son_ha, names) -> None:
    """The import's path: one Core executemany INSERT (service.create_cadres)."""
    from app.people.models import Unit

    new = []
    for i, name in enumerate(names):
        data = _data(db, son_ha, name, year=1950 + i % 50,
                     commune=("new:son-ky", "new:son-ha")[i // 50 % 2])
        new.append((data, data.identity(db.session.get(Unit, data.commune_id))))
    service.create_cadres(None, new)
    db.session.commit()


def _truth(db, q: str) -> list[int]:
    """The cadres whose folded name holds the folded query, in list order, read in Python."""
    folded = fold(q)
    rows = db.session.execute(select(Cadre.id, Cadre.name_search, Cadre.sort_key)).all()
    return [i for i, _n, _k in sorted((r for r in rows if folded in r.name_search),
                                      key=lambda r: (r.sort_key, r.id))]


def _page(q: str, size=10_000) -> tuple[list[int], int]:
    cadres, total = queries.page_of(CadreFilters(q=q, status="all"), 1, size)
    return [c.id for c in cadres], total


def _agree(db, *extra: str) -> None:
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("INSERT INTO cadres_name_fts (cadres_name_fts, rank) "
                                "VALUES ('integrity-check', 1)"))  # the index = the names
    for q in QUERIES + extra:
        expected = _truth(db, q)
        assert _page(q) == (expected, len(expected)), q


def test_the_index_finds_what_the_plain_search_finds(db, son_ha, monkeypatch):
    _add_many(db, son_ha, _names(300))
    rng = random.Random(7)
    names = db.session.scalars(select(Cadre.name_search)).all()
    pieces = []
    for name in rng.sample(names, 40):  # substrings of real names, spaces included
        start = rng.randrange(len(name))
        pieces.append(name[start:start + rng.randint(1, 12)])
    _agree(db, *pieces)
    if db.engine.dialect.name != "sqlite":
        return
    with_index = {q: _page(q, size=25) for q in QUERIES + tuple(pieces)}
    assert any(search_index.usable("sqlite", fold(q)) and with_index[q][1] for q in with_index)
    monkeypatch.setattr(search_index, "usable", lambda dialect, folded: False)
    assert {q: _page(q, size=25) for q in with_index} == with_index  # pages and totals


def test_the_search_reads_the_index_on_sqlite(db, son_ha):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's index")
    _add_many(db, son_ha, _names(20))
    searched = _searched(db, "dinh thi hoa", "oa")
    assert ["cadres_name_fts MATCH" in s for s, _p in searched] == [True, False]


def _searched(db, *searches: str) -> list[tuple[str, dict]]:
    """The list's statements (and their parameters) of these searches, one each."""
    from sqlalchemy import event

    sent = []

    def before(conn, cursor, statement, parameters, *args):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        for q in searches:
            _page(q)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return [(s, p) for s, p in sent if "cadres" in s and "count(*) OVER" in s]


def test_the_index_follows_the_form_the_import_edits_and_deletes(db, son_ha):
    hoa = service.create_cadre(None, _data(db, son_ha, "Đinh Thị Hoa"))
    run_import(db, xlsx([["Đinh Văn Bảy", "Nam", "1985", "Kinh", "Cộng tác viên giảm nghèo",
                          "", "Sơn Ba", ""],
                         ["Đinh Thị Hoà", "Nữ", "1990", "Hrê", "Trưởng thôn", "", "Sơn Kỳ",
                          ""]]))
    db.session.commit()
    _agree(db, "dinh")
    assert _page("dinh thi hoa")[1] == 2
    service.update_cadre(None, hoa, _data(db, son_ha, "Phạm Thị Lanh"))
    db.session.commit()
    _agree(db, "pham thi lanh")
    assert _page("dinh thi hoa")[1] == 1 and _page("pham thi lanh")[1] == 1
    db.session.execute(text("UPDATE cadres SET phone = '0905123456'"))  # not the name
    db.session.delete(hoa)
    db.session.commit()
    _agree(db)
    assert _page("pham thi lanh") == ([], 0)
    db.session.execute(delete(Cadre))
    db.session.commit()
    _agree(db)


def _cadres_table_rows(conn, commune, position, names) -> None:
    for name in names:
        conn.execute(text(
            "INSERT INTO cadres (full_name, name_search, sort_key, identity_key, gender, "
            "birth_year, position_id, level, commune_id, active, on_payroll, created_at, "
            "updated_at) VALUES (:name, :folded, :folded, :name, 'F', 1980, :position, "
            "'village', :commune, 1, 0, '2026-01-01 08:00:00', '2026-01-01 08:00:00')"),
            {"name": name, "folded": fold(name), "position": position, "commune": commune})


def _matches(conn, q: str) -> set[str]:
    return set(conn.execute(text(
        "SELECT c.full_name FROM cadres_name_fts JOIN cadres c ON c.id = cadres_name_fts.rowid "
        "WHERE cadres_name_fts MATCH :q"), {"q": search_index.phrase(fold(q))}).scalars())


def _commune_and_position(conn) -> tuple[int, int]:
    """A commune and a position in plain SQL (ids), for cadres written without the models."""
    commune = _insert(conn, "INSERT INTO units (code, name, name_key, kind, category) "
                            "VALUES ('x1', 'Sơn Kỳ', 'sơn kỳ', 'commune', 'xã')")
    position = _insert(conn, "INSERT INTO positions (code, name, level, village_leader, "
                             "sort_order, active) VALUES ('p', 'Trưởng thôn', 'village', "
                             "1, 1, 1)")
    return commune, position


def test_the_migration_indexes_the_cadres_made_before_and_after(tmp_path):
    url = f"sqlite:///{tmp_path / 'search.db'}"
    _run(["db", "upgrade", "0030_class_list_order"], url)
    engine = create_engine(url)
    with engine.begin() as conn:
        commune, position = _commune_and_position(conn)
        _cadres_table_rows(conn, commune, position, ["Đinh Thị Hoa", "Phạm Thị Lanh"])
    _run(["db", "upgrade"], url)
    with engine.begin() as conn:
        assert _matches(conn, "thi hoa") == {"Đinh Thị Hoa"}
        _cadres_table_rows(conn, commune, position, ["Đinh Thị Hoà"])
        conn.execute(text("UPDATE cadres SET name_search = 'pham thi lam' "
                          "WHERE full_name = 'Phạm Thị Lanh'"))
        assert _matches(conn, "thi hoa") == {"Đinh Thị Hoa", "Đinh Thị Hoà"}
        assert _matches(conn, "thi lanh") == set()
        assert _matches(conn, "thi lam") == {"Phạm Thị Lanh"}
        conn.execute(text("INSERT INTO cadres_name_fts (cadres_name_fts, rank) "
                          "VALUES ('integrity-check', 1)"))
    _run(["db", "downgrade", "0030_class_list_order"], url)
    with engine.connect() as conn:
        assert "cadres_name_fts" not in set(conn.execute(text(
            "SELECT name FROM sqlite_master")).scalars())
    _run(["db", "upgrade"], url)
    with engine.connect() as conn:
        assert _matches(conn, "dinh thi ho") == {"Đinh Thị Hoa", "Đinh Thị Hoà"}
    engine.dispose()


def test_a_restored_backup_keeps_the_index(tmp_path):
    from app.backup import archive
    from app.extensions import db

    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    engine = create_engine(source)
    db.metadata.create_all(engine)
    with engine.begin() as conn:
        commune, position = _commune_and_position(conn)
        _cadres_table_rows(conn, commune, position, ["Đinh Thị Hoa", "Phạm Thị Lanh"])
    engine.dispose()
    (tmp_path / "up").mkdir()
    made = archive.create(source, tmp_path / "up", tmp_path / "b.tar", datetime.now(UTC))
    archive.restore(target, tmp_path / "up2", made.path)
    restored = create_engine(target)
    with restored.begin() as conn:
        assert _matches(conn, "dinh thi hoa") == {"Đinh Thị Hoa"}
        _cadres_table_rows(conn, commune, position, ["Lê Thị Hoa"])
        assert _matches(conn, "thi hoa") == {"Đinh Thị Hoa", "Lê Thị Hoa"}
    restored.dispose()


def test_a_search_asks_the_index_for_a_few_rarer_trigrams_then_checks_the_names():
    """`match`: a search with trigrams outside the commonest asks for at most three of them
    (all held by any name containing it) and is checked; one made of the commonest alone is
    the phrase, exact already. Quotes stay literal either way."""
    assert search_index.match("dinh thi hoa") == ('"din" "i h" "hoa"', True)
    assert search_index.match("hoa") == ('"hoa"', False)
    assert search_index.match("nguyen van") == ('"n v"', True)
    assert search_index.match("nguyen") == ('"nguyen"', False)
    assert search_index.match(" thi ") == ('" thi "', False)
    assert search_index.match('do "ut" hoa') == ('"do " "ut""" "hoa"', True)


def test_names_holding_the_rarer_trigrams_but_not_the_search_are_not_found(db, son_ha):
    """"Đinh Thị Hương Hoa" and "Hoa Đinh Thị Hương" hold "din", "i h" and "hoa" of "dinh thi
    hoa": candidates of the index, left out by the check."""
    _add_many(db, son_ha, ["Đinh Thị Hoa", "Đinh Thị Hương Hoa", "Hoa Đinh Thị Hương",
                           "Đinh Văn Hoa", "Lê Đinh Thị Hoa",
                           "Đinh Thị Hoà", "Đinh Thị Hòa"])
    cadres, total = queries.page_of(CadreFilters(q="dinh thi hoa", status="all"), 1, 50)
    assert sorted(c.full_name for c in cadres) == sorted(
        ["Đinh Thị Hoa", "Lê Đinh Thị Hoa", "Đinh Thị Hoà", "Đinh Thị Hòa"])
    assert total == 4


def test_postgresql_asks_its_index_for_a_few_rarer_pieces_then_checks_the_names():
    """`pieces`: the runs of letters outside the commonest trigrams, in order (at most three:
    the first, one between, the last); None when there is none, or the search is one piece."""
    assert search_index.pieces("dinh thi hoa") == ["dinh", "hoa"]
    assert search_index.pieces("nguyen thi hoa") == ["hoa"]
    assert search_index.pieces("nguyen van") is None  # the commonest alone
    assert search_index.pieces("hoa") is None  # the search itself
    assert search_index.pieces("ho") is None  # no trigram
    assert search_index.pieces("h'nhi") == ["nhi"]
    assert search_index.pieces('do "ut" hoa') == ["hoa"]
    assert search_index.pieces("le dinh bao chau tuan anh") == ["dinh", "chau", "anh"]


def test_the_search_asks_postgresqls_index_for_the_pieces(db, son_ha):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's index")
    _add_many(db, son_ha, _names(20))
    searched = _searched(db, "dinh thi hoa", "hoa")
    assert ["strpos" in s for s, _p in searched] == [True, False]
    assert searched[0][1]["pieces"] == "%dinh%hoa%"
    assert searched[0][1]["folded"] == "dinh thi hoa"
