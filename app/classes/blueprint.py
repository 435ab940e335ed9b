"""The classes blueprint: one URL prefix (/classes) and one endpoint namespace ("classes.*")
shared by the view modules that add their routes to it, each imported by name in
`app/classes/__init__.py`:

- `views.py`: the class list, the class page, the coordinator's forms, status, sessions;
- `application_views.py`: applications, the allocation preview and confirmation, overrides,
  withdrawals, filling from the waitlist, learners applying, nominating from a file;
- `nominate_views.py`: nominating from the cadre list, ticks kept across filters and pages;
- `paper_views.py`: the class's papers (the admitted list as PDF and .xlsx).

Pages several of them render (the class page, the learner's list) are in `pages.py`; who
may do what to a class is in `access.py`.
"""

from flask import Blueprint

bp = Blueprint("classes", __name__)
