"""The page benchmark's measure (bench/bench_pages.py `_measure`): every worker warmed before
the timed requests, and a page made afresh asked for with a number no request of the run has
sent before, in any round (a worker keeps the last 32 bodies it made)."""

import threading

from bench import bench_pages


class _Recorder:
    """A signed-in user that records the paths it asks for."""

    lock = threading.Lock()

    def __init__(self, seen: list) -> None:
        self.seen = seen

    def get(self, path: str) -> bytes:
        with self.lock:
            self.seen.append(path)
        return b""


def test_a_page_made_afresh_never_asks_twice_for_the_same_address(monkeypatch):
    monkeypatch.setattr(bench_pages, "REQUESTS", 30)
    seen: list[str] = []
    users = [_Recorder(seen) for _ in range(4)]
    for _round in range(3):
        bench_pages._measure(users, "/classes/7/applications?made=")
    assert len(seen) == 3 * (bench_pages.WARM + 30)
    assert len(set(seen)) == len(seen)
    assert all(p.startswith("/classes/7/applications?made=") for p in seen)


def test_the_timed_requests_come_after_every_worker_was_warmed(monkeypatch):
    monkeypatch.setattr(bench_pages, "REQUESTS", 30)
    seen: list[str] = []
    users = [_Recorder(seen) for _ in range(4)]
    per_second, p50, p95 = bench_pages._measure(users, "/cadres/")
    assert seen == ["/cadres/"] * (bench_pages.WARM + 30)
    assert bench_pages.WARM >= 2 * bench_pages.WORKERS  # several requests per worker
    assert per_second > 0 and p50 <= p95
