"""Course packages: reading with file and line problems, idempotent import that keeps
progress, export, round trip, and the `flask courses` commands."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.courses import package, progress, service
from app.courses.models import (
    Course,
    CourseAttachment,
    CourseLesson,
    LessonProgress,
    QuizChoice,
    QuizQuestion,
)

MB = 1024 * 1024


def read(root):
    return package.read_packages(root, 20 * MB)


def messages(problems):
    return [str(p) for p in problems]


def snapshot(db):
    """Every course row and its children, to compare before and after a run."""
    db.session.expire_all()
    out = {}
    for model in (Course, CourseLesson, CourseAttachment, QuizQuestion, QuizChoice,
                  LessonProgress):
        rows = db.session.scalars(select(model).order_by(model.id)).all()
        out[model.__tablename__] = [
            {c.key: getattr(r, c.key) for c in model.__table__.columns} for r in rows]
    return json.loads(json.dumps(out, default=str))


def test_starter_courses_are_valid(db):
    packages, problems = read(Path(__file__).resolve().parents[2] / "courses")
    assert problems == []
    assert len(packages) == 4
    for pkg in packages:
        assert pkg.lessons and pkg.quiz and pkg.quiz.questions
        assert all(t in service.TOPICS for t in pkg.data.topics)


def test_good_package_imports(db, upload_dir, write_package, pkg):
    root = write_package("khoa-thu", pkg.good())
    packages, problems = read(root)
    assert problems == []
    result = package.import_packages(None, packages, upload_dir)
    db.session.commit()
    assert result.created == ["khoa-thu"]
    course = service.by_slug("khoa-thu")
    assert (course.title, course.code, course.topics, course.hours, course.version) == (
        "Khóa học thử", "THU-01", ["chuong-trinh"], 4, 1)
    assert course.status == "draft"
    assert course.audience == "Trưởng thôn" and course.summary == "Tóm tắt khóa thử."
    assert "Khóa học để kiểm thử." in course.description_html
    assert [(x.position, x.slug, x.title) for x in course.lessons] == [
        (1, "mot", "Bài một"), (2, "hai", "Bài hai")]
    assert "<table" in course.lessons[1].html_cache  # rendered once, on import
    assert course.quiz.pass_mark == 50 and course.quiz.max_attempts == 2
    question = course.quiz.questions[0]
    assert question.explanation == "Vì vậy."
    assert [(c.text, c.correct) for c in question.choices] == [("Đúng", True), ("Sai", False)]


def test_second_run_changes_nothing(db, upload_dir, starter):
    before = snapshot(db)
    audits = db.session.scalar(select(func.count(AuditEntry.id)))
    packages, problems = read(Path(__file__).resolve().parents[2] / "courses")
    result = package.import_packages(None, packages, upload_dir, publish=True)
    assert not db.session.dirty and not db.session.new and not db.session.deleted
    db.session.commit()
    assert result.created == [] and result.updated == [] and len(result.unchanged) == 4
    assert snapshot(db) == before
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audits


def test_broken_front_matter_reports_file_and_line(db, write_package, pkg):
    files = pkg.good()
    files["lessons/02-hai.md"] = '---\ntitle: "Bài hai\nx: [1\n---\n\nNội dung.\n'
    files["course.md"] = pkg.course_md.replace('code: "THU-01"', 'code: "THU-01"\ncode: "X"')
    problems = messages(read(write_package("khoa-thu", files))[1])
    # the quote opened on line 2 of the file (line 1 of the YAML, after the opening ---)
    assert any(p.startswith("packages/khoa-thu/lessons/02-hai.md:2: Lỗi cú pháp YAML")
               and "dấu nháy ở dòng này chưa được đóng" in p for p in problems), problems
    assert any(p.startswith("packages/khoa-thu/course.md:4:") and "hai lần" in p for p in problems)


@pytest.mark.parametrize(("front", "line"), [
    ('title: "A"\n\tx: 1', 3),  # a tab: line 3 of the file
    ("title: A\n x: 1\n", 3),  # bad indentation
    ('title: [A, B\nx: 1', 2),  # unclosed bracket opened on line 2
    ("title: 'A\n", 2),
    ("title: A\n- b", 3),
])
def test_yaml_errors_point_at_the_file_line(db, write_package, pkg, front, line):
    files = pkg.good()
    files["lessons/01-mot.md"] = f"---\n{front}\n---\n\nNội dung.\n"
    problems = [p for p in read(write_package("khoa-thu", files))[1]
                if p.file.endswith("01-mot.md")]
    assert len(problems) == 1 and problems[0].line == line, problems
    assert problems[0].message.startswith("Lỗi cú pháp YAML")


def test_lesson_without_content_points_at_the_closing_line(db, write_package, pkg):
    files = pkg.good()
    files["lessons/01-mot.md"] = '---\ntitle: "Bài một"\n---\n\n\n'
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert problems == ["packages/khoa-thu/lessons/01-mot.md:3: Bài học không có nội dung "
                        "(không có gì sau dòng --- đóng phần đầu)."]


def test_unrenderable_markdown_is_reported_with_file_and_line(db, app, upload_dir,
                                                              write_package, pkg):
    files = pkg.good()
    nested = "\n".join("\t" * i + "- x" for i in range(300))
    files["lessons/01-mot.md"] = pkg.lesson("Bài một", "Mở đầu.\n\n" + nested)
    files["course.md"] = pkg.course_md + "\n" + "> " * 30 + "x\n"
    root = write_package("khoa-thu", files)
    problems = messages(read(root)[1])
    # the body starts on line 5 of the lesson file; "\t" * 20 + "- x" is its line 23, the
    # file's line 27
    assert any(p.startswith("packages/khoa-thu/lessons/01-mot.md:27: Thụt lề") for p in problems)
    assert any(p.startswith("packages/khoa-thu/course.md:16: Thụt lề") for p in problems)
    result = app.test_cli_runner().invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "packages/khoa-thu/lessons/01-mot.md:27:" in result.output
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_too_many_choices_are_refused(db, write_package, pkg):
    files = pkg.good()
    files["quiz.yaml"] = ("pass_mark: 50\nquestions:\n  - text: \"Nhiều?\"\n    choices:\n"
                          + "".join(f"      - text: \"L{i}\"\n" for i in range(11))
                          + "      - text: \"Đúng\"\n        correct: true\n")
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert problems == ["packages/khoa-thu/quiz.yaml:4: Câu 1: tối đa 10 lựa chọn (có 12)."]


def test_front_matter_missing_or_unclosed(db, write_package, pkg):
    files = pkg.good()
    files["lessons/01-mot.md"] = "# Không có phần đầu\n\nNội dung.\n"
    files["lessons/02-hai.md"] = '---\ntitle: "Bài hai"\n\nNội dung.\n'
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert "packages/khoa-thu/lessons/01-mot.md:1: Thiếu phần đầu YAML" in problems[0]
    assert any(p.startswith("packages/khoa-thu/lessons/02-hai.md:1:") and "đóng lại" in p
               for p in problems)


def test_missing_lesson_file(db, write_package, pkg):
    files = pkg.good()
    files["lessons/04-bon.md"] = pkg.lesson("Bài bốn")
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert problems == ["packages/khoa-thu/lessons: Thiếu tệp bài số 03: các bài phải được đánh số "
                        "liên tục 01, 02, 03..."]


def test_no_lessons_and_missing_course_md(db, write_package, pkg):
    root = write_package("khong-bai", {"course.md": pkg.course_md})
    write_package("khong-course", {"lessons/01-a.md": pkg.lesson("A")}, root)
    problems = messages(read(root)[1])
    assert "packages/khong-bai/lessons: Thiếu thư mục lessons/ chứa các bài học." in problems
    assert "packages/khong-course/course.md: Thiếu tệp course.md của khóa học." in problems


def test_unknown_topic_with_its_line(db, write_package, pkg):
    files = pkg.good()
    files["course.md"] = pkg.course_md.replace("  - chuong-trinh", "  - chuong-trinh\n  - nau-an")
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert len(problems) == 1
    assert problems[0].startswith(
        "packages/khoa-thu/course.md:6: Chủ đề “nau-an” không có trong danh mục")


def test_duplicate_slugs_and_codes(db, write_package, pkg, make_course):
    files = pkg.good()
    files["lessons/03-mot.md"] = pkg.lesson("Bài một lặp")
    root = write_package("khoa-thu", files)
    write_package("khoa-hai", pkg.good(), root)  # same code THU-01 as khoa-thu
    problems = messages(read(root)[1])
    assert any("packages/khoa-thu/lessons/03-mot.md" in p and "Mã bài “mot” trùng" in p
               for p in problems)
    assert any(p.startswith("packages/khoa-thu/course.md:3:") and "trùng" in p for p in problems)
    make_course("khac", quiz=False)  # code KHAC in the database
    other = write_package("khoa-ba", {**pkg.good(), "course.md": pkg.course_md.replace(
        "THU-01", "KHAC")}, root_dir=root.parent / "other")
    assert any("đã dùng cho một khóa học khác" in p for p in messages(read(other)[1]))


def test_bad_slug_and_lesson_names(db, write_package, pkg):
    files = pkg.good()
    files["lessons/ba.md"] = pkg.lesson("Ba")
    problems = messages(read(write_package("Khoa Thu", files))[1])
    assert any("Tên thư mục “Khoa Thu”" in p for p in problems)
    assert any("ba.md" in p and "NN-ten-bai.md" in p for p in problems)


def test_quiz_problems_have_lines(db, write_package, pkg):
    files = pkg.good()
    files["quiz.yaml"] = (
        "pass_mark: 150\nmax_attempts: 2\nquestions:\n"
        "  - text: \"Không có đáp án đúng\"\n    choices:\n      - text: \"A\"\n"
        "      - text: \"B\"\n        corect: true\n"
        "  - text: \"Một lựa chọn\"\n    choices:\n      - text: \"A\"\n        correct: yes\n")
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert "packages/khoa-thu/quiz.yaml:1: “pass_mark” phải là số nguyên từ 0 đến 100." in problems
    assert any(p.startswith("packages/khoa-thu/quiz.yaml:8: Khóa “corect”") for p in problems)
    assert any(p.startswith("packages/khoa-thu/quiz.yaml:5: Câu 1: chưa có lựa chọn nào đúng")
               for p in problems)
    assert any(p.startswith("packages/khoa-thu/quiz.yaml:10: Câu 2: cần ít nhất 2 lựa chọn")
               for p in problems)


def test_quiz_yaml_syntax_error(db, write_package, pkg):
    files = pkg.good()
    files["quiz.yaml"] = "pass_mark: 50\nquestions:\n  - text: \"a\n    choices: [\n"
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert len(problems) == 1 and problems[0].startswith("packages/khoa-thu/quiz.yaml:")
    assert "Lỗi cú pháp YAML" in problems[0]


def test_not_utf8(db, write_package, pkg):
    files = pkg.good()
    files["lessons/01-mot.md"] = pkg.lesson("Bài một").encode("utf-8") + "\nđ\n".encode("cp1258")
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert problems == ["packages/khoa-thu/lessons/01-mot.md:7: Tệp không phải văn bản UTF-8; "
                        "hãy lưu lại tệp với mã hóa UTF-8."]


def _png(width=2000, height=1000) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_files_are_checked_and_links_must_resolve(db, write_package, pkg):
    files = pkg.good()
    files["lessons/01-mot.md"] = pkg.lesson("Bài một", "Xem ![sơ đồ](files/so-do.png)\n\n"
                                                       "và [mẫu](files/khong-co.pdf).")
    files["files/so-do.png"] = _png()
    files["files/cai-dat.pdf"] = b"MZ\x90\x00" + b"\x00" * 200  # a program renamed .pdf
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert any(p.startswith("packages/khoa-thu/lessons/01-mot.md:7:") and "files/khong-co.pdf" in p
               for p in problems)
    assert any(p.startswith("packages/khoa-thu/files/cai-dat.pdf:")
               and "không phải loại được phép" in p for p in problems)
    assert not any("so-do.png" in p for p in problems)


def test_nothing_is_imported_with_a_problem(db, upload_dir, write_package, pkg, app):
    files = pkg.good()
    files["course.md"] = pkg.course_md.replace("chuong-trinh", "khong-co")
    root = write_package("khoa-thu", files)
    write_package("khoa-tot", {**pkg.good(), "course.md": pkg.course_md.replace(
        "THU-01", "TOT-01")}, root)
    result = app.test_cli_runner().invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 1
    assert "packages/khoa-thu/course.md:5: Chủ đề “khong-co”" in result.output
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_reimport_updates_in_place_and_keeps_progress(db, upload_dir, write_package, pkg,
                                                      users):
    files = {**pkg.good(), "lessons/03-ba.md": pkg.lesson("Bài ba")}
    root = write_package("khoa-thu", files)
    package.import_packages(None, read(root)[0], upload_dir, publish=True)
    db.session.commit()
    course = service.by_slug("khoa-thu")
    ids = {x.slug: x.id for x in course.lessons}
    enrollment, _ = progress.enroll(users["learner"], course)
    for lesson in course.lessons[:2]:
        progress.mark_done(enrollment, lesson)
    db.session.commit()

    # new package: lesson "mot" rewritten, "hai" removed (was done: archived), "ba" removed
    # (nobody did it: deleted), "bon" added; order changed
    (root / "khoa-thu/lessons/02-hai.md").unlink()
    (root / "khoa-thu/lessons/03-ba.md").unlink()
    (root / "khoa-thu/lessons/01-mot.md").unlink()
    (root / "khoa-thu/lessons/01-bon.md").write_text(pkg.lesson("Bài bốn"), encoding="utf-8")
    (root / "khoa-thu/lessons/02-mot.md").write_text(pkg.lesson("Bài một (sửa)", "Mới."),
                                                    encoding="utf-8")
    packages, problems = read(root)
    assert problems == []
    result = package.import_packages(None, packages, upload_dir)
    db.session.commit()
    assert result.updated == ["khoa-thu"] and result.archived_lessons == 1
    db.session.expire_all()
    course = service.by_slug("khoa-thu")
    assert [(x.slug, x.position) for x in course.active_lessons] == [("bon", 1), ("mot", 2)]
    mot = next(x for x in course.lessons if x.slug == "mot")
    assert mot.id == ids["mot"] and mot.title == "Bài một (sửa)" and "Mới." in mot.html_cache
    hai = next(x for x in course.lessons if x.slug == "hai")
    assert hai.id == ids["hai"] and hai.archived_at is not None
    assert all(x.slug != "ba" for x in course.lessons)
    assert progress.done_ids(enrollment) == {ids["mot"], ids["hai"]}  # nothing lost
    assert course.version == 2  # published content changed: a new version
    state = progress.progress_of(course, enrollment)
    assert (state.done, state.total) == (1, 2)

    # the lesson comes back: same row, same progress
    (root / "khoa-thu/lessons/03-hai.md").write_text(pkg.lesson("Bài hai"), encoding="utf-8")
    packages, problems = read(root)
    assert problems == []
    package.import_packages(None, packages, upload_dir)
    db.session.commit()
    assert hai.archived_at is None and hai.position == 3
    assert progress.progress_of(course, enrollment).done == 2


def test_round_trip(db, upload_dir, write_package, pkg, tmp_path):
    files = pkg.good()
    files["lessons/01-mot.md"] = pkg.lesson("Bài một", "Ảnh: ![sơ đồ](files/so-do.png)\n\n"
                                                       "Tệp: [biểu mẫu](files/mau.xlsx)")
    files["files/so-do.png"] = _png()
    import openpyxl

    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    files["files/mau.xlsx"] = out.getvalue()
    root = write_package("khoa-thu", files)
    package.import_packages(None, read(root)[0], upload_dir, publish=True)
    db.session.commit()
    course = service.by_slug("khoa-thu")
    image = next(a for a in course.attachments if a.filename == "so-do.png")
    assert (image.width, image.height) == (1280, 640)  # resized on import
    before = snapshot(db)

    exported = package.export_course(course, tmp_path / "export", upload_dir)
    assert exported == tmp_path / "export" / "khoa-thu"
    texts = {p.relative_to(exported).as_posix(): p.read_bytes() for p in exported.rglob("*")
             if p.is_file()}
    assert sorted(texts) == ["course.md", "files/mau.xlsx", "files/so-do.png",
                             "lessons/01-mot.md", "lessons/02-hai.md", "quiz.yaml"]
    packages, problems = read(tmp_path / "export")
    assert problems == []
    result = package.import_packages(None, packages, upload_dir)
    db.session.commit()
    assert result.unchanged == ["khoa-thu"]
    assert snapshot(db) == before
    # and exporting again writes the same bytes
    again = package.export_course(course, tmp_path / "again", upload_dir)
    assert {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*")
            if p.is_file()} == texts


def test_starter_round_trip(db, upload_dir, starter, tmp_path):
    before = snapshot(db)
    for course in starter.values():
        package.export_course(course, tmp_path / "out", upload_dir)
    packages, problems = read(tmp_path / "out")
    assert problems == [] and len(packages) == 4
    result = package.import_packages(None, packages, upload_dir)
    db.session.commit()
    assert len(result.unchanged) == 4
    assert snapshot(db) == before


def test_cli_import_and_export(app, db, upload_dir, write_package, pkg, users, tmp_path):
    root = write_package("khoa-thu", pkg.good())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courses", "import", str(root), "--publish",
                                 "--trainer", "trainer"])
    assert result.exit_code == 0, result.output
    assert "thêm mới 1" in result.output
    course = service.by_slug("khoa-thu")
    assert course.status == "published" and [t.username for t in course.trainers] == ["trainer"]
    again = runner.invoke(args=["courses", "import", str(root)])
    assert again.exit_code == 0 and "không đổi 1" in again.output
    out = runner.invoke(args=["courses", "export", "khoa-thu", str(tmp_path / "x")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "x/khoa-thu/course.md").read_text(encoding="utf-8").startswith(
        '---\ntitle: "Khóa học thử"')
    missing = runner.invoke(args=["courses", "export", "khong-co", str(tmp_path / "y")])
    assert missing.exit_code != 0 and "Không có khóa học khong-co" in missing.output
    unknown = runner.invoke(args=["courses", "import", str(root), "--trainer", "ai-do"])
    assert unknown.exit_code != 0 and "Không có tài khoản ai-do" in unknown.output


@pytest.mark.parametrize("limit, value, message", [
    ("MAX_CONTENT_LENGTH", 1000, "tối đa"),
    ("COURSE_IMAGE_MAX_PIXELS", 1_000_000, "quá lớn"),
])
def test_cli_import_takes_the_limits_of_the_configuration(app, db, upload_dir, write_package,
                                                         pkg, limit, value, message):
    files = {**pkg.good(), "files/so-do.png": _png()}  # 2000 x 1000: 2 million pixels
    root = write_package("khoa-thu", files)
    old = app.config[limit]
    app.config[limit] = value
    try:
        result = app.test_cli_runner().invoke(args=["courses", "import", str(root)])
    finally:
        app.config[limit] = old
    assert result.exit_code == 1
    assert "packages/khoa-thu/files/so-do.png:" in result.output and message in result.output


def test_cli_default_directory_is_the_repository_courses(app, db, upload_dir):
    result = app.test_cli_runner().invoke(args=["courses", "import"])
    assert result.exit_code == 0, result.output
    assert "thêm mới 4" in result.output


@pytest.mark.parametrize("target", ["parent", "named"])
def test_export_into_a_folder_named_after_the_slug(db, upload_dir, starter, tmp_path, target):
    course = starter["chuong-trinh-giam-ngheo-2021-2025"]
    where = tmp_path if target == "parent" else tmp_path / course.slug
    path = package.export_course(course, where, upload_dir)
    assert path == tmp_path / course.slug
    assert (path / "quiz.yaml").exists() and len(list((path / "lessons").glob("*.md"))) == 8


# --- a re-import never silently undoes browser edits ---------------------------------------


def test_reimport_is_refused_after_a_browser_edit(app, db, upload_dir, write_package, pkg,
                                                 client, login, users):
    root = write_package("khoa-thu", pkg.good())
    runner = app.test_cli_runner()
    assert runner.invoke(args=["courses", "import", str(root), "--publish",
                               "--trainer", "trainer"]).exit_code == 0
    course = service.by_slug("khoa-thu")
    lesson = course.lessons[0]
    login("trainer")  # edits lesson 1 in the browser and publishes version 2
    client.post(f"/courses/khoa-thu/edit/lessons/{lesson.id}",
                data={"title": "Bài một", "body": "Sửa trên trình duyệt.", "action": "save"})
    client.post("/courses/khoa-thu/edit/status", data={"action": "publish"})
    db.session.expire_all()
    assert course.version == 2

    result = runner.invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 1
    assert "packages/khoa-thu/course.md: Khóa học khoa-thu (phiên bản 2) đã được tạo hoặc sửa " \
           "trên trình duyệt" in result.output and "--force" in result.output
    db.session.expire_all()
    assert lesson.body_md == "Sửa trên trình duyệt." and course.version == 2

    forced = runner.invoke(args=["courses", "import", str(root), "--force"])
    assert forced.exit_code == 0, forced.output
    db.session.expire_all()
    assert lesson.body_md == "Nội dung bài." and course.version == 3
    # after a forced import the package is the reference again: a plain re-run is fine
    assert runner.invoke(args=["courses", "import", str(root)]).exit_code == 0


def test_reimport_of_an_older_package_is_refused(db, upload_dir, write_package, pkg):
    files = pkg.good()
    files["course.md"] = pkg.course_md.replace("version: 1", "version: 3")
    root = write_package("khoa-thu", files)
    package.import_packages(None, read(root)[0], upload_dir)
    db.session.commit()
    old = write_package("khoa-thu", pkg.good(), root_dir=root.parent / "cu")
    problems = messages(read(old)[1])
    assert problems == ["cu/khoa-thu/course.md:8: Gói ghi version: 1, cũ hơn gói đã nhập lần "
                        "trước (version: 3); đây có thể là bản cũ. Hãy kiểm tra lại gói, hoặc "
                        "chạy lại với --force nếu chắc chắn muốn nhập bản này."]
    assert package.read_packages(old, 20 * MB, force=True)[1] == []


def test_edited_package_can_be_imported_again_and_again(db, upload_dir, write_package, pkg):
    """Editing the package files (without touching version:) and importing is the normal
    workflow: each import moves the published version on, none is refused."""
    root = write_package("khoa-thu", pkg.good())
    package.import_packages(None, read(root)[0], upload_dir, publish=True)
    db.session.commit()
    for n in range(2, 4):
        (root / "khoa-thu/lessons/01-mot.md").write_text(pkg.lesson("Bài một", f"Sửa {n}."),
                                                        encoding="utf-8")
        packages, problems = read(root)
        assert problems == []
        package.import_packages(None, packages, upload_dir)
        db.session.commit()
        assert service.by_slug("khoa-thu").version == n


def test_a_course_made_in_the_browser_is_not_overwritten(db, upload_dir, write_package, pkg,
                                                        make_course):
    make_course("khoa-thu", quiz=False)
    files = pkg.good()
    files["course.md"] = pkg.course_md.replace("THU-01", "KHOA-THU")
    problems = messages(read(write_package("khoa-thu", files))[1])
    assert len(problems) == 1 and "đã được tạo hoặc sửa trên trình duyệt" in problems[0]


def test_reimport_that_hides_a_lesson_completes_learners(db, upload_dir, write_package, pkg,
                                                         users):
    files = {**pkg.good(), "lessons/03-ba.md": pkg.lesson("Bài ba")}
    files.pop("quiz.yaml")
    root = write_package("khoa-thu", files)
    package.import_packages(None, read(root)[0], upload_dir, publish=True)
    db.session.commit()
    course = service.by_slug("khoa-thu")
    enrollment, _ = progress.enroll(users["learner"], course)
    for lesson in course.lessons[:2]:
        progress.mark_done(enrollment, lesson)
    db.session.commit()
    (root / "khoa-thu/lessons/03-ba.md").unlink()
    packages, problems = read(root)
    assert problems == []
    package.import_packages(None, packages, upload_dir)
    db.session.commit()
    db.session.expire_all()
    assert enrollment.completed_at is not None
