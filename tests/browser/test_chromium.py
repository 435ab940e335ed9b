"""Finding Chromium, and what happens when there is none: a skip that says how to install it,
except in CI, where it is a failure."""

import os
import subprocess
import sys
from pathlib import Path

from tests.browser.chromium import find_chromium

ROOT = Path(__file__).resolve().parents[2]


def _program(folder: Path, name: str) -> str:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_chromium_path_first_then_the_path_then_the_snap(tmp_path):
    bin_dir, snap = tmp_path / "bin", _program(tmp_path / "snap", "chromium")
    ubuntu = _program(bin_dir, "chromium-browser")
    assert find_chromium({"PATH": str(bin_dir)}, places=(snap,)) == (ubuntu, "")
    debian = _program(bin_dir, "chromium")
    assert find_chromium({"PATH": str(bin_dir)}, places=(snap,)) == (debian, "")
    assert find_chromium({"PATH": str(tmp_path / "none")}, places=(snap,)) == (snap, "")
    own = _program(tmp_path / "own", "chrome")
    assert find_chromium({"PATH": str(bin_dir), "CHROMIUM_PATH": own}) == (own, "")
    path, why = find_chromium({"PATH": str(bin_dir), "CHROMIUM_PATH": str(tmp_path / "no")})
    assert path is None and "CHROMIUM_PATH=" in why
    path, why = find_chromium({"PATH": str(tmp_path / "none")}, places=())
    assert path is None and "chromium-browser" in why


def _journeys_without_a_browser(**env):
    env = {**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium", **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs",
         "tests/browser/test_screen.py"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False)


def test_without_a_browser_the_journeys_skip_saying_how_to_install_it():
    result = _journeys_without_a_browser(CI="")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout and "apt-get install chromium" in result.stdout


def test_in_ci_a_missing_browser_fails():
    result = _journeys_without_a_browser(CI="true")
    assert result.returncode == 1, result.stdout
    assert "must run in CI" in result.stdout and "apt-get install chromium" in result.stdout
