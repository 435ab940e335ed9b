"""Run jobs in threads released at the same moment, each with its own app context and
database session, as concurrent requests would be."""

import threading
from dataclasses import dataclass, field


@dataclass
class RaceOutcome:
    ok: int = 0
    refused: int = 0
    messages: list = field(default_factory=list)  # str() of each refusal
    errors: list = field(default_factory=list)  # repr() of anything unexpected


def race(app, jobs, refusal: type[Exception]) -> RaceOutcome:
    """Each job runs then commits; `refusal` exceptions roll back and count as refused, any
    other exception is an error (the caller asserts there are none)."""
    from app.extensions import db

    barrier = threading.Barrier(len(jobs))
    outcome = RaceOutcome()
    lock = threading.Lock()

    def run(job):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                job()
                db.session.commit()
            except refusal as exc:
                db.session.rollback()
                with lock:
                    outcome.refused += 1
                    outcome.messages.append(str(exc))
                return
            except Exception as exc:  # noqa: BLE001 - reported to the caller
                db.session.rollback()
                with lock:
                    outcome.errors.append(repr(exc))
                return
            finally:
                db.session.remove()
            with lock:
                outcome.ok += 1

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcome
