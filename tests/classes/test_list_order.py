"""A learner's applications and a trainer's classes are listed in the classes' order from a
copy of each class's start date kept by the database (`starts_on` on applications and on
class_trainers, app/classes/start_triggers.py), whatever writes: the page's ids are read from
an index in that order, the database stopping at the page."""

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, insert, select, update

from app.classes import queries
from app.classes.models import Application, TrainingClass, class_trainers
from app.extensions import db as _db
from app.timeutil import local_today
from tests.migrating import flask


def _codes(cadre_id: int, size: int = 10) -> list[str]:
    rows, _total = queries.paged(queries.applications_of(cadre_id), 1, size)
    return [row.code for row in rows]


def _copies_agree() -> None:
    """Every application and every trainer's assignment holds its class's start date."""
    for table in (Application.__table__, class_trainers):
        rows = _db.session.execute(select(table.c.starts_on, TrainingClass.start_date).join(
            TrainingClass, TrainingClass.id == table.c.class_id)).all()
        assert all(copy == start for copy, start in rows)


def _taught(trainer_id: int, size: int = 10) -> list[str]:
    rows, _total = queries.paged(queries.taught(trainer_id), 1, size)
    return [row.code for row in rows]


def test_the_list_follows_the_classes_dates_whatever_writes(
        db, make_class, make_cadre, apply_for):
    today = local_today()
    cadre, other = make_cadre("Lò Thị Mai"), make_cadre("Đinh Văn Nhất")
    early, late, middle = (make_class(code=code, start=today + timedelta(days=days))
                           for code, days in (("EARLY", 10), ("LATE", 30), ("MIDDLE", 20)))
    apply_for(early, [cadre, other])
    apply_for(late, [cadre])  # the ORM
    db.session.execute(insert(Application), [  # a Core executemany, as an import or a bulk load
        {"class_id": middle.id, "cadre_id": cadre.id, "status": "applied", "source": "imported"}])
    db.session.commit()
    assert _codes(cadre.id) == ["LATE", "MIDDLE", "EARLY"]
    _copies_agree()

    early.start_date, early.end_date = today + timedelta(days=40), today + timedelta(days=41)
    db.session.commit()  # the class moved (the ORM): its applications follow
    assert _codes(cadre.id) == ["EARLY", "LATE", "MIDDLE"]
    db.session.execute(update(TrainingClass).where(TrainingClass.id == late.id).values(
        start_date=today + timedelta(days=5), end_date=today + timedelta(days=6)))
    db.session.commit()  # and by a plain UPDATE
    assert _codes(cadre.id) == ["EARLY", "MIDDLE", "LATE"]
    assert _codes(other.id) == ["EARLY"]
    _copies_agree()

    moved = db.session.scalar(select(Application).where(
        Application.cadre_id == other.id))
    moved.class_id = late.id  # an application moved to another class takes its date
    db.session.commit()
    assert _codes(other.id) == ["LATE"]
    db.session.execute(update(Application).where(Application.id == moved.id).values(
        starts_on=today))  # a wrong copy written by hand is put right
    db.session.commit()
    _copies_agree()


def test_a_trainers_classes_follow_their_dates(db, make_class, users, son_ha):
    today = local_today()
    trainer = users["trainer"]
    early, late = (make_class(code=code, start=today + timedelta(days=days))
                   for code, days in (("T-EARLY", 10), ("T-LATE", 30)))  # assigned by the ORM
    assert _taught(trainer.id) == ["T-LATE", "T-EARLY"]
    early.start_date, early.end_date = today + timedelta(days=40), today + timedelta(days=41)
    db.session.commit()
    assert _taught(trainer.id) == ["T-EARLY", "T-LATE"]
    db.session.execute(class_trainers.delete().where(class_trainers.c.class_id == late.id))
    db.session.execute(insert(class_trainers), [{"class_id": late.id, "user_id": trainer.id}])
    db.session.commit()  # a Core insert
    assert _taught(trainer.id) == ["T-EARLY", "T-LATE"]
    _copies_agree()


def test_same_dates_keep_the_latest_class_first_and_pages_cut_in_order(
        db, make_class, make_cadre, apply_for):
    cadre = make_cadre("Lò Thị Mai")
    same = local_today() + timedelta(days=15)
    made = [make_class(code=f"S-{i}", start=same) for i in range(5)]
    for klass in made:
        apply_for(klass, [cadre])
    pages = [queries.paged(queries.applications_of(cadre.id), page, 2) for page in (1, 2, 3)]
    assert [[row.code for row in rows] for rows, _ in pages] == [
        ["S-4", "S-3"], ["S-2", "S-1"], ["S-0"]]
    assert [total for _, total in pages] == [5, 5, 5]


def _plan(listing, params) -> list[str]:
    # LIMIT and OFFSET are written into the statement (app/core/written.py)
    compiled = listing.rows.params({**params, "limit": 50, "offset": 0}).compile(
        dialect=_db.engine.dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    return [row[3] for row in _db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {compiled}", tuple(values[name] for name in compiled.positiontup))]


def test_the_page_is_read_from_the_index_in_order(db, make_class, make_cadre, apply_for, users):
    """SQLite's plan: the page's ids from the index by (cadre or trainer, start date, class),
    not sorted (the rows of the page alone are sorted, for the join with their classes)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    cadre = make_cadre("Lò Thị Mai")
    apply_for(make_class(code="P-1"), [cadre])
    for listing, params, index in (
            (queries._applications_of(), {"cadre_id": cadre.id}, "ix_applications_cadre_starts"),
            (queries._taught(), {"trainer_id": users["trainer"].id},
             "ix_class_trainers_user_starts")):
        plan = _plan(listing, params)
        assert any(index in step for step in plan), plan
        assert sum("TEMP B-TREE" in step for step in plan) == 1, plan


def _triggers(path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                 "AND (name LIKE '%starts_on%' OR name LIKE '%start_date%')"))


def test_the_migration_makes_the_triggers_the_models_make(tmp_path):
    migrated, made = tmp_path / "migrated.db", tmp_path / "made.db"
    upgrade = flask(["db", "upgrade"], f"sqlite:///{migrated}")
    assert upgrade.returncode == 0, upgrade.stderr
    engine = create_engine(f"sqlite:///{made}")
    _db.metadata.create_all(engine)
    engine.dispose()
    assert _triggers(migrated) == _triggers(made)
    assert len(_triggers(made)) == 5
