"""Demo data (`flask demo`): idempotent, never loaded in production.

Each feature adds a module here with `load(ctx: dict) -> str` (a line for the console); they
run in the order of DEMO_MODULES and share `ctx` (users, communes, cadres, courses...). A
module listed here must exist.
"""

import importlib

DEMO_MODULES = ("people", "programs", "courses", "classes", "attendance", "certificates",
                "costs")


def load_all() -> list[str]:
    ctx: dict = {}
    return [importlib.import_module(f"app.demo.{name}").load(ctx) for name in DEMO_MODULES]
