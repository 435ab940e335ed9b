"""One district-scale database per benchmark run, shared by the page benchmarks:
100,000 cadres, 2,000 classes with 40 applications each, and the demo accounts."""

import tempfile
import time
from pathlib import Path

_STATE: dict = {}


def app():
    if "app" in _STATE:
        return _STATE["app"]
    from app import create_app
    from app.demo.people import ensure_accounts
    from app.extensions import db
    from bench.generate import populate
    from config import TestingConfig

    tmp = tempfile.mkdtemp()

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(tmp) / 'district.db'}"

    flask_app = create_app(BenchConfig)
    with flask_app.app_context():
        db.create_all()
        populate(db.session, cadres=100_000, classes=2_000, applications_per_class=40)
        ensure_accounts()
        db.session.commit()
    client = flask_app.test_client()
    client.post("/auth/login", data={"login": "coordinator", "password": "demo12345"})
    _STATE.update(app=flask_app, client=client)
    return flask_app


def best_get(url: str, runs: int = 5) -> float:
    """Best time of `runs` GETs of `url` as the coordinator (server time, no network)."""
    app()
    client = _STATE["client"]
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        best = min(best, time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return best
