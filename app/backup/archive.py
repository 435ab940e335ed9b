"""One archive holding the whole state of an installation: a consistent copy of the database
and the uploaded files, with a manifest of SHA-256 checksums.

    taphuan-backup-20261206-0300.tar
      manifest.json        what the archive is, the database's kind and revision, every
                           member's size and checksum
      database.sqlite3     SQLite: a copy made with the online backup API (consistent while
                           the app writes), or
      database.pgdump      PostgreSQL: `pg_dump --format=custom` (one snapshot)
      uploads/...          every file under UPLOAD_DIR, copied after the database

Restoring checks everything before it writes anything: the archive must be ours
(`FORMAT`), every member listed with the right checksum and nothing else in it, the
database of the same kind, the target database without tables and the upload folder empty.
Then the database is restored (PostgreSQL: `pg_restore --single-transaction`, all or nothing;
SQLite: the backup API into the empty file) and the files are put in place from a folder
beside the upload folder, renamed at the end.

Plain functions: the database URL, the upload folder and the times are arguments.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

FORMAT = "taphuan-backup"
VERSION = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore refused, with the reason (command-line output: Vietnamese)."""


@dataclass
class Outcome:
    path: Path
    dialect: str
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _dialect(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in DATABASE_MEMBER:
        raise BackupError(f"Không sao lưu được cơ sở dữ liệu loại {name}.")
    return name


def _libpq(url: str) -> tuple[str, dict]:
    """The URL for pg_dump/pg_restore (no driver name, no password) and its environment
    (the password in PGPASSWORD, never on a command line that `ps` shows)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict) -> None:
    try:
        # a fixed program (pg_dump, pg_restore) with its arguments as a list, no shell
        done = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603
                              check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"Không tìm thấy {command[0]}: hãy cài postgresql-client cùng phiên "
                          "bản với máy chủ PostgreSQL.") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} báo lỗi: {done.stderr.strip()[:2000]}")


def _tool_major(tool: str) -> int:
    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True,  # noqa: S603
                             check=True)
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        raise BackupError(f"Không tìm thấy {tool}: hãy cài postgresql-client cùng phiên bản "
                          "với máy chủ PostgreSQL.") from exc
    return int(out.stdout.split()[-1].split(".")[0].split("beta")[0].split("rc")[0])


def check_pg_tools(url: str, tool: str) -> None:
    """pg_dump and pg_restore read a server of their own major version or older only."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            server = int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000
    finally:
        engine.dispose()
    if _tool_major(tool) < server:
        raise BackupError(f"{tool} phiên bản {_tool_major(tool)} cũ hơn máy chủ PostgreSQL "
                          f"{server}: hãy cài postgresql-client {server}.")


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _dump_database(url: str, dialect: str, target: Path) -> None:
    if dialect == "sqlite":
        source_path = make_url(url).database
        if not source_path or source_path == ":memory:" or not Path(source_path).exists():
            raise BackupError(f"Không thấy tệp cơ sở dữ liệu SQLite: {source_path}")
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # the online backup API: a consistent copy while others write
        finally:
            copy.close()
            source.close()
        return
    check_pg_tools(url, "pg_dump")
    libpq, env = _libpq(url)
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
          f"--file={target}", f"--dbname={libpq}"], env)


def create(url: str, upload_dir: str | Path, path: str | Path | None, now: datetime) -> Outcome:
    """Write the archive (to `path`, or a dated name in the current folder); returns what it
    holds. The archive is written beside its final name and renamed once complete."""
    dialect = _dialect(url)
    path = Path(path or f"taphuan-backup-{now:%Y%m%d-%H%M%S}.tar")
    if path.is_dir():
        path = path / f"taphuan-backup-{now:%Y%m%d-%H%M%S}.tar"
    if path.exists():
        raise BackupError(f"Tệp {path} đã có; hãy chọn tên khác (bản sao lưu cũ không bị ghi "
                          "đè).")
    uploads = Path(upload_dir)
    with tempfile.TemporaryDirectory(prefix="taphuan-backup-") as work:
        database = Path(work) / DATABASE_MEMBER[dialect]
        _dump_database(url, dialect, database)
        members = {DATABASE_MEMBER[dialect]: database}
        if uploads.is_dir():
            for file in sorted(p for p in uploads.rglob("*") if p.is_file()):
                if file.name.startswith(".") and file.name.endswith(".part"):
                    continue  # an upload being written
                relative = file.relative_to(uploads).as_posix()
                members[f"{UPLOADS}/{relative}"] = file
        manifest = {
            "format": FORMAT, "version": VERSION, "created_at": now.isoformat(),
            "database": {"dialect": dialect, "member": DATABASE_MEMBER[dialect],
                         "revision": _revision(url)},
            "members": {name: {"size": file.stat().st_size, "sha256": _sha256(file)}
                        for name, file in members.items()},
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
        partial = path.with_name(f".{path.name}.part")
        try:
            with tarfile.open(partial, "w") as archive:
                archive.add(manifest_path, MANIFEST)
                for name, file in members.items():
                    archive.add(file, name)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    files = len(members) - 1
    return Outcome(path=path, dialect=dialect, files=files, size=path.stat().st_size)


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def verify(path: str | Path) -> dict:
    """The manifest of a sound archive of ours; BackupError for a foreign or damaged one.
    Reads every member and checks its checksum; writes nothing."""
    path = Path(path)
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 - closed by `with archive` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} không phải bản sao lưu đọc được ({exc}).") from exc
    with archive:
        try:
            members = archive.getmembers()
            byname = {m.name: m for m in members}
            if MANIFEST not in byname or not byname[MANIFEST].isfile():
                raise BackupError(f"{path} không phải bản sao lưu của taphuan (không có "
                                  f"{MANIFEST}).")
            manifest = json.loads(archive.extractfile(byname[MANIFEST]).read().decode("utf-8"))
        except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
            raise BackupError(f"{path} bị hỏng ({exc}).") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{path} không phải bản sao lưu của taphuan.")
        if manifest.get("version") != VERSION:
            raise BackupError(f"{path} là bản sao lưu phiên bản {manifest.get('version')}, "
                              f"chương trình này đọc phiên bản {VERSION}.")
        listed = manifest.get("members") or {}
        database = manifest.get("database") or {}
        if database.get("member") not in listed:
            raise BackupError(f"{path} bị hỏng: thiếu cơ sở dữ liệu.")
        extra = sorted(set(byname) - set(listed) - {MANIFEST})
        if extra:
            raise BackupError(f"{path} có thành phần lạ không ghi trong danh mục: {extra[0]}")
        for name, expected in listed.items():
            member = byname.get(name)
            if member is None or not member.isfile() or not _safe_member(name):
                raise BackupError(f"{path} bị hỏng: thiếu hoặc sai {name}.")
            digest = hashlib.sha256()
            try:
                handle = archive.extractfile(member)
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
            except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
                raise BackupError(f"{path} bị hỏng ở {name} ({exc}).") from exc
            if digest.hexdigest() != expected.get("sha256") or member.size != expected.get(
                    "size"):
                raise BackupError(f"{path} bị hỏng: {name} không khớp mã kiểm tra.")
    return manifest


def _database_is_empty(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def restore(url: str, upload_dir: str | Path, path: str | Path) -> Outcome:
    """Restore the archive into an empty database and an empty upload folder. Everything is
    checked first; on a refusal nothing has been written."""
    manifest = verify(path)
    dialect = _dialect(url)
    if manifest["database"]["dialect"] != dialect:
        raise BackupError(f"Bản sao lưu là của {manifest['database']['dialect']}, cơ sở dữ "
                          f"liệu đích là {dialect}: không khôi phục chéo.")
    if not _database_is_empty(url):
        raise BackupError("Cơ sở dữ liệu đích đã có bảng: chỉ khôi phục vào một cơ sở dữ liệu "
                          "trống (tạo mới rồi chạy lại).")
    uploads = Path(upload_dir)
    if uploads.exists() and any(uploads.iterdir()):
        raise BackupError(f"Thư mục tệp tải lên {uploads} không trống: chỉ khôi phục vào thư "
                          "mục trống.")
    if dialect == "postgresql":
        check_pg_tools(url, "pg_restore")
    uploads.parent.mkdir(parents=True, exist_ok=True)
    listed = manifest["members"]
    with tempfile.TemporaryDirectory(prefix=".taphuan-restore-", dir=uploads.parent) as work:
        staged = Path(work)
        with tarfile.open(path, "r:") as archive:
            for name in listed:
                member = archive.getmember(name)
                target = staged / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, _CHUNK)
                if _sha256(target) != listed[name]["sha256"]:  # changed since verify()
                    raise BackupError(f"{path} thay đổi trong khi khôi phục: {name}.")
        database = staged / manifest["database"]["member"]
        if dialect == "sqlite":
            target_path = Path(make_url(url).database)
            target_path.parent.mkdir(parents=True, exist_ok=True)
            source = sqlite3.connect(database)
            copy = sqlite3.connect(target_path)
            try:
                with copy:
                    source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            libpq, env = _libpq(url)
            _run(["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner",
                  "--no-privileges", f"--dbname={libpq}", str(database)], env)
        staged_uploads = staged / UPLOADS
        if uploads.exists():
            uploads.rmdir()  # empty, checked above
        if staged_uploads.exists():
            os.replace(staged_uploads, uploads)
        else:
            uploads.mkdir()
    return Outcome(path=Path(path), dialect=dialect, files=len(listed) - 1,
                   size=Path(path).stat().st_size)
