"""The province's own form filled (issue 17: under 1 s for a year): the whole request on the
district-scale database (the year's indicators in SQL, then the workbook filled), and the
filling alone as a ratio against a floor built in the same run: openpyxl loading and saving
the same workbook untouched, which is what keeping every style, merged cell and print setting
costs at least. CPU time of this process for the ratio, best of several runs."""

import io
import time

from bench import Benchmark, district

RUNS = 5


def _best(func) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def fill_ratio() -> float:
    from openpyxl import load_workbook

    from app.report_templates import example, filling
    from app.reports.indicators import LABELS, Figure

    app = district.app()
    data = example.workbook()
    with app.test_request_context():
        _name, slots = filling.read_template(example.FILENAME, data, len(data))
        values = filling.values_for({name: Figure(1234, 2345) for name in LABELS},
                                    {"ky_bao_cao": "Năm 2026", "don_vi": "Xã Sơn Hà",
                                     "tu_ngay": "01/01/2026", "den_ngay": "31/12/2026"})
        filled = _best(lambda: filling.fill(data, slots, values))

    def floor():
        load_workbook(io.BytesIO(data), rich_text=True).save(io.BytesIO())

    return filled / _best(floor)


def filled_for_a_year() -> float:
    from flask import url_for
    from sqlalchemy import func, select

    from app.classes.models import TrainingClass
    from app.extensions import db
    from app.report_templates import example, service
    from app.report_templates.models import ReportTemplate

    app = district.app()
    with app.app_context():
        template = db.session.scalar(select(ReportTemplate))
        if template is None:
            data = example.workbook()
            with app.test_request_context():
                template = service.save(None, example.NAME, example.FILENAME, data, len(data))
            db.session.commit()
        year = db.session.scalar(select(func.max(TrainingClass.start_date))).year
        with app.test_request_context():  # the route's own address, wherever it is mounted
            url = url_for("report_templates.filled", template_id=template.id, kind="year",
                          year=year)
    return district.best_get(url)


BENCHMARKS = [
    Benchmark("province form filled: fill / openpyxl load+save", fill_ratio, 2.0, "×"),
    Benchmark("province form filled for a year (district scale)", filled_for_a_year, 1.0),
]
