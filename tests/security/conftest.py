"""The class and course factories of tests/classes and tests/courses, for the security tests."""

from tests.classes.conftest import apply_for, learner_cadre, make_class  # noqa: F401
from tests.courses.conftest import make_course, upload_dir  # noqa: F401
