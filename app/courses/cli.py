"""`flask courses import [DIR]` and `flask courses export SLUG DIR`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.auth.models import User
from app.core.storage import StorageFull
from app.courses import package, service, uploads
from app.extensions import db

courses_cli = AppGroup("courses", help="Khóa học: nhập và xuất gói khóa học (thư mục courses/).")


@courses_cli.command("import")
@click.argument("directory", required=False,
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Công bố các khóa học sau khi nhập.")
@click.option("--trainer", "trainers", multiple=True,
              help="Tên đăng nhập của giảng viên phụ trách (có thể ghi nhiều lần).")
@click.option("--force", is_flag=True,
              help="Nhập cả khi khóa học đã được sửa trên trình duyệt sau lần nhập trước, hoặc "
                   "gói cũ hơn gói đã nhập (ghi đè các thay đổi đó).")
def import_command(directory: Path | None, publish: bool, trainers: tuple[str, ...],
                   force: bool) -> None:
    """Create or update courses from packages (default: the repository's courses/). Idempotent:
    a second run changes nothing; learners' progress is never deleted. With any problem,
    nothing is imported and every problem is printed with its file and line (exit code 1).
    A course changed in the browser since its last import is not overwritten without
    --force."""
    directory = directory or package.starter_dir(current_app.root_path)
    users = []
    for name in trainers:
        user = db.session.scalar(select(User).where(User.username == name))
        if user is None:
            raise click.ClickException(f"Không có tài khoản {name}.")
        users.append(user)
    packages, problems = package.read_packages(directory, force=force,
                                               **uploads.limits(current_app.config))
    if problems:
        click.echo(f"Có {len(problems)} lỗi trong {directory}; chưa nhập khóa học nào:", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        raise click.exceptions.Exit(1)
    upload_dir = current_app.config["UPLOAD_DIR"]
    try:
        result = package.import_packages(None, packages, upload_dir, publish=publish,
                                         trainers=users)
    except StorageFull as exc:  # its files already removed
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.remove(upload_dir, result.new_files)
        raise
    uploads.remove(upload_dir, result.stale_files)
    for slug in result.created:
        click.echo(f"  + {slug}")
    for slug in result.updated:
        click.echo(f"  ~ {slug}")
    click.echo(f"{directory}: {result.text()}.")


@courses_cli.command("export")
@click.argument("slug")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(slug: str, directory: Path) -> None:
    """Write the course SLUG as a package into DIRECTORY/SLUG (course.md, lessons/,
    quiz.yaml, files/), in the format that `flask courses import` reads."""
    course = service.by_slug(slug)
    if course is None:
        raise click.ClickException(f"Không có khóa học {slug}.")
    try:
        target = package.export_course(course, directory, current_app.config["UPLOAD_DIR"])
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã xuất khóa học {course.code} (phiên bản {course.version}) vào {target}.")
