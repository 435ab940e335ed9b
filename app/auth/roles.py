"""The roles, and the groups of them that routes and object checks name (each group once).

- COORDINATORS run the program: cadres, units, classes, allocation, papers, reports.
- STAFF teach or run it: they read every course, write courses (a trainer only their own:
  `courses/access.py`) and take attendance.
- EVERYONE signed in with any role.
"""

from app.i18n_markers import N_

ROLES = ("admin", "coordinator", "trainer", "learner")
COORDINATORS = ("coordinator", "admin")
STAFF = ("trainer", "coordinator", "admin")
EVERYONE = ("learner", "trainer", "coordinator", "admin")

ROLE_LABELS = {
    "admin": N_("Quản trị"),
    "coordinator": N_("Cán bộ điều phối"),
    "trainer": N_("Giảng viên"),
    "learner": N_("Học viên"),
}
