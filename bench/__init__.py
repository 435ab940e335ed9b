"""Benchmarks (`make bench` = `python -m bench`): not part of the test run.

Each module `bench/bench_*.py` defines BENCHMARKS: a list of `Benchmark(name, run, budget,
unit)`, where `run()` returns the measured figure (seconds unless `unit` says otherwise).
`bench/generate.py` makes the scale data sets they share (district scale and beyond).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Benchmark:
    name: str
    run: Callable[[], float]
    budget: float
    unit: str = "s"
