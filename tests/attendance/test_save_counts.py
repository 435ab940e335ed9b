"""The trainer's save (POST of a session's marks) uses the same SQL statements for 1 learner as
for 40: nothing is read per learner (the first save, and a save that changes everyone).

The rows written are inserted by SQLAlchemy's flush: batched on PostgreSQL; on SQLite, which
does not return the ids of a multi-row INSERT in order, one INSERT a row (operations, marks,
audit entries of the changes). So on SQLite the INSERTs are left out of the comparison."""

from app.extensions import db as _db
from tests.attendance.conftest import first
from tests.attendance.test_pages import _form, _url
from tests.conftest import statements


def _post(client, klass, data):
    with statements() as seen:
        response = client.post(_url(klass, first(klass)), data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    if _db.engine.dialect.name == "sqlite":
        seen = [s for s in seen if not s.startswith("INSERT INTO")]
    return len(seen)


def test_a_save_does_not_grow_with_the_learners(client, login, users, running, db):
    login(users["trainer"])
    measured = []
    for names in ([("Hồ Văn Một", "M")], [(f"Hồ Thị Người {i:02d}", "F") for i in range(40)]):
        klass, applications = running(names=names)
        db.session.expire_all()
        first_save = _post(client, klass, _form(applications))
        db.session.expire_all()
        change = _post(client, klass, _form(applications, status="late", shown="present"))
        measured.append((first_save, change))
    assert measured[0] == measured[1], measured
