"""Run every benchmark module in bench/ and print a table: name, figure, budget, verdict.

    python -m bench              # all
    python -m bench allocation   # modules whose name contains "allocation"

Exit code 1 when a figure is over its budget.
"""

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    here = Path(__file__).resolve().parent
    rows = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        if wanted and not any(w in info.name for w in wanted):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        for bench in module.BENCHMARKS:
            figure = bench.run()
            rows.append((bench.name, figure, bench.budget, bench.unit))
            print(f"  ran {bench.name}: {figure:.3f} {bench.unit}", file=sys.stderr)
    width = max((len(r[0]) for r in rows), default=10)
    print(f"{'benchmark':<{width}}  {'figure':>10}  {'budget':>10}  verdict")
    failed = False
    for name, figure, budget, unit in rows:
        ok = figure <= budget
        failed |= not ok
        print(f"{name:<{width}}  {figure:>8.3f} {unit:<1}  {budget:>8.3f} {unit:<1}  "
              f"{'ok' if ok else 'OVER BUDGET'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
