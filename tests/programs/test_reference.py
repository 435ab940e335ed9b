"""`flask setup` loads the programs, activity types and funding sources as data, once."""

from datetime import date

from sqlalchemy import func, select

from app.programs.models import ActivityType, Component, FundingSource, Plan, Program


def _counts(db) -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Program, Component, ActivityType, FundingSource, Plan))


def test_setup_loads_the_programs_with_their_periods_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "thêm 2 chương trình, 1 hợp phần, 3 loại hoạt động, 4 nguồn kinh phí" in first.output
    programs = db.session.scalars(select(Program).order_by(Program.valid_from)).all()
    old, new = programs
    assert (old.valid_from, old.valid_to) == (date(2021, 1, 1), date(2025, 12, 31))
    assert old.legal_basis.startswith("Quyết định số 90/QĐ-TTg ngày 18/01/2022")
    assert [(c.code, c.name) for c in old.components] == [
        ("Dự án 7 / Tiểu dự án 1", "Nâng cao năng lực thực hiện Chương trình")]
    assert (new.valid_from, new.valid_to) == (date(2026, 1, 1), date(2035, 12, 31))
    assert new.legal_basis.startswith("Nghị quyết số 257/2025/QH15 ngày 11/12/2025")
    assert "nông thôn mới, giảm nghèo bền vững" in new.name
    assert new.components == []  # not confirmed: left for the admin to enter
    assert {t.name for t in db.session.scalars(select(ActivityType))} == {
        "Lớp tập huấn, bồi dưỡng", "Đoàn học tập, trao đổi kinh nghiệm", "Hội thảo, hội nghị"}
    assert len(db.session.scalars(select(FundingSource)).all()) == 4
    loaded = _counts(db)

    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "thêm 0 chương trình, 0 hợp phần, 0 loại hoạt động, 0 nguồn kinh phí" in second.output
    assert _counts(db) == loaded


def test_setup_leaves_what_the_admin_edited(app, db, reference):
    reference.new.short_name = "CTMTQG 2026–2035"
    reference.types["hoi-thao-hoi-nghi"].name = "Hội nghị, hội thảo chuyên đề"
    db.session.delete(reference.funds["huy-dong"])
    db.session.add(ActivityType(code="lop-tap-huan-boi-duong-2", name="Lớp tập huấn, bồi dưỡng "
                                "(cấp xã)"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Program, reference.new.id).short_name == "CTMTQG 2026–2035"
    assert db.session.scalar(select(func.count(ActivityType.id))) == 4
    # a deleted entry (nothing used it) comes back: setup adds what is missing
    assert db.session.scalar(select(FundingSource).where(FundingSource.code == "huy-dong"))


def test_nothing_in_the_code_names_a_program():
    """Programs are data: apart from the reference data and its demo, no module picks one by
    its code or its legal basis (no `if program == ...`); examples in help texts may cite a
    decision."""
    from pathlib import Path

    app = Path(__file__).resolve().parents[2] / "app"
    data_files = {"programs/reference.py", "demo/programs.py"}
    named = []
    for path in app.rglob("*.py"):
        relative = path.relative_to(app).as_posix()
        if relative in data_files:
            continue
        text = path.read_text(encoding="utf-8")
        for marker in ("257/2025", "gnbv-2021-2025", "mtqg-2026-2035", "Program.code =="):
            if marker in text:
                named.append(f"{relative}: {marker}")
    assert named == []
