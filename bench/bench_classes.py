"""Class pages at district scale (bench/district.py): 2,000 classes, 80,000 applications."""

from bench import Benchmark
from bench.district import app, best_get


def class_list() -> float:
    return best_get("/classes/")


def class_list_search() -> float:
    return best_get("/classes/?q=lop+do+hieu+nang+1999")


def applications_page() -> float:
    from sqlalchemy import select

    from app.classes.models import TrainingClass
    from app.extensions import db

    with app().app_context():
        class_id = db.session.scalar(select(TrainingClass.id).order_by(TrainingClass.id))
    return best_get(f"/classes/{class_id}/applications")


BENCHMARKS = [
    Benchmark("class list, first page of 2,000 classes", class_list, 0.5),
    Benchmark("class list, search among 2,000 classes", class_list_search, 0.5),
    Benchmark("applications and allocation preview, 40 applicants", applications_page, 0.5),
]
