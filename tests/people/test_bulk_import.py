"""The cadre import in bulk (issue 16): a dry run that writes nothing, new cadres inserted
together with their audit entries, statements that do not grow with the rows."""

import io

from sqlalchemy import event, func, select

from app.audit.models import AuditEntry
from app.extensions import db as _db
from app.people import cadre_file as cf
from app.people.models import Cadre, identity_key
from tests.people.test_cadre_file import BAY, HOA, cadre_count, run_import, xlsx


def rows(n: int, commune: str = "Sơn Kỳ") -> list[list[str]]:
    given = ["Hoa", "Mai", "Lanh", "Nhi", "Xuân", "Bích", "Ánh", "Hà"]
    return [[f"Đinh Thị {given[i % 8]} {chr(65 + i // 8 % 26)}{chr(65 + i // 208)}", "Nữ",
             f"{1 + i % 28:02d}/03/1980", "Hrê", "Trưởng thôn", "", commune,
             f"09050{i:05d}"] for i in range(n)]


class Writes:
    """The INSERT, UPDATE and DELETE statements sent while inside."""

    def __enter__(self):
        self.statements = []
        event.listen(_db.engine, "before_cursor_execute", self._seen)
        return self

    def _seen(self, conn, cursor, statement, *args):
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.statements.append(statement)

    def __exit__(self, *exc):
        event.remove(_db.engine, "before_cursor_execute", self._seen)


def test_a_dry_run_sends_no_write_and_counts_what_an_import_would_do(db, son_ha):
    run_import(db, xlsx([HOA]))
    changed = HOA[:4] + ["Người có uy tín", ""] + HOA[6:7] + ["0912 345 678"]
    with Writes() as writes:
        summary = run_import(db, xlsx([changed, BAY] + rows(30)), dry_run=True)
    assert writes.statements == []
    assert (summary.created, summary.updated, summary.unchanged) == (31, 1, 0)
    hoa = db.session.scalar(select(Cadre))
    assert (cadre_count(db), hoa.position.code, hoa.phone) == (1, "truong-thon", "0905123456")
    # the real import does what the dry run said
    summary = run_import(db, xlsx([changed, BAY] + rows(30)))
    assert (summary.created, summary.updated, summary.unchanged) == (31, 1, 0)


def test_new_cadres_are_inserted_together_each_with_its_audit_entry(db, son_ha):
    with Writes() as writes:
        summary = run_import(db, xlsx(rows(600)))
    assert summary.created == 600
    # one INSERT of cadres, one of audit entries for them, one for the import: not 1,201
    assert len(writes.statements) <= 4, writes.statements
    cadres = {c.id: c for c in db.session.scalars(select(Cadre))}
    assert len(cadres) == 600
    for cadre in cadres.values():  # stored as the form would store them
        assert cadre.active and cadre.created_at and cadre.position.code == "truong-thon"
        assert cadre.identity_key == identity_key(cadre.full_name, cadre.birth_date,
                                                  cadre.birth_year, son_ha["new:son-ky"].id)
        assert cadre.sort_key == cadre.identity_key.rsplit("|", 2)[0]
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "cadre.create")).all()
    assert sorted(e.object_id for e in entries) == sorted(cadres)
    for entry in entries:
        assert entry.summary == f"Thêm cán bộ {cadres[entry.object_id].full_name}"
        assert entry.data == {"source": "import"}


def test_cadre_ids_follow_the_rows_of_the_file(db, son_ha):
    """Nominating from a file reads the ids in the file's order, new and listed mixed."""
    run_import(db, xlsx([BAY]))
    bay = db.session.scalar(select(Cadre))
    file_rows = rows(3)
    outcome = cf.import_file(None, "a.xlsx", xlsx([file_rows[0], BAY, *file_rows[1:]]),
                             source="test", create_only=True)
    db.session.commit()
    by_id = {c.id: c.full_name for c in db.session.scalars(select(Cadre))}
    assert [by_id[i] for i in outcome.summary.cadre_ids] == [
        file_rows[0][0], bay.full_name, file_rows[1][0], file_rows[2][0]]


def test_statements_do_not_grow_with_the_rows(db, son_ha, count_queries):
    def statements(n: int, commune: str) -> int:
        data = xlsx(rows(n, commune))
        with count_queries() as counted:
            outcome = cf.import_file(None, "a.xlsx", data, source="test")
        db.session.commit()
        assert outcome.summary.created == n
        return counted()

    assert statements(50, "Sơn Kỳ") == statements(450, "Sơn Hà")


def test_a_refused_file_writes_nothing(db, son_ha):
    bad = rows(40)
    bad[25][1] = "?"
    with Writes() as writes:
        outcome = cf.import_file(None, "a.xlsx", xlsx(bad), source="test")
    assert outcome.status == 422 and [p.row for p in outcome.problems] == [27]
    assert writes.statements == []
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_rich_text_and_inline_cells_read_as_their_text(db, son_ha):
    """Inline strings are read without openpyxl's rich-text objects: same text."""
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = Workbook()
    sheet = book.active
    sheet.append(list(cf.COLUMNS))
    sheet.append(BAY)
    sheet["A2"] = CellRichText("Đinh ", TextBlock(InlineFont(b=True), "Văn"), " Bảy")
    out = io.BytesIO()
    book.save(out)
    (row,) = cf.read_table("a.xlsx", out.getvalue())
    assert row[cf.NAME] == "Đinh Văn Bảy" and row[cf.BIRTH] == "1985"
