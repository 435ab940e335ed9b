"""Every file with personal data that leaves the app is in the audit log (issue 16, item 3):
the route walk's GET routes are fetched as an admin, and each PDF or spreadsheet answer must
have added an "export" entry naming who, the route and its object. A new paper is covered
without a line of its own (app/audit/exports.py)."""

from types import SimpleNamespace

from sqlalchemy import select

from app.audit.exports import FILE_TYPES, NO_PERSONAL_DATA
from app.audit.models import AuditEntry
from tests.core.test_route_access import _param_values, _routes


def test_every_file_route_records_who_took_what(app, client, db, login, users, son_ha,
                                                make_cadre, make_village, make_user):
    ctx = SimpleNamespace(db=db, son_ha=son_ha, users=users, make_cadre=make_cadre,
                          make_village=make_village, make_user=make_user)
    values = _param_values(ctx)
    assert login(users["admin"]).status_code == 302
    files = []
    for rule, _view, methods in _routes(app):
        if "GET" not in methods or "delete" in rule.endpoint or rule.endpoint == "auth.logout":
            continue
        url = rule.build(values, append_unknown=False)[1]
        before = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc())
                                   .limit(1)) or 0
        response = client.get(url)
        if response.status_code != 200 or response.mimetype not in FILE_TYPES:
            continue
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.id > before, AuditEntry.action == "export")).all()
        if rule.endpoint in NO_PERSONAL_DATA:
            assert entries == [], url
            continue
        files.append(rule.endpoint)
        assert len(entries) == 1, url
        (entry,) = entries
        assert entry.user_id == users["admin"].id and entry.at is not None
        assert entry.data["endpoint"] == rule.endpoint and entry.data["path"] == url
    # the cadre list export and the admitted list at least
    assert {"cadre_io.export", "classes.admitted_pdf", "classes.admitted_xlsx"} <= set(files)


def test_the_export_entry_says_what_was_filtered(client, db, users, login, son_ha, make_cadre):
    make_cadre("Đinh Thị Hoa")
    login(users["coordinator"])
    assert client.get("/cadres/export.xlsx?q=hoa&gender=F").status_code == 200
    (entry,) = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.user_id == users["coordinator"].id
    assert entry.data["query"] == "q=hoa&gender=F" and entry.data["type"] == "xlsx"
    assert "danh-sach-can-bo.xlsx" in entry.summary


def test_a_refused_or_anonymous_request_records_nothing(client, db, users, login, son_ha):
    assert client.get("/cadres/export.xlsx").status_code == 302  # to the sign-in page
    login(users["learner"])
    assert client.get("/cadres/export.xlsx").status_code == 403
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all() \
        == []
