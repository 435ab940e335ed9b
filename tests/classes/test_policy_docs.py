"""The README's seat allocation policy is the one in app/classes/allocation.py, word for word:
the rules are stated once (the module docstring) and the README may not drift from them."""

import re
from pathlib import Path

from app.classes import allocation

ROOT = Path(__file__).resolve().parents[2]


def _rules(text: str, start: str) -> list[str]:
    """The numbered rules after the line that starts with `start`, white space folded."""
    after = text[text.index(start):]
    block = re.split(r"\n\s*\n(?=\S)(?!\s*\d\.)", after.split("\n", 1)[1].lstrip("-\n"),
                     maxsplit=1)[0]
    items = re.split(r"(?m)^\s*(?=\d\.\s)", block)
    return [" ".join(item.split()) for item in items if item.strip()]


def test_the_readme_states_the_allocation_rules_of_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = allocation.__doc__
    vi_code, en_code = _rules(code, "Cách xét chọn"), _rules(code, "How seats are allocated")
    vi_readme, en_readme = _rules(readme, "**Tiếng Việt.**"), _rules(readme, "**English.**")
    assert len(vi_code) == len(en_code) == 9
    assert vi_readme == vi_code
    assert en_readme == en_code


def _why(text: str, start: str) -> str:
    """The paragraph on the reasons for the defaults, white space folded."""
    after = text[text.index(start):]
    return " ".join(re.split(r"\n\s*\n", after, maxsplit=1)[0].split())


def test_the_readme_gives_the_reasons_for_the_defaults_of_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = allocation.__doc__
    for start in ("Vì sao mặc định như vậy", "Why these defaults"):
        assert _why(readme, start) == _why(code, start)
    assert "Điều 19" in code and "Article 19" in code
