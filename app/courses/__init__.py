"""Courses: content (lessons, files, quiz), the trainer workspace, packages on disk, and the
learners' progress."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app.core.templating import add_nav
    from app.courses.cli import courses_cli
    from app.courses.topics import topic_label
    from app.courses.uploads import format_mb
    from app.courses.views import bp as courses_bp
    from app.courses.workspace_views import bp as edit_bp

    app.register_blueprint(courses_bp, url_prefix="/courses")
    app.register_blueprint(edit_bp, url_prefix="/courses")
    app.cli.add_command(courses_cli)
    add_nav(app, "courses.index", _l("Khóa học"), order=20)
    from app.audit import scope

    scope.register(app, "course")  # coordinators edit every course (courses/access.py)
    app.add_template_filter(topic_label, "topic_label")
    app.add_template_filter(format_mb, "filesize")  # 1258291 -> "1,2 MB"
