"""SECURITY.md states the kinds of bad input the tests try, with their counts as the tests
have them today (tests/security/counts.py). UPDATE_SECURITY_MD=1 rewrites the table."""

import os
from pathlib import Path

from tests.security.counts import table

DOC = Path(__file__).resolve().parents[2] / "SECURITY.md"
BEGIN, END = "<!-- bad-input:begin -->\n", "<!-- bad-input:end -->"


def test_security_md_states_the_bad_inputs_tried_with_their_counts(app):
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    wanted = table(app)
    if os.environ.get("UPDATE_SECURITY_MD") == "1":
        DOC.write_text(text[:start] + wanted + text[end:], encoding="utf-8")
        text = DOC.read_text(encoding="utf-8")
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    assert text[start:end] == wanted, (
        "SECURITY.md's table of bad inputs is out of date; run "
        "UPDATE_SECURITY_MD=1 pytest tests/security/test_security_doc.py")
