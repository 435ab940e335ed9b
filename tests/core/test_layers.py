"""The order of dependencies (docs/ARCHITECTURE.md): the kernel (app/core and the plain modules
beside it) imports no feature; each feature imports only the kernel and the features listed
before it in app.FEATURES. Imports inside functions count too."""

import ast
from pathlib import Path

import pytest

from app import FEATURES

APP = Path(__file__).resolve().parents[2] / "app"
KERNEL = {"core", "extensions", "i18n_markers", "timeutil", "vietnamese", "numbers"}
# Packages that are not features but belong to a floor: the demo data loads every feature and
# is run by the home feature's `flask demo`.
FLOOR_OF = {"demo": "home"}


def _imported_packages(path: Path) -> set[str]:
    """The second part of every `app.<package>` the file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "app":
                names = [f"app.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {n.split(".")[1] for n in names if n.startswith("app.") and "." in n}
    return found


def _package_of(path: Path) -> str:
    part = path.relative_to(APP).parts[0]
    return part.removesuffix(".py")


def _violations(allowed_for) -> list[str]:
    problems = []
    for path in sorted(APP.rglob("*.py")):
        package = _package_of(path)
        if package == "__init__":
            continue  # the application factory assembles everything
        allowed = allowed_for(package)
        if allowed is None:
            continue
        for used in sorted(_imported_packages(path) - allowed - {package}):
            problems.append(f"{path.relative_to(APP.parent)} imports app.{used}")
    return problems


def test_the_kernel_imports_no_feature():
    def allowed(package):
        return KERNEL if package in KERNEL else None

    assert _violations(allowed) == []


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_imports_only_the_floors_below_it(feature):
    def allowed(package):
        floor = FLOOR_OF.get(package, package)
        if floor != feature:
            return None
        same_floor = {p for p, f in FLOOR_OF.items() if f == feature}
        return KERNEL | set(FEATURES[:FEATURES.index(feature)]) | same_floor

    assert _violations(allowed) == []


def test_every_package_has_a_floor():
    packages = {_package_of(p) for p in APP.rglob("*.py")} - {"__init__"}
    assert packages <= KERNEL | set(FEATURES) | set(FLOOR_OF), \
        "a new package: add it to app.FEATURES (with its place) or to the kernel here"
