"""The cadre list at district scale and beyond: 100,000 cadres on SQLite (bench/district.py).

Figures are the best of a few requests through the app (server time, no network): the first
page, a search without diacritics, a filtered deep page, and the import check of a
2,000-row file (validation only, no write)."""

import io
import time

from bench import Benchmark
from bench.district import app as _app
from bench.district import best_get as _best_get


def first_page() -> float:
    return _best_get("/cadres/")


def search_without_diacritics() -> float:
    return _best_get("/cadres/?q=dinh+thi+hoa")


def filtered_deep_page() -> float:
    from sqlalchemy import select

    from app.extensions import db
    from app.people.models import Unit

    with _app().app_context():
        commune = db.session.scalar(select(Unit.id).where(Unit.code == "xa-son-ky-2025"))
    return _best_get(f"/cadres/?commune={commune}&gender=F&page=100")


def import_check_2000_rows() -> float:
    import random

    from openpyxl import Workbook

    from app.extensions import db
    from app.people import cadre_file
    from bench.generate import name

    rng = random.Random(5)
    book = Workbook()
    sheet = book.active
    sheet.append(list(cadre_file.COLUMNS))
    for i in range(2000):
        woman = rng.random() < 0.5
        sheet.append([name(rng, woman) + f" {chr(65 + i % 26)}", "Nữ" if woman else "Nam",
                      f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}", "Hrê",
                      "Trưởng thôn", "", "Sơn Kỳ", ""])
    data = io.BytesIO()
    book.save(data)
    payload = data.getvalue()
    with _app().app_context():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            valid, problems = cadre_file.load("bench.xlsx", payload)
            best = min(best, time.perf_counter() - start)
            db.session.rollback()
        assert len(valid) == 2000 and not problems, problems[:3]
    return best


BENCHMARKS = [
    Benchmark("cadre list, first page of 100,000 cadres", first_page, 0.5),
    Benchmark("cadre list, search 'dinh thi hoa' in 100,000", search_without_diacritics, 0.5),
    Benchmark("cadre list, commune + women filter, page 100", filtered_deep_page, 0.5),
    Benchmark("cadre import check, 2,000-row .xlsx", import_check_2000_rows, 3.0),
]
