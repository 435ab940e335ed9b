"""Every UI string has its English translation, and the catalogue matches the code."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_every_string_in_the_code_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "N_", "--no-location",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True,
                   timeout=120)
    with pot.open("rb") as f:
        in_code = _ids(read_po(f))
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        english = read_po(f)
    missing = in_code - _ids(english)
    assert not missing, f"run `make extract-strings` and translate: {sorted(missing)[:5]}"
    untranslated = [m.id for m in english if m.id and m.id in in_code
                    and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple)
                                         else m.string))]
    assert untranslated == []
