"""Reasons of the seat allocation in the reader's language.

The allocation writes its reasons in Vietnamese (they are stored on the applications and
printed); each comes from a template in `allocation.REASON_TEMPLATES` (plus the few lines the
enrolment adds). A page in another language recognises the template a reason was made from
and shows the template's translation with the same values (a moment "14:16 ngày 12/11/2026"
in the reader's words too). A reason that matches none (free text, or older wording) is shown
as stored.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import get_locale
from flask_babel import gettext as _

from app.classes.allocation import REASON_TEMPLATES
from app.classes.enrolment import REASON_TEMPLATES as ENROLMENT_TEMPLATES
from app.i18n_markers import N_

_FIELD = re.compile(r"%\((\w+)\)s")
MOMENT = N_("%(clock)s ngày %(day)s")  # allocation.moment_text
_MOMENT = re.compile(r"(?P<clock>\d\d:\d\d(?::\d\d)?) ngày (?P<day>\d\d/\d\d/\d{4})")


@cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    """One full-match pattern per template, the longest first (the most specific: a tie-break
    line naming the application number before the one that does not)."""
    out = []
    for template in sorted({*REASON_TEMPLATES, *ENROLMENT_TEMPLATES}, key=len, reverse=True):
        parts, last = [], 0
        for m in _FIELD.finditer(template):
            parts.append(re.escape(template[last:m.start()].replace("%%", "%")))
            parts.append(f"(?P<{m.group(1)}>.+?)")
            last = m.end()
        parts.append(re.escape(template[last:].replace("%%", "%")))
        out.append((re.compile("".join(parts), re.DOTALL), template))
    return out


def shown_reason(text: str) -> str:
    """The reason as the reader should see it (as stored when the page is in Vietnamese)."""
    locale = get_locale()
    if text is None or locale is None or locale.language == "vi":
        return text
    for pattern, template in _patterns():
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            moment = _MOMENT.fullmatch(values.get("moment") or "")
            if moment:
                values["moment"] = _(MOMENT, **moment.groupdict())
            return _(template, **values)
    return text
