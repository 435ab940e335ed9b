"""Costs of the classes (kinh phí): per class, the budget and what was spent per line and
funding source (`lines.py`), the sums over classes by source, program and unit for the reports
(`summary.py`), and the class's results report in the official form (`class_report.py`)."""


def init_app(app):
    from app.costs.views import bp

    app.register_blueprint(bp, url_prefix="/classes")
