"""Demo data (`flask demo`): idempotent, never loaded in production.

Each feature adds a module here with `load(ctx: dict) -> str` (a line for the console); they
run in the order of DEMO_MODULES and share `ctx` (users, communes, cadres, courses...).
"""

import importlib

DEMO_MODULES = ("people", "courses", "classes", "attendance", "certificates")


def load_all() -> list[str]:
    ctx: dict = {}
    lines = []
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(f"app.demo.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"app.demo.{name}":
                continue
            raise
        lines.append(module.load(ctx))
    return lines
