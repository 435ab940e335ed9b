"""The kinds of bad input the test suite tries, with how many cases of each: the table in
SECURITY.md, checked by tests/security/test_security_doc.py. A kind is counted from the tests
themselves (the parametrized cases of the named test functions, or the lists of hostile files
they run), so adding a case changes the count and the test asks for SECURITY.md to follow.

    UPDATE_SECURITY_MD=1 pytest tests/security/test_security_doc.py   # rewrites the table
"""

from __future__ import annotations

import importlib
import inspect
import math

ROUTE_ROLES = 5  # anonymous, admin, coordinator, trainer, learner (test_route_access.ROLES)
CSRF_ROLES = 4  # anonymous, admin, coordinator, trainer (test_csrf_walk)


def cases(module_name: str, *functions: str) -> int:
    """The test cases of `functions` (all test_* functions of the module when none are named):
    each function counts the product of the lengths of its parametrize lists."""
    module = importlib.import_module(module_name)
    names = functions or [n for n, f in inspect.getmembers(module, inspect.isfunction)
                          if n.startswith("test_") and f.__module__ == module.__name__]
    total = 0
    for name in names:
        marks = getattr(getattr(module, name), "pytestmark", [])
        sizes = [len(list(m.args[1])) for m in marks if m.name == "parametrize"]
        total += math.prod(sizes) if sizes else 1
    return total


def route_cases(app) -> tuple[int, int]:
    """(route × method × role checks of the route walk, POST routes × roles of the CSRF walk)."""
    walked = posts = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = [m for m in rule.methods if m in ("GET", "POST")]
        walked += len(methods)
        posts += "POST" in methods
    return walked * ROUTE_ROLES, posts * CSRF_ROLES


def kinds(app) -> list[tuple[str, int, str]]:
    """(kind, cases, where) for every kind of bad input tried."""
    active = importlib.import_module("tests.security.test_active_content")
    walked, posts = route_cases(app)
    return [
        ("Requests to every route by every role and anonymous (the wrong person gets 403/404)",
         walked, "tests/core/test_route_access.py"),
        ("POST without its CSRF token, every POST route", posts, "tests/core/test_csrf_walk.py"),
        ("Script and HTML payloads in lesson Markdown (each alone and inside Markdown)",
         len(importlib.import_module("tests.courses.test_content").XSS),
         "tests/courses/test_content.py"),
        ("Uploads of the wrong type, renamed, polyglot, with macros, too large, image bombs",
         cases("tests.courses.test_uploads"), "tests/courses/test_uploads.py"),
        ("PDFs carrying JavaScript, actions, launch, embedded files, forms, rich media, XFA",
         len(active.HOSTILE["pdf"]), "tests/security/test_active_content.py"),
        ("Office files with DDE or external links (xlsx, docx)",
         len(active.HOSTILE["xlsx"]) + len(active.HOSTILE["docx"]),
         "tests/security/test_active_content.py"),
        ("Zip bombs, control characters in names, formulas in written spreadsheets, NUL",
         cases("tests.security.test_hardening"), "tests/security/test_hardening.py"),
        ("Spreadsheets claiming a million rows, wide sheets, huge cells",
         cases("tests.security.test_spreadsheet_bounds"),
         "tests/security/test_spreadsheet_bounds.py"),
        ("Ids and numbers outside ASCII digits or the database's range",
         cases("tests.security.test_ids"), "tests/security/test_ids.py"),
        ("Double taps and racing creates (the same form twice, a unique key taken)",
         cases("tests.security.test_double_taps"), "tests/security/test_double_taps.py"),
        ("Linking an account beyond a coordinator's right",
         cases("tests.security.test_account_links"), "tests/security/test_account_links.py"),
        ("Damaged, foreign or misdirected backup archives",
         cases("tests.security.test_backup") - 2, "tests/security/test_backup.py"),
        ("Password guessing and copied session cookies",
         cases("tests.auth.test_throttle") + cases("tests.auth.test_sessions"),
         "tests/auth/test_throttle.py, tests/auth/test_sessions.py"),
        ("Weak, common and personal passwords, wherever a password is set",
         cases("tests.auth.test_password_strength"), "tests/auth/test_password_strength.py"),
        ("Wrong, replayed, expired and guessed second-factor codes; phone and birth shown to the "
         "wrong role",
         cases("tests.auth.test_two_factor") + cases("tests.people.test_visibility")
         + cases("tests.classes.test_personal_data_visibility"),
         "tests/auth/test_two_factor.py, tests/people/test_visibility.py, "
         "tests/classes/test_personal_data_visibility.py"),
        ("The database gone, unreachable, cut off, locked or broken",
         cases("tests.security.test_faults") + cases("tests.security.test_database_goes_away"),
         "tests/security/test_faults.py, tests/security/test_database_goes_away.py"),
        ("A full disk (or another write error) on every upload path",
         cases("tests.courses.test_disk_full") + cases(
             "tests.attendance.test_evidence",
             "test_a_scan_on_a_full_disk_is_a_clear_507_and_nothing_half_written"),
         "tests/courses/test_disk_full.py, tests/attendance/test_evidence.py"),
        ("Attendance operations sent by phones: unreadable or oversized batches, reused ids, "
         "bad operations, a clock far ahead, missing or stale CSRF tokens and Referers",
         cases("tests.attendance.test_ops_api",
               "test_a_batch_that_cannot_be_read_is_a_json_refusal",
               "test_a_batch_over_the_limit_applies_nothing",
               "test_without_a_good_token_and_referer_the_csrf_refusal_is_json_and_nothing_"
               "is_written")
         + cases("tests.attendance.test_ops",
                 "test_a_reused_id_with_other_content_or_from_another_user_is_refused",
                 "test_bad_operations_are_refused_one_by_one_and_the_good_ones_applied",
                 "test_a_batch_sent_from_a_clock_far_ahead_is_refused_with_the_reason",
                 "test_a_batch_that_cannot_be_read_is_refused_whole"),
         "tests/attendance/test_ops_api.py, tests/attendance/test_ops.py"),
    ]


def table(app) -> str:
    rows = ["| kind of bad input | cases | tests |", "|---|---:|---|"]
    rows += [f"| {kind} | {count:,} | {', '.join(f'`{w}`' for w in where.split(', '))} |"
             for kind, count, where in kinds(app)]
    return "\n".join(rows) + "\n"
