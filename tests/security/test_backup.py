"""`flask backup create` and `flask backup restore` (issue 16, item 6): the round trip gives
back every table and every uploaded file, on SQLite and on PostgreSQL; a damaged or foreign
archive, or a target that is not empty, is refused with nothing written."""

import hashlib
import io
import os
import tarfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from app import create_app
from config import TestingConfig

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgresql")
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _app(url: str, upload_dir: Path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        UPLOAD_DIR = str(upload_dir)

    return create_app(Config)


def _fill(app) -> None:
    """The schema by the migrations, the reference data, accounts, a cadre, a course with an
    image and a PDF (files under UPLOAD_DIR), audit entries."""
    from flask_migrate import upgrade

    from app.auth.service import create_user
    from app.courses import service, uploads
    from app.extensions import db
    from app.people.models import Cadre, Position
    from app.people.reference import ensure_positions, ensure_son_ha_units

    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[2] / "migrations"))
        ensure_positions()
        communes = ensure_son_ha_units()
        admin = create_user(None, username="admin", full_name="Quản Trị", password="x" * 10,
                            roles=["admin"])
        trainer = create_user(admin, username="gv", full_name="Giảng Viên",
                              password="y" * 10, roles=["trainer"])
        cadre = Cadre(gender="F", birth_year=1985, commune_id=communes["new:son-ky"].id,
                      position_id=db.session.scalar(select(Position.id).where(
                          Position.code == "truong-thon")), ethnicity_code="18")
        cadre.set_name("Đinh Thị Hoa")
        cadre.refresh_identity()
        db.session.add(cadre)
        course = service.create_course(admin, "khoa-a", service.CourseData(
            title="Khóa A", code="KA-1", topics=["chuong-trinh"], summary="Tóm tắt."), [trainer])
        service.add_lesson(admin, course, "Bài một", "## Một\n\nNội dung có dấu: Hrê.")
        image = io.BytesIO()
        Image.new("RGB", (30, 20), (10, 120, 40)).save(image, "PNG")
        for name, data in (("anh.png", image.getvalue()), ("bieu-mau.pdf", PDF)):
            checked = uploads.check(name, data, 20 * 1024 * 1024)
            service.attach(admin, course, checked, uploads.store(app.config["UPLOAD_DIR"],
                                                                   checked))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _tables(url: str) -> dict:
    """Every table's rows, in a stable order, as text."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = {}
            for name in inspect(conn).get_table_names():
                rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
                found[name] = sorted(tuple(map(str, row)) for row in rows)
            return found
    finally:
        engine.dispose()


def _files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _invoke(app, *args):
    return app.test_cli_runner().invoke(args=["backup", *args])


def _round_trip(source_url, target_url, tmp_path):
    source_uploads, target_uploads = tmp_path / "up-a", tmp_path / "up-b"
    source = _app(source_url, source_uploads)
    _fill(source)
    archive = tmp_path / "sao-luu.tar"
    created = _invoke(source, "create", str(archive))
    assert created.exit_code == 0, created.output
    assert "Đã sao lưu" in created.output and archive.exists()
    target = _app(target_url, target_uploads)
    restored = _invoke(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    before, after = _tables(source_url), _tables(target_url)
    assert set(before) == set(after)
    assert "alembic_version" in after and len(after) > 20
    for name in before:
        assert before[name] == after[name], name
    assert sum(len(rows) for rows in after.values()) > 50
    assert _files(source_uploads) == _files(target_uploads)
    assert len(_files(target_uploads)) == 2
    # the restored installation works: its admin signs in and sees the course's file
    client = target.test_client()
    with target.app_context():
        assert client.post("/auth/login", data={"login": "admin", "password": "x" * 10}
                           ).status_code == 302
        from app.courses.models import CourseAttachment
        from app.extensions import db
        item = db.session.scalar(select(CourseAttachment).where(
            CourseAttachment.filename == "bieu-mau.pdf"))
        assert client.get(f"/courses/khoa-a/files/{item.filename}").data == PDF
        db.session.remove()
        db.engine.dispose()
    with source.app_context():
        from app.extensions import db
        db.engine.dispose()
    return archive


def test_round_trip_on_sqlite(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}", tmp_path)


@pytest.fixture()
def pg_databases():
    """Two databases of their own beside the test database, dropped afterwards."""
    base = make_url(PG_URL)
    names = [f"{base.database}_backup_src", f"{base.database}_backup_dst"]
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield [base.set(database=n).render_as_string(hide_password=False) for n in names]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.skipif(not ON_POSTGRES, reason="TEST_DATABASE_URL is not PostgreSQL")
def test_round_trip_on_postgresql(tmp_path, pg_databases):
    source, target = pg_databases
    archive = _round_trip(source, target, tmp_path)
    with tarfile.open(archive) as tar:
        assert "database.pgdump" in tar.getnames()


# --- refusals: nothing is touched -----------------------------------------------------------


@pytest.fixture()
def made(tmp_path):
    """A sound SQLite archive, and an empty target app."""
    source = _app(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "up-a")
    _fill(source)
    archive = tmp_path / "sao-luu.tar"
    assert _invoke(source, "create", str(archive)).exit_code == 0
    target = _app(f"sqlite:///{tmp_path / 'b.db'}", tmp_path / "up-b")
    return archive, target, tmp_path


def _untouched(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    assert not (tmp_path / "up-b").exists() or not any((tmp_path / "up-b").iterdir())


def _rewrite(archive: Path, out: Path, change) -> None:
    """Copy the archive member by member, passing each (name, bytes) through `change`."""
    with tarfile.open(archive) as source, tarfile.open(out, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            result = change(member.name, data)
            if result is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(result)
            target.addfile(info, io.BytesIO(result))


def _flip(name, data):
    if name.startswith("uploads/") and name.endswith(".pdf"):
        return data[:-3] + b"EOG"
    return data


@pytest.mark.parametrize(("case", "message"), [
    ("flipped-byte", "không khớp mã kiểm tra"),
    ("truncated", "bị hỏng"),
    ("missing-file", "thiếu hoặc sai"),
    ("extra-file", "thành phần lạ"),
    ("foreign-tar", "không phải bản sao lưu của taphuan"),
    ("foreign-manifest", "không phải bản sao lưu của taphuan"),
    ("not-an-archive", "không phải bản sao lưu đọc được"),
    ("path-escape", "thành phần lạ"),
])
def test_a_damaged_or_foreign_archive_is_refused_and_nothing_is_touched(made, case, message):
    archive, target, tmp_path = made
    bad = tmp_path / f"{case}.tar"
    if case == "flipped-byte":
        _rewrite(archive, bad, _flip)
    elif case == "truncated":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif case == "missing-file":
        _rewrite(archive, bad, lambda n, d: None if n.endswith(".png") else d)
    elif case == "extra-file":
        _rewrite(archive, bad, lambda n, d: d)
        with tarfile.open(bad, "a") as tar:
            info = tarfile.TarInfo("uploads/courses/them.pdf")
            info.size = len(PDF)
            tar.addfile(info, io.BytesIO(PDF))
    elif case == "foreign-tar":
        with tarfile.open(bad, "w") as tar:
            info = tarfile.TarInfo("etc/passwd")
            info.size = 4
            tar.addfile(info, io.BytesIO(b"root"))
    elif case == "foreign-manifest":
        _rewrite(archive, bad, lambda n, d: d.replace(b"taphuan-backup", b"other-backup")
                 if n == "manifest.json" else d)
    elif case == "not-an-archive":
        bad.write_bytes(PDF)
    elif case == "path-escape":
        _rewrite(archive, bad, lambda n, d: d)
        with tarfile.open(bad, "a") as tar:
            info = tarfile.TarInfo("../../thoat.txt")
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
    result = _invoke(target, "restore", str(bad))
    assert result.exit_code == 1
    assert message in result.output
    _untouched(tmp_path)


def test_restore_refuses_a_database_that_is_not_empty(made):
    archive, target, tmp_path = made
    engine = create_engine(f"sqlite:///{tmp_path / 'b.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE giu_lai (x int)"))
    engine.dispose()
    result = _invoke(target, "restore", str(archive))
    assert result.exit_code == 1 and "đã có bảng" in result.output
    assert not (tmp_path / "up-b").exists()


def test_restore_refuses_an_upload_folder_that_is_not_empty(made):
    archive, target, tmp_path = made
    (tmp_path / "up-b").mkdir()
    (tmp_path / "up-b" / "cu.txt").write_text("giữ")
    result = _invoke(target, "restore", str(archive))
    assert result.exit_code == 1 and "không trống" in result.output
    _engine = create_engine(f"sqlite:///{tmp_path / 'b.db'}")
    assert inspect(_engine).get_table_names() == []
    _engine.dispose()
    assert (tmp_path / "up-b" / "cu.txt").read_text() == "giữ"


def test_create_never_overwrites_an_archive(made):
    archive, _target, tmp_path = made
    source = _app(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "up-a")
    before = archive.read_bytes()
    result = _invoke(source, "create", str(archive))
    assert result.exit_code == 1 and "đã có" in result.output
    assert archive.read_bytes() == before
