"""Python's cyclic garbage collector paused while a piece of work makes and drops many objects.

The applications page of 600 (rows, facts, the preview's input, its lists) ran the collector
about five times, each walking all that was still young (some 3 ms); the allocation of 20,000
applicants (some 60,000 lists and strings of reasons) set off collections that walked them all
again (its median 0.52 s, 0.41 without). The objects are freed by their counts when the work
is done: nothing kept makes a cycle, and one that the work makes is collected later, as usual.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """`with collector.paused(): ...`. A caller (or thread) that finds the collector paused
    leaves it as it is; it runs again after, on failure too."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
