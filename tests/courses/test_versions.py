"""One rule for new versions, whichever way the content changed: when the published content
changed since the last publish, the version goes up by one, and the hash and time of what was
published are remembered. The same rule holds for a trainer publishing in the browser and for
`flask courses import` of a changed package of a published course; a package that declares a
higher `version:` gets that version, never that version plus one."""

from datetime import datetime

import pytest

from app.courses import package, service

MB = 1024 * 1024
LONG_AGO = datetime(2020, 1, 1)


def import_packages(db, root, upload_dir, publish=False):
    packages, problems = package.read_packages(root, 20 * MB)
    assert problems == []
    result = package.import_packages(None, packages, upload_dir, publish=publish)
    db.session.commit()
    db.session.expire_all()
    return result


def published(db, write_package, pkg, upload_dir):
    """The test package, imported and published (version 1), its publish time set in the
    past so that a new publish shows."""
    root = write_package("khoa-thu", pkg.good())
    import_packages(db, root, upload_dir, publish=True)
    course = service.by_slug("khoa-thu")
    assert course.version == 1 and course.published_hash == service.content_hash(course)
    course.published_at = LONG_AGO
    db.session.commit()
    return root, course


def state(course):
    return course.version, course.published_hash, course.published_at


def edit_in_browser(client, course, body):
    lesson = course.active_lessons[0]
    client.post(f"/courses/{course.slug}/edit/lessons/{lesson.id}",
                data={"title": lesson.title, "body": body, "action": "save"})
    client.post(f"/courses/{course.slug}/edit/status", data={"action": "publish"})


def edit_package(db, root, pkg, upload_dir, body, version=None):
    (root / "khoa-thu/lessons/01-mot.md").write_text(pkg.lesson("Bài một", body),
                                                    encoding="utf-8")
    if version is not None:
        (root / "khoa-thu/course.md").write_text(
            pkg.course_md.replace("version: 1", f"version: {version}"), encoding="utf-8")
    return import_packages(db, root, upload_dir)


@pytest.mark.parametrize("path", ["browser", "import"])
def test_a_published_change_gets_one_new_version(path, app, db, client, login, users,
                                                  upload_dir, write_package, pkg):
    root, course = published(db, write_package, pkg, upload_dir)
    if path == "browser":
        login("trainer")
        course.trainers.append(users["trainer"])
        db.session.commit()

    def change(body):
        if path == "browser":
            edit_in_browser(client, course, body)
            db.session.expire_all()
        else:
            edit_package(db, root, pkg, upload_dir, body)

    change("Sửa lần một.")
    assert course.active_lessons[0].body_md == "Sửa lần một."
    assert course.version == 2  # once, not twice
    assert course.published_hash == service.content_hash(course)
    assert course.published_at > LONG_AGO
    assert not service.has_unpublished_changes(course)

    change("Sửa lần hai.")
    assert course.version == 3

    before = state(course)
    change("Sửa lần hai.")  # the same content again: nothing to record
    assert state(course) == before


def test_reimport_of_an_unchanged_package_changes_nothing(db, upload_dir, write_package, pkg):
    root, course = published(db, write_package, pkg, upload_dir)
    edit_package(db, root, pkg, upload_dir, "Sửa.")
    before = state(course), course.updated_at, course.import_hash, course.import_version
    result = import_packages(db, root, upload_dir)
    assert result.unchanged == ["khoa-thu"]
    assert (state(course), course.updated_at, course.import_hash,
            course.import_version) == before


def test_a_package_declaring_a_higher_version_takes_it_without_a_second_bump(
        db, upload_dir, write_package, pkg):
    root, course = published(db, write_package, pkg, upload_dir)
    result = edit_package(db, root, pkg, upload_dir, "Sửa.", version=5)
    assert result.updated == ["khoa-thu"]
    assert course.version == 5  # the package's, not 6
    assert course.published_hash == service.content_hash(course)
    assert course.published_at > LONG_AGO

    assert import_packages(db, root, upload_dir).unchanged == ["khoa-thu"]
    assert course.version == 5

    # a higher version with the same content: the version moves, nothing is republished
    published_hash, published_at = course.published_hash, course.published_at
    edit_package(db, root, pkg, upload_dir, "Sửa.", version=7)
    assert (course.version, course.published_hash, course.published_at) == (
        7, published_hash, published_at)

    # a change that declares no higher version (still 7) is a new version as usual
    edit_package(db, root, pkg, upload_dir, "Sửa nữa.", version=7)
    assert course.version == 8


def test_a_draft_keeps_the_package_version_and_its_first_publish_does_not_bump(
        db, upload_dir, write_package, pkg, client, login, users):
    files = pkg.good()
    files["course.md"] = pkg.course_md.replace("version: 1", "version: 4")
    root = write_package("khoa-thu", files)
    import_packages(db, root, upload_dir)
    course = service.by_slug("khoa-thu")
    assert (course.status, course.version, course.published_hash) == ("draft", 4, None)
    course.trainers.append(users["trainer"])
    db.session.commit()
    login("trainer")
    client.post("/courses/khoa-thu/edit/status", data={"action": "publish"})
    db.session.expire_all()
    assert (course.status, course.version) == ("published", 4)
    assert course.published_hash == service.content_hash(course)
